/**
 * The messaging window and HUMAN_AGENT policy (instagram-api.md §3.2, §6.5) in a real n8n 2.41.1
 * against the sandbox. The customer's last message lies in the past, relative to real time (n8n
 * uses Date.now()); the node finds it (1) through Meta's Conversations API, when the workflow
 * starts from an n8n Webhook node, and (2) in the item of the Instagram Messaging Trigger, when
 * the sandbox delivers that old message as a webhook. For each:
 * - a bot message 25 h later is refused before any call to the Send API, with an error that
 *   explains the window;
 * - a human message 3 days later goes out with `messaging_type: MESSAGE_TAG`, `tag: HUMAN_AGENT`;
 * - a human message 8 days later is refused before any call to the Send API;
 * - a bot message 1 h later goes out untagged (with the automation disclosure, on by default).
 */
import type { INode } from 'n8n-workflow';

import { DAY_MS, HOUR_MS, type MetaSandbox } from '../../sandbox';
import {
	expectExecutionCount,
	nodeOutput,
	postAndWaitForExecution,
	useScenario,
	type N8nExecution,
	type N8nServer,
	type WorkflowJson,
} from './harness';

const VERIFY_TOKEN = 'window-policy-verify-token';
const DISCLOSURE = "You're chatting with an automated assistant.";
const credentialRef = { instagramLoginApi: { id: 'REPLACE', name: 'Instagram account' } };

/** One start node per path and author, each with its own Send Text node. */
const STARTS = {
	conversationBot: { path: 'window-policy-bot', kind: 'webhook', writtenBy: 'bot' },
	conversationHuman: { path: 'window-policy-human', kind: 'webhook', writtenBy: 'human' },
	triggerBot: { path: 'window-trigger-bot/webhook', kind: 'trigger', writtenBy: 'bot' },
	triggerHuman: { path: 'window-trigger-human/webhook', kind: 'trigger', writtenBy: 'human' },
} as const;
type StartName = keyof typeof STARTS;

function nodesFor(name: StartName, row: number): { start: INode; send: INode } {
	const spec = STARTS[name];
	const id = (n: number) => `7b0c1a2b-0000-4000-8000-${String(row * 10 + n).padStart(12, '0')}`;
	const start: INode =
		spec.kind === 'webhook'
			? ({
					id: id(1),
					name: `Start ${name}`,
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, row * 200],
					webhookId: id(9),
					parameters: { httpMethod: 'POST', path: spec.path, options: {} },
				} as INode)
			: ({
					id: id(1),
					name: `Start ${name}`,
					type: 'n8n-nodes-instagram-messaging.instagramMessagingTrigger',
					typeVersion: 2,
					position: [0, row * 200],
					webhookId: spec.path.split('/')[0],
					parameters: {
						authentication: 'instagramLoginApi',
						verifyToken: VERIFY_TOKEN,
						events: ['message'],
						options: {},
					},
					credentials: credentialRef,
				} as INode);
	const fromItem = spec.kind === 'webhook' ? '$json.body' : '$json';
	const send: INode = {
		id: id(2),
		name: `Send ${name}`,
		type: 'n8n-nodes-instagram-messaging.instagramMessaging',
		typeVersion: 1,
		position: [250, row * 200],
		parameters: {
			authentication: 'instagramLoginApi',
			resource: 'message',
			operation: 'sendText',
			recipientId: `={{ ${fromItem}.customerId }}`,
			text: spec.kind === 'webhook' ? '={{ $json.body.text }}' : '={{ "Re: " + $json.text }}',
			writtenBy: spec.writtenBy,
		},
		credentials: credentialRef,
	} as INode;
	return { start, send };
}

const pairs = (Object.keys(STARTS) as StartName[]).map((name, row) => ({ name, ...nodesFor(name, row) }));
const workflow: WorkflowJson = {
	name: 'Window policy',
	nodes: pairs.flatMap((p) => [p.start, p.send]),
	connections: Object.fromEntries(
		pairs.map((p) => [p.start.name, { main: [[{ node: p.send.name, type: 'main', index: 0 }]] }]),
	),
	settings: { executionOrder: 'v1' },
};

const WINDOW_EXPLAINED =
	"Automated messages can only be sent within 24 hours of the customer's last message.";
const SEVEN_DAYS_EXPLAINED =
	'Instagram accepts no message — not even a human reply with the HUMAN_AGENT tag — more than 7 days after';

describe('Messaging window and HUMAN_AGENT policy in a real n8n', () => {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let workflowId: string;
	let executions = 0;

	useScenario(
		{
			name: 'window-policy',
			shared: true,
			workflows: [workflow],
			webhookPaths: Object.values(STARTS).map((spec) => spec.path),
			setCallback: false,
		},
		(scenario) => {
			({ sandbox, server } = scenario);
			[workflowId] = scenario.workflowIds;
		},
	);

	/** Runs one case; returns the finished execution and the sandbox's log position before it. */
	async function run(
		start: StartName,
		customerId: string,
		ago: number,
		text: string,
	): Promise<{ execution: N8nExecution; since: number }> {
		const since = sandbox.state.nextSeq();
		const at = Date.now() - ago;
		if (STARTS[start].kind === 'webhook') {
			// The customer's message is only on Instagram (the Conversations API), not in the item.
			await sandbox.customerSays({ from: customerId, text: 'an old question', at, deliver: false });
			executions += 1;
			const { execution, all } = await postAndWaitForExecution(
				server,
				STARTS[start].path,
				{ customerId, text },
				workflowId,
				{ nth: executions },
			);
			expect(all).toHaveLength(executions);
			return { execution, since };
		}
		// Meta delivers the customer's message; the trigger item carries its time.
		const { delivery } = await sandbox.customerSays({
			from: customerId,
			text,
			at,
			callbackUrl: server.webhookUrl(STARTS[start].path),
		});
		expect(delivery?.status).toBe(200);
		executions += 1;
		const all = await server.waitForExecutions(workflowId, executions);
		expect(all).toHaveLength(executions);
		return { execution: all[executions - 1]!, since };
	}

	const sendCalls = (since: number) => sandbox.requests({ since, path: /\/messages$/, method: 'POST' });
	const conversationLookups = (since: number, customerId: string) =>
		sandbox
			.requests({ since, path: /\/conversations$/, method: 'GET' })
			.filter((r) => r.query.user_id === customerId);

	function expectRefused(
		execution: N8nExecution,
		since: number,
		customerId: string,
		message: string,
		description: string,
	): void {
		expect(execution.status).toBe('error');
		const error = execution.data?.resultData.error;
		expect(error?.message).toBe(message);
		expect(String(error?.description)).toContain(description);
		expect(sendCalls(since)).toEqual([]);
		expect(sandbox.sent({ recipientId: customerId })).toEqual([]);
		expect(sandbox.rejected({ recipientId: customerId })).toEqual([]);
	}

	describe("last message found through Meta's conversation (no trigger item)", () => {
		it('bot, 25 hours later: refused before calling the Send API, the error explains the window', async () => {
			const customer = '4100000000000001';
			const { execution, since } = await run('conversationBot', customer, 25 * HOUR_MS, 'Still interested?');
			expectRefused(
				execution,
				since,
				customer,
				'Outside the 24-hour messaging window: the customer last wrote 25 hours ago',
				WINDOW_EXPLAINED,
			);
			expect(conversationLookups(since, customer)).toHaveLength(1);
		});

		it('human, 3 days later: sent with messaging_type MESSAGE_TAG and tag HUMAN_AGENT', async () => {
			const customer = '4100000000000002';
			const { execution, since } = await run(
				'conversationHuman',
				customer,
				3 * DAY_MS,
				'Sorry for the wait, here is your refund.',
			);
			expect(execution.status).toBe('success');
			expect(conversationLookups(since, customer)).toHaveLength(1);
			const [record, ...more] = sandbox.sent({ recipientId: customer });
			expect(more).toEqual([]);
			expect(record).toMatchObject({
				messagingType: 'MESSAGE_TAG',
				tag: 'HUMAN_AGENT',
				text: 'Sorry for the wait, here is your refund.',
			});
			expect(record?.body).toEqual({
				recipient: { id: customer },
				messaging_type: 'MESSAGE_TAG',
				tag: 'HUMAN_AGENT',
				message: { text: 'Sorry for the wait, here is your refund.' },
			});
			expect(sendCalls(since)).toHaveLength(1);
			expect(sandbox.rejected({ recipientId: customer })).toEqual([]);
			expect(nodeOutput(execution, 'Send conversationHuman')).toEqual([
				{ recipientId: customer, messageId: record?.messageId, writtenBy: 'human', tag: 'HUMAN_AGENT' },
			]);
		});

		it('human, 8 days later: refused before calling the Send API', async () => {
			const customer = '4100000000000003';
			const { execution, since } = await run(
				'conversationHuman',
				customer,
				8 * DAY_MS,
				'Are you still there?',
			);
			expectRefused(
				execution,
				since,
				customer,
				'Outside the messaging window: the customer last wrote 8 days ago, more than 7 days ago',
				SEVEN_DAYS_EXPLAINED,
			);
			expect(conversationLookups(since, customer)).toHaveLength(1);
		});

		it('bot, 1 hour later: sent untagged, with the automation disclosure', async () => {
			const customer = '4100000000000004';
			const { execution, since } = await run('conversationBot', customer, HOUR_MS, 'Your order ships today.');
			expect(execution.status).toBe('success');
			const [record, ...more] = sandbox.sent({ recipientId: customer });
			expect(more).toEqual([]);
			expect(record?.body).toEqual({
				recipient: { id: customer },
				messaging_type: 'RESPONSE',
				message: { text: `${DISCLOSURE}\n\nYour order ships today.` },
			});
			expect(record?.tag).toBeUndefined();
			expect(sendCalls(since)).toHaveLength(1);
			expect(nodeOutput(execution, 'Send conversationBot')).toEqual([
				{
					recipientId: customer,
					messageId: record?.messageId,
					writtenBy: 'bot',
					tag: null,
					disclosed: 'firstMessage',
				},
			]);
		});
	});

	describe('last message taken from the trigger item (no lookup)', () => {
		it('bot, 25 hours later: refused before calling the Send API', async () => {
			const customer = '4200000000000001';
			const { execution, since } = await run('triggerBot', customer, 25 * HOUR_MS, 'hello?');
			expectRefused(
				execution,
				since,
				customer,
				'Outside the 24-hour messaging window: the customer last wrote 25 hours ago',
				WINDOW_EXPLAINED,
			);
			expect(conversationLookups(since, customer)).toEqual([]);
			expect(nodeOutput(execution, 'Start triggerBot')).toEqual([
				expect.objectContaining({ customerId: customer, text: 'hello?', timestampMs: expect.any(Number) }),
			]);
		});

		// Meta delivers an event at most 36 h late (its retries), so the trigger item is at most that old.
		it('human, 30 hours later (a delivery Meta retried): sent with messaging_type MESSAGE_TAG and tag HUMAN_AGENT', async () => {
			const customer = '4200000000000002';
			const { execution, since } = await run('triggerHuman', customer, 30 * HOUR_MS, 'where is my parcel');
			expect(execution.status).toBe('success');
			expect(conversationLookups(since, customer)).toEqual([]);
			const [record, ...more] = sandbox.sent({ recipientId: customer });
			expect(more).toEqual([]);
			expect(record?.body).toEqual({
				recipient: { id: customer },
				messaging_type: 'MESSAGE_TAG',
				tag: 'HUMAN_AGENT',
				message: { text: 'Re: where is my parcel' },
			});
			expect(sendCalls(since)).toHaveLength(1);
			expect(sandbox.rejected({ recipientId: customer })).toEqual([]);
		});

		it("a delivery stamped 8 days ago is refused by the trigger (older than Meta's 36 h redelivery window): no execution, nothing sent", async () => {
			const customer = '4200000000000003';
			const since = sandbox.state.nextSeq();
			const { delivery } = await sandbox.customerSays({
				from: customer,
				text: 'anyone?',
				at: Date.now() - 8 * DAY_MS,
				callbackUrl: server.webhookUrl(STARTS.triggerHuman.path),
			});
			expect(delivery?.status).toBe(200);
			await expectExecutionCount(server, workflowId, executions);
			expect(sendCalls(since)).toEqual([]);
			expect(sandbox.sent({ recipientId: customer })).toEqual([]);
		});

		it('bot, 1 hour later: sent untagged, with the automation disclosure', async () => {
			const customer = '4200000000000004';
			const { execution, since } = await run('triggerBot', customer, HOUR_MS, 'is the shop open?');
			expect(execution.status).toBe('success');
			expect(conversationLookups(since, customer)).toEqual([]);
			const [record, ...more] = sandbox.sent({ recipientId: customer });
			expect(more).toEqual([]);
			expect(record?.body).toEqual({
				recipient: { id: customer },
				messaging_type: 'RESPONSE',
				message: { text: `${DISCLOSURE}\n\nRe: is the shop open?` },
			});
			expect(sendCalls(since)).toHaveLength(1);
		});
	});

	it('Meta itself agrees: nothing the node let through was refused', () => {
		expect(sandbox.rejected()).toEqual([]);
		expect(sandbox.sent().map((r) => [r.recipientId, r.tag ?? null])).toEqual([
			['4100000000000002', 'HUMAN_AGENT'],
			['4100000000000004', null],
			['4200000000000002', 'HUMAN_AGENT'],
			['4200000000000004', null],
		]);
	});
});
