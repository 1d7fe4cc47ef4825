import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import {
	ANSWER_SIGNATURE_HEADER,
	askedAtOf,
	newQuestionId,
	signAnswer,
} from '../../../nodes/InstagramMessaging/waits/answerSignature';
import {
	actionNode,
	APP_SECRET,
	callWebhook,
	CUSTOMER,
	GRAPH,
	instagramLoginCredentials,
	runWorkflow,
} from '../harness';
import { inbound } from './messageHelpers';

const messages = `/${GRAPH_API_VERSION}/me/messages`;
const HOUR = 3_600_000;
const NODE_ID = 'node-ask';

function resumePath(choice: string): string {
	return `/webhook-waiting/1001/${NODE_ID}\\?choice=${choice}&customer=${CUSTOMER}&question=[0-9a-z]{25}&signature=[0-9a-f]{64}`;
}

function reference(choice: string, payload: string): RegExp {
	return new RegExp(`^igwait1\\|unit\\|-\\|${resumePath(choice)}\\|${payload}$`);
}

/** The one-time id of the question a run waits for, as the execution keeps it. */
function questionOf(run: {
	data: { resultData: { metadata?: Record<string, string> } };
}): string | undefined {
	return run.data.resultData.metadata?.instagramWaitQuestion;
}

async function ask(
	parameters: IDataObject,
	options: { input?: ReturnType<typeof inbound>[]; staticData?: IDataObject } = {},
) {
	const node = actionNode(
		{
			resource: 'message',
			operation: 'sendAndWait',
			recipientId: CUSTOMER,
			message: 'Which size?',
			discloseAutomation: false,
			...parameters,
		},
		{ id: NODE_ID },
	);
	return await runWorkflow({
		nodes: [node],
		credentials: instagramLoginCredentials,
		input: options.input ?? [inbound()],
		staticData: options.staticData,
		mode: 'webhook',
	});
}

describe('Message → Send and Wait for Response', () => {
	afterEach(() => nock.cleanAll());

	it('sends quick replies whose payloads carry the signed resume path, then waits', async () => {
		const bodies: IDataObject[] = [];
		nock(GRAPH)
			.post(messages, (body: IDataObject) => bodies.push(body) > 0)
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_q' });
		const { run } = await ask({
			responseType: 'quickReplies',
			choices: {
				choice: [
					{ title: 'Small', payload: 'S' },
					{ title: 'Large', payload: '' },
				],
			},
			waitLimit: 'afterInterval',
			waitAmount: 2,
			waitUnit: 'hours',
		});
		expect(run.status).toBe('waiting');
		const waitTill = run.waitTill?.getTime() ?? 0;
		expect(Math.abs(waitTill - (Date.now() + 2 * HOUR))).toBeLessThan(60_000);
		const message = bodies[0].message as {
			text: string;
			quick_replies: Array<{ title: string; payload: string }>;
		};
		expect(message.text).toBe('Which size?');
		expect(message.quick_replies.map((q) => q.title)).toEqual(['Small', 'Large']);
		expect(message.quick_replies[0].payload).toMatch(reference('0', 'S'));
		expect(message.quick_replies[1].payload).toMatch(reference('1', 'Large'));
		expect(bodies[0].messaging_type).toBe('RESPONSE');
		// One id per question, kept by the waiting execution and signed into every choice.
		const question = questionOf(run);
		expect(question).toMatch(/^[0-9a-z]{25}$/);
		expect(message.quick_replies[0].payload).toContain(`question=${question}&`);
		const second = nock(GRAPH).post(messages).reply(200, { recipient_id: CUSTOMER, message_id: 'm_q2' });
		const again = await ask({ responseType: 'approval' });
		expect(second.isDone()).toBe(true);
		expect(questionOf(again.run)).not.toBe(question);
	});

	it('refuses to ask without an app secret in the credential (no answer could be verified), before sending', async () => {
		const node = actionNode(
			{
				resource: 'message',
				operation: 'sendAndWait',
				recipientId: CUSTOMER,
				message: 'Which size?',
				responseType: 'approval',
			},
			{ id: NODE_ID },
		);
		const { run } = await runWorkflow({
			nodes: [node],
			credentials: { instagramLoginApi: { accessToken: 'IGQ-unit-token' } },
			input: [inbound()],
			mode: 'webhook',
		});
		expect(run.data.resultData.error?.message).toBe(
			'Send and Wait for Response needs the app secret in the credential',
		);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it.each([
		[
			'Send Quick Replies',
			{
				operation: 'sendQuickReplies',
				text: 'Pick',
				quickReplies: { quickReply: [{ title: 'A', payload: 'igwait1|x' }] },
			},
		],
		[
			'Send Button Template',
			{
				operation: 'sendButtonTemplate',
				text: 'Pick',
				buttons: { button: [{ type: 'postback', title: 'A', payload: 'igwait1|x' }] },
			},
		],
	])(
		'%s refuses a payload that starts like a wait reference, before calling Meta',
		async (_name, parameters) => {
			const node = actionNode({
				resource: 'message',
				recipientId: CUSTOMER,
				discloseAutomation: false,
				...parameters,
			});
			const { run } = await runWorkflow({
				nodes: [node],
				credentials: instagramLoginCredentials,
				input: [inbound()],
			});
			expect(run.data.resultData.error?.message).toContain('starts with "igwait1|"');
			expect(nock.pendingMocks()).toEqual([]);
		},
	);

	it('asks yes or no with two quick replies signed as yes and no', async () => {
		const bodies: IDataObject[] = [];
		nock(GRAPH)
			.post(messages, (body: IDataObject) => bodies.push(body) > 0)
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_a' });
		await ask({ responseType: 'approval', approvalLabels: { yes: 'Sure', no: 'No thanks' } });
		const replies = (bodies[0].message as { quick_replies: Array<{ title: string; payload: string }> })
			.quick_replies;
		expect(replies.map((q) => q.title)).toEqual(['Sure', 'No thanks']);
		expect(replies[0].payload).toMatch(reference('yes', 'yes'));
		expect(replies[1].payload).toMatch(reference('no', 'no'));
	});

	it('sends postback buttons for the Buttons type', async () => {
		const bodies: IDataObject[] = [];
		nock(GRAPH)
			.post(messages, (body: IDataObject) => bodies.push(body) > 0)
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_b' });
		await ask({ responseType: 'buttons', choices: { choice: [{ title: 'Track order', payload: 'TRACK' }] } });
		const payload = ((bodies[0].message as IDataObject).attachment as IDataObject).payload as IDataObject;
		expect(payload).toMatchObject({ template_type: 'button', text: 'Which size?' });
		const [button] = payload.buttons as Array<{ type: string; title: string; payload: string }>;
		expect(button).toMatchObject({ type: 'postback', title: 'Track order' });
		expect(button.payload).toMatch(reference('0', 'TRACK'));
	});

	it('writes a free-text question down for the trigger, until the messaging window closes', async () => {
		nock(GRAPH)
			.post(messages, {
				recipient: { id: CUSTOMER },
				message: { text: 'Which size?' },
				messaging_type: 'RESPONSE',
			})
			.reply(200, {
				recipient_id: CUSTOMER,
				message_id: 'm_t',
			});
		const staticData: IDataObject = {};
		const customerWroteAt = Date.now() - HOUR;
		const { run } = await ask({ responseType: 'freeText' }, { input: [inbound(HOUR)], staticData });
		expect(run.status).toBe('waiting');
		const pending = ((staticData.global as IDataObject).instagramWaitingForText as IDataObject)[CUSTOMER] as {
			resumePath: string;
			until: number;
		};
		expect(pending.resumePath).toMatch(new RegExp(`^${resumePath('text')}$`));
		expect(pending.resumePath).toContain(`question=${questionOf(run)}&`);
		expect(Math.abs(pending.until - (customerWroteAt + 24 * HOUR))).toBeLessThan(2_000);
		expect(run.waitTill?.getTime()).toBe(pending.until);
	});

	it('refuses a limit that outlasts the 24-hour window, before sending anything', async () => {
		const { error } = await ask(
			{ responseType: 'freeText', waitLimit: 'afterInterval', waitAmount: 2, waitUnit: 'hours' },
			{ input: [inbound(23 * HOUR)] },
		);
		expect(error('Instagram Messaging')?.message).toBe(
			"The wait would outlast the customer's messaging window",
		);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('refuses several items: one execution waits for one answer', async () => {
		const { error } = await ask(
			{ responseType: 'freeText' },
			{ input: [inbound(), inbound(60_000, '2222222222222222')] },
		);
		expect(error('Instagram Messaging')?.message).toBe(
			'Send and Wait for Response handles one item per execution',
		);
	});
});

describe('Send and Wait for Response: the answer resumes the node', () => {
	const question = newQuestionId(Date.now() - 60_000);
	const tap = {
		eventType: 'message',
		customerId: CUSTOMER,
		text: 'Sure',
		quickReplyPayload: 'yes',
		timestampMs: Date.now(),
	};

	/** The trigger's call: the verified event it signed with the app secret, for one question and choice. */
	function signedBody(answer: IDataObject, answerTo = { question, choice: 'yes' }, secret = APP_SECRET) {
		const text = JSON.stringify({ ...answer, answerTo });
		return {
			body: { answer: text },
			headers: { [ANSWER_SIGNATURE_HEADER]: signAnswer([secret], answerTo.question, text) },
		};
	}

	async function resume(
		query: Record<string, string>,
		request: { body: unknown; headers?: Record<string, string> },
		waitingFor = question,
	) {
		return await callWebhook({
			node: actionNode(
				{ resource: 'message', operation: 'sendAndWait', responseType: 'approval' },
				{ id: NODE_ID },
			),
			webhookName: 'default',
			request: { method: 'POST', query, ...request },
			credentials: instagramLoginCredentials,
			executionCustomData: { instagramWaitQuestion: waitingFor },
			// What n8n does next (run the rest of the waiting execution) is the e2e's part.
			deferAnswer: true,
		});
	}
	const yes = { choice: 'yes', customer: CUSTOMER, question };

	it('outputs the event the trigger verified with status answered (and approved for yes or no)', async () => {
		const { result, sent } = await resume(yes, signedBody(tap));
		expect(sent).toMatchObject({ status: 200, body: { instagramAnswer: 'resumed' } });
		expect(result.workflowData?.[0]?.[0]?.json).toEqual({
			...tap,
			status: 'answered',
			answeredWith: 'quickReply',
			choice: { title: 'Sure', payload: 'yes' },
			approved: true,
		});
		const declined = await resume(
			{ ...yes, choice: 'no' },
			signedBody({ ...tap, text: 'No thanks', quickReplyPayload: 'no' }, { question, choice: 'no' }),
		);
		expect(declined.result.workflowData?.[0]?.[0]?.json.approved).toBe(false);
	});

	it('believes nothing of a body the trigger did not sign: a forged answer resumes nothing (403)', async () => {
		const forged = {
			customerId: CUSTOMER,
			quickReplyPayload: 'REFUND_APPROVED_NOT_OFFERED',
			accountId: 'attacker',
			raw: { forged: true },
		};
		for (const request of [
			{ body: { answer: forged } },
			{ body: { answer: JSON.stringify({ ...forged, answerTo: { question, choice: 'yes' } }) } },
			{ ...signedBody(forged), headers: { [ANSWER_SIGNATURE_HEADER]: 'sha256=' + '00'.repeat(32) } },
			signedBody(forged, { question, choice: 'yes' }, 'a secret that is not the app secret'),
		]) {
			const { result, sent } = await resume(yes, request);
			expect(sent.status).toBe(403);
			expect(result.workflowData).toBeUndefined();
		}
	});

	it('a used or replaced question resumes nothing (409), even with a valid signed answer', async () => {
		const newer = newQuestionId(Date.now());
		const { result, sent } = await resume(yes, signedBody(tap), newer);
		expect(sent).toMatchObject({
			status: 409,
			body: { error: 'This question was answered or replaced by a newer one' },
		});
		expect(result.workflowData).toBeUndefined();
	});

	it('refuses an answer signed for another question or choice (a replayed call)', async () => {
		const other = newQuestionId(Date.now());
		for (const request of [
			signedBody(tap, { question: other, choice: 'yes' }),
			signedBody(tap, { question, choice: 'no' }),
		]) {
			const { result, sent } = await resume(yes, request);
			expect(sent.status).toBe(403);
			expect(result.workflowData).toBeUndefined();
		}
	});

	it("refuses another customer's answer (a late tap on an earlier question of the same node)", async () => {
		const { result, sent } = await resume(yes, signedBody({ ...tap, customerId: '2222222222222222' }));
		expect(sent).toMatchObject({
			status: 403,
			body: { error: 'The answer is not from the customer this wait is for' },
		});
		expect(result.workflowData).toBeUndefined();
	});

	it('refuses an answer older than the question, and an echo', async () => {
		for (const answer of [
			{ ...tap, timestampMs: askedAtOf(question) - 10 * 60_000 },
			{ ...tap, isEcho: true },
		]) {
			const { result, sent } = await resume(yes, signedBody(answer));
			expect(sent.status).toBe(403);
			expect(result.workflowData).toBeUndefined();
		}
	});

	it('refuses a call without a signed answer item and keeps waiting', async () => {
		for (const body of [{}, { answer: 'text' }, { answer: { text: 'no customer' } }]) {
			const { result, sent } = await resume(yes, { body });
			expect([400, 403]).toContain(sent.status);
			expect(result.workflowData).toBeUndefined();
		}
		const { sent } = await resume(yes, { ...signedBody(tap), body: { answer: 'not json' } });
		expect(sent.status).toBe(403);
	});
});
