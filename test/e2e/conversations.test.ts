/**
 * Conversation (Get Many, Get, Get Messages, Backfill) and User (Get Profile) in a real n8n 2.41.1
 * against the sandbox, which enforces Meta's 2 calls/s Conversations API limit. One workflow: an n8n
 * Webhook node fans out to each operation once.
 */
import axios from 'axios';

import { parseWebhookPayload } from '../../nodes/InstagramMessaging/events';
import { SANDBOX_DEFAULTS, type MetaSandbox } from '../../sandbox';
import { conversationIdFor } from '../../sandbox/state';
import { nodeOutput, useScenario, type N8nServer, type WorkflowJson } from './harness';

const WEBHOOK_PATH = 'conversations-e2e';
const account = SANDBOX_DEFAULTS.instagram;
const customer = SANDBOX_DEFAULTS.customer;
const OTHER = '2222222222222222';
const credentialRef = { instagramLoginApi: { id: 'REPLACE', name: 'Instagram account' } };
const conversationId = conversationIdFor(account.igUserId, customer.id);

function operationNode(index: number, name: string, parameters: Record<string, unknown>) {
	return {
		id: `7a1d2c3e-0000-4000-8000-00000000001${index}`,
		name,
		type: 'n8n-nodes-instagram-messaging.instagramMessaging',
		typeVersion: 1,
		position: [300, index * 160] as [number, number],
		parameters: { authentication: 'instagramLoginApi', ...parameters },
		credentials: credentialRef,
	};
}

const OPERATIONS = [
	operationNode(0, 'Get Many', { resource: 'conversation', operation: 'getMany', returnAll: true }),
	operationNode(1, 'Get', {
		resource: 'conversation',
		operation: 'get',
		findBy: 'customer',
		customerId: customer.id,
		messageCount: 5,
	}),
	operationNode(2, 'Get Messages', {
		resource: 'conversation',
		operation: 'getMessages',
		conversationId: { __rl: true, mode: 'id', value: conversationId },
		limit: 1,
	}),
	operationNode(3, 'Backfill', {
		resource: 'conversation',
		operation: 'backfill',
		since: '={{ $now.minus(1, "hour").toISO() }}',
	}),
	operationNode(4, 'Get Profile', { resource: 'user', operation: 'getProfile', userId: customer.id }),
];

const workflow: WorkflowJson = {
	name: 'Conversations and profiles',
	nodes: [
		{
			id: '7a1d2c3e-0000-4000-8000-000000000001',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '7a1d2c3e-0000-4000-8000-0000000000ff',
			parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, options: {} },
		},
		...OPERATIONS,
	],
	connections: {
		Webhook: { main: [OPERATIONS.map((node) => ({ node: node.name, type: 'main', index: 0 }))] },
	},
	settings: { executionOrder: 'v1' },
};

describe('Conversation and User operations in a real n8n', () => {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let workflowId: string;

	useScenario(
		{
			name: 'conversations',
			shared: true,
			workflows: [workflow],
			webhookPaths: [WEBHOOK_PATH],
			setCallback: false,
		},
		(scenario) => {
			({ sandbox, server } = scenario);
			[workflowId] = scenario.workflowIds;
		},
	);

	it('runs each operation once with the documented output', async () => {
		const now = Math.floor(sandbox.now() / 1000) * 1000;
		sandbox.addCustomer({ id: OTHER, username: 'other_customer' });
		const first = await sandbox.customerSays({
			text: 'Is the blue one in stock?',
			at: now - 30 * 60_000,
			deliver: false,
		});
		const second = await sandbox.customerSays({
			from: OTHER,
			text: 'hello',
			at: now - 20 * 60_000,
			deliver: false,
		});
		const reply = await axios.post(
			`${sandbox.url}/v26.0/me/messages`,
			{ recipient: { id: customer.id }, message: { text: 'Yes, it is!' } },
			{ headers: { Authorization: `Bearer ${account.accessToken}` } },
		);
		const replyMid = reply.data.message_id as string;

		expect((await axios.post(server.webhookUrl(WEBHOOK_PATH), {})).status).toBe(200);
		const [execution] = await server.waitForExecutions(workflowId, 1);
		expect(execution.status).toBe('success');

		expect(nodeOutput(execution, 'Get Many')).toEqual([
			expect.objectContaining({
				id: conversationId,
				customerId: customer.id,
				customerUsername: customer.username,
			}),
			expect.objectContaining({
				id: conversationIdFor(account.igUserId, OTHER),
				customerId: OTHER,
				customerUsername: 'other_customer',
			}),
		]);

		const [conversation] = nodeOutput(execution, 'Get');
		expect(conversation.id).toBe(conversationId);
		expect(
			(conversation.messages as Array<Record<string, unknown>>).map((m) => [m.direction, m.text]),
		).toEqual([
			['outbound', 'Yes, it is!'],
			['inbound', 'Is the blue one in stock?'],
		]);

		expect(nodeOutput(execution, 'Get Messages')).toEqual([
			expect.objectContaining({
				id: replyMid,
				direction: 'outbound',
				text: 'Yes, it is!',
				toId: customer.id,
			}),
		]);

		const fromTrigger = [first.payload, second.payload].map(
			(payload) => parseWebhookPayload(payload).events[0],
		);
		const backfill = nodeOutput(execution, 'Backfill');
		expect(backfill.map((i) => [i.eventType, i.customerId, i.mid, i.text, i.dedupKey])).toEqual([
			...fromTrigger.map((e) => [e.eventType, e.customerId, e.mid, e.text, e.dedupKey]),
			['echo', customer.id, replyMid, 'Yes, it is!', `echo:${replyMid}`],
		]);

		expect(nodeOutput(execution, 'Get Profile')).toEqual([
			expect.objectContaining({
				id: customer.id,
				name: customer.name,
				username: customer.username,
				basicFieldsOnly: false,
			}),
		]);

		// the n8n process kept under 2 calls/s: Meta's throttling never answered
		const conversationsCalls = sandbox
			.requests()
			.filter((r) => /\/conversations$|\/messages$/.test(r.path) && r.method === 'GET');
		expect(conversationsCalls.length).toBeGreaterThanOrEqual(4);
		expect(conversationsCalls.filter((r) => r.status !== 200)).toEqual([]);
	});

	it('prints no token or secret in the n8n log', () => {
		const log = server.logs();
		expect(log).not.toContain(account.accessToken);
		expect(log).not.toContain(account.instagramAppSecret);
	});
});
