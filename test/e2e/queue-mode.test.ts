/**
 * n8n's queue mode, as agencies run it: a main (UI, API, activation), 2 webhook processors behind
 * a round-robin proxy and 2 workers, over Redis and PostgreSQL from Debian's packages — the
 * package's Automatic subscription lifecycle across processes, with the sandbox standing in for
 * Meta. (Issue 12's cross-process dedup, send and token tests are not here yet: docs/architecture.md
 * "Per-process state".)
 */
import type { INode } from 'n8n-workflow';

import type { MetaSandbox } from '../../sandbox';
import { filterRequests } from '../../sandbox/state/records';
import { handshakeStatuses, useScenario, type N8nServer, type WorkflowJson } from './harness';

const TRIGGER = 'Instagram Trigger';
const HOOK = 'queue-trigger-e2e';
const VERIFY_TOKEN = 'queue-e2e-verify-token';
const ref = { id: 'REPLACE', name: 'bound by type' };

const triggerWorkflow: WorkflowJson = {
	name: 'Queue trigger',
	nodes: [
		{
			id: '9a0c1a2b-0000-4000-8000-000000000001',
			name: TRIGGER,
			type: 'n8n-nodes-instagram-messaging.instagramMessagingTrigger',
			typeVersion: 2,
			position: [0, 0],
			webhookId: HOOK,
			parameters: {
				authentication: 'instagramLoginApi',
				subscription: 'automatic',
				verifyToken: VERIFY_TOKEN,
				events: ['message'],
				options: {},
			},
			credentials: { instagramLoginApi: ref, metaAppApi: ref },
		} as INode,
	],
	connections: {},
	settings: { executionOrder: 'v1' },
};

let sandbox: MetaSandbox;
let server: N8nServer;
let workflowId: string;

describe('queue mode: main + 2 webhook processors + 2 workers on Redis and PostgreSQL', () => {
	useScenario(
		{
			name: 'queue',
			queue: { webhookProcessors: 2, workers: 2 },
			workflows: [triggerWorkflow],
			verifyToken: VERIFY_TOKEN,
			webhookPaths: [`${HOOK}/webhook`],
			setCallback: false,
		},
		(scenario) => {
			({ sandbox, server } = scenario);
			[workflowId] = scenario.workflowIds;
		},
	);

	it('the main subscribes once on activation; Meta is given the processors, whose handshake answers', () => {
		const callbackUrl = server.webhookUrl(`${HOOK}/webhook`);
		expect(callbackUrl.startsWith(server.queue.webhookBaseUrl)).toBe(true);
		const app = sandbox.instagram;
		expect(sandbox.state.appSubscriptions(app.metaAppId)).toEqual([
			expect.objectContaining({ callbackUrl, verifyToken: VERIFY_TOKEN, active: true }),
		]);
		expect(handshakeStatuses(sandbox, callbackUrl)).toEqual([200]);
		expect(filterRequests(sandbox.state.requests, { method: 'POST', path: /\/subscriptions$/ })).toHaveLength(
			1,
		);
	});

	it('an event through the proxy runs on a worker', async () => {
		const account = sandbox.instagram.igUserId;
		const at = Date.now() - 60_000;
		const event = {
			sender: { id: '5300000000000001' },
			recipient: { id: account },
			timestamp: at,
			message: { mid: 'queue.1', text: 'hi' },
		};
		const res = await sandbox.deliver(
			{ object: 'instagram', entry: [{ id: account, time: at, messaging: [event] }] },
			{ callbackUrl: server.webhookUrl(`${HOOK}/webhook`) },
		);
		expect(res.status).toBe(200);
		const [execution] = await server.waitForExecutions(workflowId, 1, 60_000);
		expect(execution?.status).toBe('success');
		expect(server.queue.executionsByWorker().reduce((a, b) => a + b, 0)).toBe(1);
	}, 90_000);

	it('deactivation on the main removes the subscription', async () => {
		await server.deactivate(workflowId);
		expect(sandbox.state.appSubscriptions(sandbox.instagram.metaAppId)).toEqual([]);
	});
});
