import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import {
	ANSWER_SIGNATURE_HEADER,
	newQuestionId,
	signAnswer,
} from '../../../nodes/InstagramMessaging/waits/answerSignature';
import { checkAnswer } from '../../../nodes/InstagramMessaging/waits/expectedAnswer';
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
const NODE_ID = 'node-ask';

describe('Expected Answer: what a free-text answer must be', () => {
	it.each([
		['email', 'my email is Jane.Doe@Example.COM, thanks', 'Jane.Doe@example.com'],
		['email', 'jane at example dot com', null],
		['phone', 'call me on +44 20 7946 0958!', '+442079460958'],
		['phone', '0044 (20) 7946-0958', '+442079460958'],
		['phone', '030 1234567', '0301234567'],
		['phone', '12345', null],
		['number', 'about 3,5 kg', 3.5],
		['number', 'forty two', null],
		['number', '1,500 please', 1500],
		['number', '2 kids, 35 years', null],
		['phone', '2024-05-01', null],
		['url', 'ok.thanks', null],
		['url', 'www.example.org/x', 'https://www.example.org/x'],
		['url', 'see example.com/menu.', 'https://example.com/menu'],
		['url', 'jane@example.com', null],
		['any', '  anything  ', 'anything'],
		['any', '   ', null],
	] as const)('%s: %j → %j', (expected, text, value) => {
		expect(checkAnswer(expected, text)).toEqual(value);
	});
});

describe('Send and Wait for Response with an Expected Answer', () => {
	afterEach(() => nock.cleanAll());
	const question = newQuestionId(Date.now() - 60_000);
	const query = { choice: 'text', customer: CUSTOMER, question };
	const parameters = {
		resource: 'message',
		operation: 'sendAndWait',
		responseType: 'freeText',
		expectedAnswer: 'email',
		maxReasks: 2,
	};

	async function answer(text: string, reasks: number, extra: IDataObject = {}, logs?: string[]) {
		const answerTo = { question, choice: 'text', reasks };
		const body = JSON.stringify({
			eventType: 'message',
			customerId: CUSTOMER,
			text,
			timestampMs: Date.now(),
			answerTo,
		});
		return await callWebhook({
			node: actionNode({ ...parameters, ...extra }, { id: NODE_ID }),
			webhookName: 'default',
			request: {
				method: 'POST',
				query,
				body: { answer: body },
				headers: { [ANSWER_SIGNATURE_HEADER]: signAnswer([APP_SECRET], question, body) },
			},
			credentials: instagramLoginCredentials,
			executionCustomData: { instagramWaitQuestion: question },
			deferAnswer: true,
			logs,
		});
	}

	it('resumes with the normalised value when the answer fits', async () => {
		const { result, sent } = await answer('It is Jane@Example.com', 0);
		expect(sent).toMatchObject({ status: 200, body: { instagramAnswer: 'resumed' } });
		expect(result.workflowData?.[0]?.[0]?.json).toMatchObject({
			status: 'answered',
			answeredWith: 'text',
			text: 'It is Jane@Example.com',
			value: 'Jane@example.com',
			valid: true,
			reasks: 0,
		});
	});

	it("asks again with the node's message when it does not fit, and keeps waiting", async () => {
		const scope = nock(GRAPH)
			.post(messages, {
				recipient: { id: CUSTOMER },
				messaging_type: 'RESPONSE',
				message: { text: 'That is no email address, try again please.' },
			})
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_reask' });
		const { result, sent } = await answer('no', 1, {
			reaskMessage: 'That is no email address, try again please.',
		});
		expect(sent).toMatchObject({ status: 200, body: { instagramAnswer: 'reasked' } });
		expect(result.workflowData).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('after Max Re-Asks goes on with valid: false, without asking again; an expression outside 0–5 is kept within it', async () => {
		const spent = await answer('still no', 2);
		expect(spent.sent).toMatchObject({ status: 200, body: { instagramAnswer: 'resumed' } });
		expect(spent.result.workflowData?.[0]?.[0]?.json).toMatchObject({ value: null, valid: false, reasks: 2 });
		const unbounded = await answer('no', 5, { maxReasks: '={{ 99 }}' });
		expect(unbounded.result.workflowData?.[0]?.[0]?.json).toMatchObject({ valid: false, reasks: 5 });
	});

	it('a re-ask Meta refuses is logged; the wait goes on (the answer counts as asked again)', async () => {
		const scope = nock(GRAPH)
			.post(messages)
			.reply(400, {
				error: { message: '(#10) outside of allowed window', code: 10, error_subcode: 2534022 },
			});
		const logs: string[] = [];
		const failed = await answer('nope', 0, {}, logs);
		expect(failed.sent).toMatchObject({ status: 200, body: { instagramAnswer: 'reasked' } });
		expect(failed.result.workflowData).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(logs.join('\n')).toMatch(/could not ask again/);
	});

	it("refuses, before asking, a Re-Ask Message over Instagram's 1000 bytes", async () => {
		const { error } = await runWorkflow({
			nodes: [
				actionNode(
					{
						...parameters,
						recipientId: CUSTOMER,
						message: 'Your email?',
						discloseAutomation: false,
						reaskMessage: 'x'.repeat(1001),
					},
					{ id: NODE_ID },
				),
			],
			credentials: instagramLoginCredentials,
			input: [inbound()],
			mode: 'webhook',
		});
		expect(error('Instagram Messaging')?.message).toMatch(/^Re-Ask Message/);
	});
});
