import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import { actionNode, callWebhook, CUSTOMER, GRAPH, instagramLoginCredentials, runWorkflow } from '../harness';
import { inbound } from './messageHelpers';

const messages = `/${GRAPH_API_VERSION}/me/messages`;
const HOUR = 3_600_000;
const NODE_ID = 'node-ask';

function reference(choice: string, payload: string): RegExp {
	return new RegExp(
		`^igwait1\\|unit\\|-\\|/webhook-waiting/exec-1/${NODE_ID}\\?choice=${choice}&customer=${CUSTOMER}&signature=[0-9a-f]{64}\\|${payload}$`,
	);
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
	});

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
		expect(pending.resumePath).toMatch(
			new RegExp(
				`^/webhook-waiting/exec-1/${NODE_ID}\\?choice=text&customer=${CUSTOMER}&signature=[0-9a-f]{64}$`,
			),
		);
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
	const answer = { eventType: 'message', customerId: CUSTOMER, text: 'Sure', quickReplyPayload: 'yes' };

	async function resume(query: Record<string, string>, body: unknown) {
		return await callWebhook({
			node: actionNode(
				{ resource: 'message', operation: 'sendAndWait', responseType: 'approval' },
				{ id: NODE_ID },
			),
			webhookName: 'default',
			request: { method: 'POST', query, body },
			// What n8n does next (run the rest of the waiting execution) is the e2e's part.
			deferAnswer: true,
		});
	}

	it("outputs the trigger's item of the answer with status answered (and approved for yes or no)", async () => {
		const { result, sent } = await resume({ choice: 'yes', customer: CUSTOMER }, { answer });
		expect(sent).toMatchObject({ status: 200, body: { instagramAnswer: 'resumed' } });
		expect(result.workflowData?.[0]?.[0]?.json).toEqual({
			...answer,
			status: 'answered',
			answeredWith: 'quickReply',
			approved: true,
		});
		const declined = await resume(
			{ choice: 'no', customer: CUSTOMER },
			{ answer: { ...answer, text: 'No thanks' } },
		);
		expect(declined.result.workflowData?.[0]?.[0]?.json.approved).toBe(false);
	});

	it("refuses another customer's answer (a late tap on an earlier question of the same node)", async () => {
		const { result, sent } = await resume(
			{ choice: 'yes', customer: CUSTOMER },
			{ answer: { ...answer, customerId: '2222222222222222' } },
		);
		expect(sent).toMatchObject({
			status: 400,
			body: { error: 'The answer is not from the customer this wait is for' },
		});
		expect(result.workflowData).toBeUndefined();
	});

	it('refuses a call without an answer item (400) and keeps waiting', async () => {
		for (const body of [{}, { answer: 'text' }, { answer: { text: 'no customer' } }]) {
			const { result, sent } = await resume({ choice: 'yes', customer: CUSTOMER }, body);
			expect(sent.status).toBe(400);
			expect(result.workflowData).toBeUndefined();
		}
	});
});
