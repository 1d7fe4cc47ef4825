import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { isSignedAnswer, newQuestionId } from '../../../nodes/InstagramMessaging/waits/answerSignature';
import { encodeWaitReference } from '../../../nodes/InstagramMessaging/waits/reference';
import {
	APP_SECRET,
	asFreshProcess,
	CUSTOMER,
	callWebhook,
	instagramLoginCredentials,
	triggerNode,
} from '../harness';
import {
	automaticNode,
	META_APP_SECRET,
	messageEnvelope,
	metaAppCredentials,
	signedPost,
	workflowFor,
} from './helpers';

const N8N = 'http://localhost';
const QUESTION = newQuestionId(Date.now() - 60_000);
const RESUME =
	`/webhook-waiting/41/node-ask?choice=1&customer=${CUSTOMER}&question=${QUESTION}&signature=` +
	'ab'.repeat(32);
const TEXT_RESUME =
	`/webhook-waiting/42/node-ask?choice=text&customer=${CUSTOMER}&question=${QUESTION}&signature=` +
	'cd'.repeat(32);
const RESUMED = { instagramAnswer: 'resumed' };
const NO_ACTION_PAGE = '<html><body>No action required</body></html>';

function tapEnvelope(payload: string, mid = 'mid.tap', title = 'Opening hours') {
	return messageEnvelope({ mid, text: title, quick_reply: { payload } });
}

function textEnvelope(text: string, mid = 'mid.text') {
	return messageEnvelope({ mid, text });
}

function reference(workflowId = 'wf', share = false, payload = 'HOURS'): string {
	return encodeWaitReference({ workflowId, shareWithOtherWorkflows: share, resumePath: RESUME, payload });
}

async function deliver(body: unknown, options: { parameters?: IDataObject; staticData?: IDataObject } = {}) {
	const node = triggerNode(options.parameters as never);
	return await callWebhook({
		node,
		webhookName: 'default',
		request: signedPost(body),
		credentials: instagramLoginCredentials,
		workflow: workflowFor(node, options.staticData ?? {}),
	});
}

describe('Instagram Messaging Trigger: answers to Send and Wait for Response', () => {
	beforeEach(() => {
		asFreshProcess();
		nock.cleanAll();
	});
	afterAll(() => nock.cleanAll());

	it('resumes the waiting execution with the tap (its own payload restored) and starts no run; a redelivery does nothing', async () => {
		const calls: Array<{ body: IDataObject; signature: unknown }> = [];
		const scope = nock(N8N)
			.post(RESUME, function (this: { headers: Record<string, unknown> }, body: IDataObject) {
				calls.push({ body, signature: this.headers['x-instagram-answer-signature'] });
				return true;
			})
			.reply(200, RESUMED);
		const envelope = tapEnvelope(reference());
		const first = await deliver(envelope);
		expect(first.result.workflowData).toBeUndefined();
		expect(first.sent.status).toBe(200);
		expect(scope.isDone()).toBe(true);
		const answer = String(calls[0].body.answer);
		expect(JSON.parse(answer)).toMatchObject({
			eventType: 'message',
			customerId: CUSTOMER,
			text: 'Opening hours',
			quickReplyPayload: 'HOURS',
			answerTo: { question: QUESTION, choice: '1' },
		});
		// Signed with the app secret Meta's signature was verified with, for this question only.
		expect(isSignedAnswer(calls[0].signature, [APP_SECRET], QUESTION, answer)).toBe(true);
		expect(isSignedAnswer(calls[0].signature, [APP_SECRET], newQuestionId(Date.now()), answer)).toBe(false);
		expect(isSignedAnswer(calls[0].signature, ['another secret'], QUESTION, answer)).toBe(false);
		expect(JSON.stringify(calls[0].body)).not.toContain('signature=');

		const again = await deliver(envelope, { staticData: first.workflow.staticData as IDataObject });
		expect(again.result.workflowData).toBeUndefined();
		expect(again.sent.status).toBe(200);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('a delivery with an answer and a message: the message starts a run, the answer is remembered across processes', async () => {
		nock(N8N).post(RESUME).reply(200, RESUMED);
		const envelope = tapEnvelope(reference());
		const text = textEnvelope('and one more thing', 'mid.other').entry[0].messaging[0];
		envelope.entry[0].messaging.push(text);
		const node = triggerNode();
		const workflow = workflowFor(node, {});
		const call = await callWebhook({
			node,
			webhookName: 'default',
			request: signedPost(envelope),
			credentials: instagramLoginCredentials,
			workflow,
			deferAnswer: true,
		});
		// n8n runs the execution on static data read from its database, without what webhook()
		// wrote (n8n-harness.md §B.8): only the execution's trigger step can store the answer's key.
		workflow.staticData[`node:${node.name}`] = {};
		const first = await call.complete!();
		expect(first.emitted.map((item) => item.json.text)).toEqual(['and one more thing']);
		// Another process (or n8n after a restart) gets Meta's redelivery: nothing is resumed or emitted.
		asFreshProcess();
		const again = await deliver(envelope, { staticData: workflow.staticData as IDataObject });
		expect(again.result.workflowData).toBeUndefined();
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('emits the tap as an ordinary quick reply when the wait is over (n8n answers "no action required")', async () => {
		nock(N8N).post(RESUME).reply(200, NO_ACTION_PAGE, { 'Content-Type': 'text/html' });
		const { emitted } = await deliver(tapEnvelope(reference()));
		expect(emitted.map((item) => item.json.quickReplyPayload)).toEqual(['HOURS']);
	});

	it('retries while n8n is still saving the execution as waiting, then resumes it', async () => {
		const running = { code: 409, message: 'The execution "41" is running already.' };
		const scope = nock(N8N).post(RESUME).twice().reply(409, running).post(RESUME).reply(200, RESUMED);
		const { result, sent } = await deliver(tapEnvelope(reference()));
		expect(scope.isDone()).toBe(true);
		expect(result.workflowData).toBeUndefined();
		expect(sent.status).toBe(200);
	});

	it('asks Meta to deliver again (503) when the execution stays busy, and emits nothing', async () => {
		const running = { code: 409, message: 'The execution "41" is running already.' };
		nock(N8N).post(RESUME).times(6).reply(409, running);
		const { result, sent } = await deliver(tapEnvelope(reference()));
		expect(sent.status).toBe(503);
		expect(result.workflowData).toBeUndefined();
	}, 20_000);

	it('in another workflow: resumes the wait, and emits the tap only when the question lets other workflows see it', async () => {
		nock(N8N).post(RESUME).twice().reply(200, RESUMED);
		const shared = await deliver(tapEnvelope(reference('other', true), 'mid.s'));
		expect(shared.emitted.map((item) => item.json.quickReplyPayload)).toEqual(['HOURS']);
		const private_ = await deliver(tapEnvelope(reference('other', false), 'mid.p'));
		expect(private_.result.workflowData).toBeUndefined();
	});

	it("emits a tap for another workflow's wait that resumed nothing (that workflow may have no trigger)", async () => {
		nock(N8N).post(RESUME).reply(200, NO_ACTION_PAGE, { 'Content-Type': 'text/html' });
		const { emitted } = await deliver(tapEnvelope(reference('other', false), 'mid.gone'));
		expect(emitted.map((item) => item.json.quickReplyPayload)).toEqual(['HOURS']);
	});

	it('never hands the signed path to a workflow, not even in raw', async () => {
		nock(N8N).post(RESUME).reply(200, NO_ACTION_PAGE, { 'Content-Type': 'text/html' });
		const { emitted } = await deliver(tapEnvelope(reference()), {
			parameters: { options: { includeRaw: true } },
		});
		expect(emitted).toHaveLength(1);
		expect(JSON.stringify(emitted[0].json)).not.toContain('signature=');
		expect(
			(emitted[0].json.raw as { message: { quick_reply: { payload: string } } }).message.quick_reply.payload,
		).toBe('HOURS');
	});

	const signature = 'signature=' + 'ab'.repeat(32);
	const query = `choice=1&customer=${CUSTOMER}&question=${QUESTION}&${signature}`;
	it.each([
		['a path outside the waiting route', `/webhook-waiting/../rest/workflows?${signature}`],
		['percent-encoded dot segments', `/webhook-waiting/%2e%2e/%2e%2e/rest/login?${query}`],
		['dot segments of the right shape', `/webhook-waiting/41/../../rest/login?${query}`],
		["another workflow's production webhook", `/webhook/other-workflow/webhook?${query}`],
		['a path without a signature', '/webhook-waiting/41/node-ask?choice=1'],
		['a path without a question', `/webhook-waiting/41/node-ask?choice=1&customer=${CUSTOMER}&${signature}`],
		['an extra parameter', `/webhook-waiting/41/node-ask?${query}&x=1`],
	])(
		'treats %s as an ordinary payload, calls nothing and hands no reference on',
		async (_name, resumePath) => {
			const payload = encodeWaitReference({
				workflowId: 'wf',
				shareWithOtherWorkflows: false,
				resumePath,
				payload: 'X',
			});
			const { emitted } = await deliver(tapEnvelope(payload, 'mid.bad'), {
				parameters: { options: { includeRaw: true } },
			});
			expect(emitted.map((item) => item.json.quickReplyPayload)).toEqual(['X']);
			expect(JSON.stringify(emitted[0].json)).not.toContain('igwait1|');
			expect(nock.pendingMocks()).toEqual([]);
		},
	);

	it("signs the answer only with the secret Meta's signature matched, not with every secret the trigger holds", async () => {
		// Someone allowed to use the account credential, with a Meta app credential of their own whose
		// secret they know, must not get the account's secret to vouch for a body they signed.
		const calls: Array<{ answer: string; signature: unknown }> = [];
		nock(N8N)
			.post(RESUME, function (this: { headers: Record<string, unknown> }, body: IDataObject) {
				calls.push({ answer: String(body.answer), signature: this.headers['x-instagram-answer-signature'] });
				return true;
			})
			.reply(200, RESUMED);
		const node = automaticNode();
		const known = META_APP_SECRET; // the other user's Meta app
		await callWebhook({
			node,
			webhookName: 'default',
			request: signedPost(tapEnvelope(reference()), known),
			credentials: { ...instagramLoginCredentials, ...metaAppCredentials },
		});
		expect(calls).toHaveLength(1);
		const [{ answer, signature }] = calls;
		expect(isSignedAnswer(signature, [known], QUESTION, answer)).toBe(true);
		expect(isSignedAnswer(signature, [APP_SECRET], QUESTION, answer)).toBe(false);
	});

	it('leaves what people write alone: only payload fields lose a reference', async () => {
		const text = 'igwait1|a|b|c|hi';
		const { emitted } = await deliver(textEnvelope(text, 'mid.text-like'), {
			parameters: { options: { includeRaw: true } },
		});
		expect(emitted.map((item) => item.json.text)).toEqual([text]);
	});

	it('hands no reference on in the echo of a Buttons or Quick Replies question (fields and raw)', async () => {
		const buttons = {
			template_type: 'button',
			text: 'Which size?',
			buttons: [{ type: 'postback', title: 'Small', payload: reference('wf', false, 'S') }],
		};
		const echo = messageEnvelope({
			mid: 'mid.echo',
			is_echo: true,
			attachments: [{ type: 'template', payload: buttons }],
		});
		const quickEcho = messageEnvelope({
			mid: 'mid.echo2',
			is_echo: true,
			text: 'Which size?',
			quick_replies: [{ content_type: 'text', title: 'Small', payload: reference('wf', false, 'S') }],
		});
		for (const envelope of [echo, quickEcho]) {
			const { emitted } = await deliver(envelope, {
				parameters: { events: ['echo'], options: { includeRaw: true } },
			});
			expect(emitted).toHaveLength(1);
			expect(JSON.stringify(emitted[0].json)).not.toContain('igwait1|');
			expect(JSON.stringify(emitted[0].json)).not.toContain('/webhook-waiting/');
		}
		expect(nock.pendingMocks()).toEqual([]);
	});

	it("routes a tap even when the trigger's event filter would not start the workflow with it", async () => {
		const scope = nock(N8N).post(RESUME).reply(200, RESUMED);
		await deliver(tapEnvelope(reference()), { parameters: { events: ['postback'] } });
		expect(scope.isDone()).toBe(true);
	});

	it("resumes a free-text wait of this workflow with the customer's next message, and forgets it", async () => {
		const staticData: IDataObject = {
			global: {
				instagramWaitingForText: { [CUSTOMER]: { resumePath: TEXT_RESUME, until: Date.now() + 60_000 } },
			},
		};
		const bodies: IDataObject[] = [];
		nock(N8N)
			.post(TEXT_RESUME, (body: IDataObject) => bodies.push(body) > 0)
			.reply(200, RESUMED);
		const { result, workflow } = await deliver(textEnvelope('blue, please'), { staticData });
		expect(result.workflowData).toBeUndefined();
		expect(JSON.parse(String(bodies[0].answer))).toMatchObject({
			text: 'blue, please',
			customerId: CUSTOMER,
			answerTo: { question: QUESTION, choice: 'text' },
		});
		expect((workflow.staticData.global as IDataObject).instagramWaitingForText).toEqual({});
	});

	it('an answer that did not fit the Expected Answer: not emitted, the wait goes on, the re-ask counted and signed into the next answer', async () => {
		const staticData: IDataObject = {
			global: {
				instagramWaitingForText: { [CUSTOMER]: { resumePath: TEXT_RESUME, until: Date.now() + 60_000 } },
			},
		};
		const bodies: IDataObject[] = [];
		nock(N8N)
			.post(TEXT_RESUME, (body: IDataObject) => bodies.push(body) > 0)
			.reply(200, { instagramAnswer: 'reasked' })
			.post(TEXT_RESUME, (body: IDataObject) => bodies.push(body) > 0)
			.reply(200, RESUMED);
		const first = await deliver(textEnvelope('not an email', 'mid.t1'), { staticData });
		expect(first.emitted).toEqual([]);
		expect((first.workflow.staticData.global as IDataObject).instagramWaitingForText).toEqual({
			[CUSTOMER]: expect.objectContaining({ resumePath: TEXT_RESUME, reasks: 1 }),
		});
		const second = await deliver(textEnvelope('jane@example.com', 'mid.t2'), {
			staticData: first.workflow.staticData,
		});
		expect(second.emitted).toEqual([]);
		expect(bodies.map((body) => JSON.parse(String(body.answer)).answerTo.reasks)).toEqual([0, 1]);
	});

	it('emits a message as usual when the free-text wait has expired, without calling n8n', async () => {
		const staticData: IDataObject = {
			global: { instagramWaitingForText: { [CUSTOMER]: { resumePath: TEXT_RESUME, until: Date.now() - 1 } } },
		};
		const { emitted } = await deliver(textEnvelope('hello'), { staticData });
		expect(emitted.map((item) => item.json.text)).toEqual(['hello']);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('a resume call that timed out is resolved before anything else: found over afterwards, it counts as answered', async () => {
		const dropped = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		nock(N8N)
			.post(RESUME)
			.replyWithError(dropped)
			.post(RESUME)
			.reply(200, NO_ACTION_PAGE, { 'Content-Type': 'text/html' });
		const { result, sent } = await deliver(tapEnvelope(reference(), 'mid.timeout-resumed'));
		expect(sent.status).toBe(200);
		expect(result.workflowData).toBeUndefined(); // not also an ordinary run
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('a free-text answer whose call dropped is posted once (the question may have been asked again), kept waiting, not emitted', async () => {
		const staticData: IDataObject = {
			global: {
				instagramWaitingForText: { [CUSTOMER]: { resumePath: TEXT_RESUME, until: Date.now() + 60_000 } },
			},
		};
		const dropped = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const scope = nock(N8N).post(TEXT_RESUME).replyWithError(dropped);
		const { result, sent, workflow } = await deliver(textEnvelope('not an email', 'mid.text-dropped'), {
			staticData,
		});
		expect(scope.isDone()).toBe(true);
		expect(sent.status).toBe(200);
		expect(result.workflowData).toBeUndefined();
		expect((workflow.staticData.global as IDataObject).instagramWaitingForText).toEqual({
			[CUSTOMER]: expect.objectContaining({ resumePath: TEXT_RESUME }),
		});
	});

	it('a resume call that timed out and then resumes: resumed once, nothing emitted', async () => {
		const dropped = Object.assign(new Error('timeout of 5000ms exceeded'), { code: 'ECONNABORTED' });
		const scope = nock(N8N).post(RESUME).replyWithError(dropped).post(RESUME).reply(200, RESUMED);
		const { result, sent } = await deliver(tapEnvelope(reference(), 'mid.timeout-then'));
		expect(scope.isDone()).toBe(true);
		expect(sent.status).toBe(200);
		expect(result.workflowData).toBeUndefined();
	});

	it('a call whose effect stays unknown is taken as answered at once: Meta gets 200, nothing is emitted', async () => {
		const dropped = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		nock(N8N).post(RESUME).replyWithError(dropped()).post(RESUME).replyWithError(dropped());
		const { result, sent } = await deliver(tapEnvelope(reference(), 'mid.unknown'));
		expect(sent.status).toBe(200);
		expect(result.workflowData).toBeUndefined();
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('a failure that never reached n8n (TLS, an unreachable address) emits the answer as before', async () => {
		const tls = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
		nock(N8N).post(RESUME).replyWithError(tls);
		const { emitted, sent } = await deliver(tapEnvelope(reference(), 'mid.tls'));
		expect(sent.status).toBe(200);
		expect(emitted.map((item) => item.json.quickReplyPayload)).toEqual(['HOURS']);
	});

	it('emits the message when n8n cannot be reached, so nothing is lost', async () => {
		nock(N8N)
			.post(RESUME)
			.replyWithError(
				Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:80'), { code: 'ECONNREFUSED' }),
			);
		const { emitted } = await deliver(tapEnvelope(reference()));
		expect(emitted.map((item) => item.json.quickReplyPayload)).toEqual(['HOURS']);
	});
});
