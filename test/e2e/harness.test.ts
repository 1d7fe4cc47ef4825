/**
 * Proves the e2e harness itself on a real n8n 2.41.1, using only n8n's own Webhook node (our
 * package is not loaded): CLI import + publish, start, production webhook, executions read back
 * through the public API, restart, API-created workflows, and no secrets in the logs.
 */
import axios from 'axios';

import {
	INSTALL_TIMEOUT_MS,
	N8nServer,
	bindCredentials,
	customType,
	nodeOutput,
	type WorkflowJson,
} from './harness';

const SMOKE_PATH = 'e2e-smoke';
const TOKEN_HEADER = 'x-e2e-token';
const token = `tok-${Date.now()}-${Math.random().toString(36).slice(2)}`;

function webhookWorkflow(name: string, path: string, auth: boolean): WorkflowJson {
	return {
		name,
		nodes: [
			{
				id: 'a3f1c2d4-0000-4000-8000-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${path}-0000-4000-8000-000000000001`,
				parameters: { httpMethod: 'POST', path, authentication: auth ? 'headerAuth' : 'none', options: {} },
				...(auth ? { credentials: { httpHeaderAuth: { id: 'unbound', name: 'as shipped' } } } : {}),
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

const post = (url: string, body: object, headers: Record<string, string> = {}) =>
	axios.post(url, body, { headers, validateStatus: () => true });

describe('workflow helpers', () => {
	it('rewrites the published type prefix and binds credentials by type', () => {
		expect(customType('n8n-nodes-instagram-messaging.instagramMessaging')).toBe('CUSTOM.instagramMessaging');
		expect(customType('instagramMessagingTrigger')).toBe('CUSTOM.instagramMessagingTrigger');
		expect(customType('n8n-nodes-base.webhook')).toBe('n8n-nodes-base.webhook');
		const shipped = webhookWorkflow('wf', 'p', true);
		const bound = bindCredentials(shipped, { httpHeaderAuth: { id: 'cred1', name: 'Header' } });
		expect(bound.nodes[0].credentials).toEqual({ httpHeaderAuth: { id: 'cred1', name: 'Header' } });
		expect(shipped.nodes[0].credentials?.httpHeaderAuth.id).toBe('unbound');
		expect(() => bindCredentials(shipped, {})).toThrow(/httpHeaderAuth/);
	});
});

describe('n8n e2e harness (real server, no package)', () => {
	let server: N8nServer;
	let workflowId: string;
	const timings: Record<string, number> = {};

	beforeAll(async () => {
		// Runs install-n8n.sh first if the cache is empty (minutes), hence the long hook timeout.
		server = await N8nServer.create({ name: 'harness-smoke', loadPackage: false });
	}, INSTALL_TIMEOUT_MS);

	afterAll(async () => {
		await server?.dispose();
		console.info(`e2e harness timings (ms): ${JSON.stringify(timings)}`);
	});

	it('imports and publishes with the CLI, then serves the production webhook', async () => {
		let t = Date.now();
		const [credential] = await server.importCredentials([
			{ name: 'Smoke header auth', type: 'httpHeaderAuth', data: { name: TOKEN_HEADER, value: token } },
		]);
		workflowId = await server.importWorkflow(
			bindCredentials(webhookWorkflow('E2E smoke', SMOKE_PATH, true), { httpHeaderAuth: credential }),
		);
		await server.publish(workflowId);
		timings.cliImportAndPublish = Date.now() - t;

		t = Date.now();
		await server.start();
		timings.startToReady = server.lastStartMs;
		await server.waitForWebhook(SMOKE_PATH, 'POST');
		timings.startToWebhookReady = Date.now() - t;
		await expect(server.importWorkflow(webhookWorkflow('x', 'x', false))).rejects.toThrow(/stop the server/);

		expect((await post(server.webhookUrl(SMOKE_PATH), { hello: 'nope' })).status).toBe(403);
		const ok = await post(server.webhookUrl(SMOKE_PATH), { hello: 'world' }, { [TOKEN_HEADER]: token });
		expect(ok.status).toBe(200);

		const [execution] = await server.waitForExecutions(workflowId, 1);
		expect(execution).toMatchObject({ status: 'success', mode: 'webhook', workflowId });
		expect(nodeOutput(execution, 'Webhook')[0].body).toEqual({ hello: 'world' });
		expect(await server.executions({ workflowId, status: 'error' })).toEqual([]);
	});

	it('keeps the workflow active and the credential decryptable across a restart', async () => {
		const t = Date.now();
		await server.restart();
		await server.waitForWebhook(SMOKE_PATH, 'POST');
		timings.restartToWebhookReady = Date.now() - t;
		timings.restartStartToReady = server.lastStartMs;

		const workflows = await server.workflows();
		expect(workflows.find((w) => w.id === workflowId)?.active).toBe(true);
		const ok = await post(server.webhookUrl(SMOKE_PATH), { again: true }, { [TOKEN_HEADER]: token });
		expect(ok.status).toBe(200);
		const executions = await server.waitForExecutions(workflowId, 2);
		expect(executions.map((e) => e.status)).toEqual(['success', 'success']);
		expect(nodeOutput(executions[1], 'Webhook')[0].body).toEqual({ again: true });
	});

	it('creates, activates and deactivates workflows through the public API', async () => {
		const t = Date.now();
		const created = await server.createWorkflow(webhookWorkflow('E2E api', 'e2e-api', false));
		expect(created.active).toBe(false);
		await server.activate(created.id);
		await server.waitForWebhook('e2e-api', 'POST');
		timings.apiActivateToWebhookReady = Date.now() - t;

		expect((await post(server.webhookUrl('e2e-api'), { via: 'api' })).status).toBe(200);
		const [execution] = await server.waitForExecutions(created.id, 1);
		expect(nodeOutput(execution, 'Webhook')[0].body).toEqual({ via: 'api' });

		await server.deactivate(created.id);
		expect((await server.publicationStatus(created.id)).status).toBe('not_published');
		expect((await post(server.webhookUrl('e2e-api'), { via: 'api' })).status).toBe(404);
		expect(await server.executions({ workflowId: created.id })).toHaveLength(1);
	});

	it('never writes a secret to the logs', () => {
		const logs = server.logs();
		expect(logs).toMatch(/Editor is now accessible via/);
		for (const secret of [...server.secrets(), token]) expect(logs).not.toContain(secret);
	});
});
