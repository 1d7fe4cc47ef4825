/**
 * Message → Send and Wait for Response in a real n8n 2.41.1 against the sandbox, with
 * `examples/ask-and-wait.json` as shipped (only credential ids bound) and a variant of it whose
 * question type and time limit follow the customer's first message. The answer always arrives
 * the way Meta sends it: as a signed webhook to the workflow's own Instagram Messaging Trigger,
 * which resumes the waiting execution through n8n's waiting-webhook route instead of starting a
 * second run.
 */
import axios from 'axios';
import { readFileSync } from 'fs';
import { join } from 'path';

import type { IDataObject } from 'n8n-workflow';

import { SANDBOX_DEFAULTS, type MetaSandbox, type SentRecord } from '../../sandbox';
import { nodeOutput, useScenario, type N8nExecution, type N8nServer, type WorkflowJson } from './harness';

const example = JSON.parse(
	readFileSync(join(__dirname, '..', '..', 'examples', 'ask-and-wait.json'), 'utf8'),
) as WorkflowJson;
const EXAMPLE_PATH = 'instagram-ask-and-wait/webhook';
const VARIANTS_PATH = 'instagram-ask-variants/webhook';
const TIMEOUT_PATH = 'instagram-ask-timeout/webhook';
const VERIFY_TOKEN = 'e2e-verify-token-ask-8d13f0c2b6a9';
const ASK = 'Ask What They Need';
const customer = SANDBOX_DEFAULTS.customer.id;

/** The example, with its own trigger path; the question's type and limit follow the first message. */
function variants(name = 'variants', idPrefix = '5e2a7c01'): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(example)) as WorkflowJson;
	copy.name = `Send and Wait ${name}`;
	for (const node of copy.nodes) {
		node.id = node.id.replace(/^5e2a7c00/, idPrefix);
		if (node.type.endsWith('instagramMessagingTrigger')) node.webhookId = `instagram-ask-${name}`;
		if (node.name === ASK) {
			delete node.webhookId;
			Object.assign(node.parameters, {
				responseType:
					"={{ $json.text.startsWith('free') ? 'freeText' : $json.text.startsWith('buttons') ? 'buttons' : 'quickReplies' }}",
				waitLimit: "={{ $json.text.includes('timeout') ? 'afterInterval' : 'messagingWindow' }}",
				waitAmount: 1,
				waitUnit: 'minutes',
			});
		}
	}
	return copy;
}

describe('Send and Wait for Response in a real n8n', () => {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let exampleId: string;
	let variantsId: string;
	let timeoutId: string;

	useScenario(
		{
			name: 'send-and-wait',
			// The one-minute limit has a workflow of its own: its wait starts first and is checked
			// last, while the other tests run (n8n looks for due waits once a minute).
			workflows: [example, variants(), variants('timeout', '5e2a7c02')],
			webhookPaths: [EXAMPLE_PATH, VARIANTS_PATH, TIMEOUT_PATH],
			verifyToken: VERIFY_TOKEN,
		},
		(scenario) => {
			({ sandbox, server } = scenario);
			[exampleId, variantsId, timeoutId] = scenario.workflowIds;
		},
	);

	const variantsUrl = () => server.webhookUrl(VARIANTS_PATH);

	async function executionsOf(workflowId: string): Promise<N8nExecution[]> {
		return await server.executions({ workflowId });
	}

	/** Polls until the workflow has an execution in `status` not in `skip`; returns it with data. */
	async function executionIn(
		workflowId: string,
		status: string,
		skip: Set<string>,
		timeoutMs = 30_000,
	): Promise<N8nExecution> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const found = (await executionsOf(workflowId)).find((e) => e.status === status && !skip.has(e.id));
			if (found) {
				skip.add(found.id);
				const [withData] = (await server.executions({ workflowId, includeData: true })).filter(
					(e) => e.id === found.id,
				);
				return withData;
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		const seen = (await executionsOf(workflowId)).map((e) => `${e.id}:${e.status}`).join(', ');
		throw new Error(`no ${status} execution of ${workflowId} within ${timeoutMs} ms; seen ${seen}`);
	}

	/** The customer writes; returns the question the node sent and the execution now waiting. */
	async function ask(text: string, workflowId: string, callbackUrl?: string) {
		const before = sandbox.sent().length;
		await sandbox.customerSays({ text, callbackUrl });
		const waiting = await executionIn(workflowId, 'waiting', new Set());
		const [question] = await sandbox.waitForSent({ count: before + 1 }).then((all) => all.slice(before));
		return { question, waiting };
	}

	function quickReplies(question: SentRecord): Array<{ title: string; payload: string }> {
		const message = question.body.message as IDataObject;
		return (message.quick_replies as Array<{ title: string; payload: string }>) ?? [];
	}

	const seen = new Set<string>();
	let timeoutWait: { question: SentRecord; waiting: N8nExecution; sentBefore: number };

	it('starts a wait with a one-minute limit (its end is checked by the last test)', async () => {
		const asked = await ask('timeout test', timeoutId, server.webhookUrl(TIMEOUT_PATH));
		timeoutWait = { ...asked, sentBefore: sandbox.sent().length };
		expect(timeoutWait.waiting.status).toBe('waiting');
	});

	it('asks with quick replies, waits, and resumes on the tap: one execution, the tap as its answer', async () => {
		const { question, waiting } = await ask('hi', exampleId);
		expect(question.recipientId).toBe(customer);
		expect(question.text).toContain('Hi! What can we help you with?');
		const choices = quickReplies(question);
		expect(choices.map((c) => c.title)).toEqual(['Track my order', 'Opening hours', 'Something else']);
		// The payload carries the wait's reference, never an origin to call.
		expect(choices[1].payload).toMatch(
			/^igwait1\|[^|]+\|-\|\/webhook-waiting\/\d+\/[^|]+\?choice=1&customer=\d+&question=[0-9a-z]+&signature=[0-9a-f]{64}\|HOURS$/,
		);

		// Whoever learns the signed URL cannot answer for the customer: n8n checks the URL's signature,
		// the waiting node refuses a body the trigger did not sign, and the execution keeps waiting.
		const resumeUrl = server.baseUrl + choices[1].payload.split('|')[3];
		const forged = {
			customerId: customer,
			quickReplyPayload: 'REFUND_APPROVED_NOT_OFFERED',
			accountId: 'attacker',
			answerTo: { question: 'x', choice: '1' },
		};
		for (const body of [{ answer: forged }, { answer: JSON.stringify(forged) }]) {
			const res = await axios.post(resumeUrl, body, { validateStatus: () => true });
			expect(res.status).toBe(403);
		}
		expect((await executionsOf(exampleId)).find((e) => e.id === waiting.id)?.status).toBe('waiting');

		const sentBefore = sandbox.sent().length;
		const tap = await sandbox.customerSays({ text: 'Opening hours', quickReplyPayload: choices[1].payload });
		expect(tap.delivery?.status).toBe(200);
		const done = await executionIn(exampleId, 'success', seen);
		expect(done.id).toBe(waiting.id);
		expect(nodeOutput(done, ASK)).toEqual([
			expect.objectContaining({
				status: 'answered',
				answeredWith: 'quickReply',
				customerId: customer,
				text: 'Opening hours',
				quickReplyPayload: 'HOURS',
			}),
		]);
		const [confirmation] = await sandbox
			.waitForSent({ count: sentBefore + 1 })
			.then((all) => all.slice(sentBefore));
		expect(confirmation.text).toBe(
			'Thanks! You chose "Opening hours". Someone from the team follows up right here.',
		);
		// The tap did not start a second run of the workflow.
		expect((await executionsOf(exampleId)).map((e) => e.id)).toEqual([waiting.id]);
		// A used reference resumes nothing: tapped again, it is an ordinary quick reply.
		const replay = await axios.post(resumeUrl, {}, { validateStatus: () => true });
		expect(replay.data).not.toEqual({ instagramAnswer: 'resumed' });
		expect((await executionsOf(exampleId)).map((e) => e.id)).toEqual([waiting.id]);
	});

	it('keeps waiting across an n8n restart and resumes after it', async () => {
		const { question, waiting } = await ask('hello again', exampleId);
		await server.restart();
		await server.waitForWebhook(EXAMPLE_PATH, 'POST');
		const payload = quickReplies(question)[0].payload;
		await sandbox.customerSays({ text: 'Track my order', quickReplyPayload: payload });
		const done = await executionIn(exampleId, 'success', seen);
		expect(done.id).toBe(waiting.id);
		expect(nodeOutput(done, ASK)[0]).toMatchObject({ status: 'answered', quickReplyPayload: 'TRACK_ORDER' });
		expect(await executionsOf(exampleId)).toHaveLength(2);
	});

	it('a redelivery of the answer neither resumes nor starts anything', async () => {
		const before = sandbox.sent().length;
		const count = (await executionsOf(exampleId)).length;
		const { question } = await ask('one more question', exampleId);
		const payload = quickReplies(question)[2].payload;
		const tap = await sandbox.customerSays({
			text: 'Something else',
			quickReplyPayload: payload,
			deliver: false,
		});
		const first = await sandbox.deliver(tap.payload);
		expect(first.status).toBe(200);
		await executionIn(exampleId, 'success', seen);
		const again = await sandbox.deliver(tap.payload);
		expect(again.status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(await executionsOf(exampleId)).toHaveLength(count + 1);
		expect(
			sandbox
				.sent()
				.slice(before)
				.map((s) => s.text?.split('\n').pop()),
		).toEqual([
			'Hi! What can we help you with?',
			'Thanks! You chose "Something else". Someone from the team follows up right here.',
		]);
	});

	it('takes the next message in the thread as a free-text answer', async () => {
		const { question, waiting } = await ask('free: which colour?', variantsId, variantsUrl());
		expect(quickReplies(question)).toEqual([]);
		await sandbox.customerSays({ text: 'blue, please', callbackUrl: variantsUrl() });
		const done = await executionIn(variantsId, 'success', seen);
		expect(done.id).toBe(waiting.id);
		expect(nodeOutput(done, ASK)).toEqual([
			expect.objectContaining({ status: 'answered', answeredWith: 'text', text: 'blue, please' }),
		]);
		expect((await executionsOf(variantsId)).map((e) => e.id)).toEqual([waiting.id]);
	});

	it('resumes on a tapped postback button', async () => {
		const { question, waiting } = await ask('buttons please', variantsId, variantsUrl());
		const template = ((question.body.message as IDataObject).attachment as IDataObject)
			.payload as IDataObject;
		const buttons = template.buttons as Array<{ title: string; payload: string }>;
		expect(buttons.map((b) => b.title)).toEqual(['Track my order', 'Opening hours', 'Something else']);
		await sandbox.customerTapsButton({
			title: buttons[0].title,
			payload: buttons[0].payload,
			callbackUrl: variantsUrl(),
		});
		const done = await executionIn(variantsId, 'success', seen);
		expect(done.id).toBe(waiting.id);
		expect(nodeOutput(done, ASK)[0]).toMatchObject({
			status: 'answered',
			answeredWith: 'button',
			eventType: 'postback',
			postback: expect.objectContaining({ payload: 'TRACK_ORDER', title: 'Track my order' }),
		});
	});

	it('ends the wait at its time limit with status timedOut; a late tap starts an ordinary run', async () => {
		const { question, waiting, sentBefore } = timeoutWait;
		const timeoutUrl = server.webhookUrl(TIMEOUT_PATH);
		// One minute from the first test, and n8n looks for due waits once a minute.
		const done = await executionIn(timeoutId, 'success', seen, 150_000);
		expect(done.id).toBe(waiting.id);
		const [passedOn] = nodeOutput(done, ASK);
		expect(passedOn).toMatchObject({ status: 'timedOut', eventType: 'message', text: 'timeout test' });
		// The trigger's own output is untouched.
		expect(nodeOutput(done, 'Instagram Messaging Trigger')[0].status).toBeUndefined();
		const apology = await sandbox
			.waitForSent({ count: sentBefore + 1 })
			.then((all) => all.slice(sentBefore).find((sent) => sent.text?.startsWith('No rush')));
		// n8n resumes a timed-out wait on the static data the execution started with (its wait
		// tracker runs it with loadStaticData false), without the record of the question; the
		// disclosure claimed in n8n's processed-data store is there, so it is not repeated.
		expect(apology?.text).toBe('No rush: write to us any time and we will pick it up.');

		// Nothing is lost: the late tap reaches the workflow as an ordinary quick reply.
		const count = (await executionsOf(timeoutId)).length;
		await sandbox.customerSays({
			text: 'Opening hours',
			quickReplyPayload: quickReplies(question)[1].payload,
			callbackUrl: timeoutUrl,
		});
		const late = await executionIn(timeoutId, 'waiting', new Set([waiting.id]));
		expect(nodeOutput(late, 'Instagram Messaging Trigger')[0]).toMatchObject({
			text: 'Opening hours',
			quickReplyPayload: 'HOURS',
		});
		expect(await executionsOf(timeoutId)).toHaveLength(count + 1);
	}, 200_000);
});
