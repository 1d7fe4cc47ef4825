/**
 * P2 and P3 (perf-anchors.md) inside a real n8n 2.41.1, each against a baseline built from n8n's
 * own nodes in the same server and the same run, alternating rounds:
 * - P2 trigger: N signed DMs, one at a time, until all executions are recorded — our trigger vs
 *   n8n's Webhook node (both → No Op);
 * - P3 send: 1,000 items sent to the sandbox — our Send Text vs n8n's HTTP Request node.
 */
import axios from 'axios';

import { MetaSandbox, SANDBOX_DEFAULTS, signBody } from '../sandbox';
import { N8nServer, type WorkflowJson } from '../test/e2e/harness';

const account = SANDBOX_DEFAULTS.instagram;
const customer = SANDBOX_DEFAULTS.customer.id;

type Node = WorkflowJson['nodes'][number];

function node(
	name: string,
	type: string,
	typeVersion: number,
	parameters: Node['parameters'],
	extra: Partial<Node> = {},
): Node {
	return { id: `${name}-id`, name, type, typeVersion, position: [0, 0], parameters, ...extra };
}

function chain(name: string, nodes: Node[]): WorkflowJson {
	const connections: WorkflowJson['connections'] = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

const itemsCode = `const now = Date.now();
return Array.from({ length: $json.body.n }, (_, i) => ({ json: {
  customerId: '${customer}', timestampMs: now, windowExpiresAt: new Date(now + 86400000).toISOString(),
  text: $json.body.tag + ' ' + i } }));`;

function sendWorkflows(credentialId: string, sandboxUrl: string): Record<'ours' | 'baseline', WorkflowJson> {
	const start = (path: string) => [
		node(
			'Start',
			'n8n-nodes-base.webhook',
			2,
			{ httpMethod: 'POST', path, responseMode: 'lastNode', options: {} },
			{
				webhookId: path,
			},
		),
		node('Items', 'n8n-nodes-base.code', 2, { jsCode: itemsCode }),
	];
	return {
		ours: chain('bench send: Instagram Messaging', [
			...start('bench-send-ours'),
			node(
				'Send',
				'CUSTOM.instagramMessaging',
				1,
				{
					authentication: 'instagramLoginApi',
					resource: 'message',
					operation: 'sendText',
					recipientId: '={{ $json.customerId }}',
					text: '={{ $json.text }}',
					discloseAutomation: false,
				},
				{ credentials: { instagramLoginApi: { id: credentialId, name: 'bench' } } },
			),
		]),
		baseline: chain('bench send: HTTP Request', [
			...start('bench-send-baseline'),
			node('Send', 'n8n-nodes-base.httpRequest', 4.2, {
				method: 'POST',
				url: `${sandboxUrl}/v26.0/me/messages`,
				sendHeaders: true,
				headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${account.accessToken}` }] },
				sendBody: true,
				specifyBody: 'json',
				jsonBody:
					'={{ JSON.stringify({ recipient: { id: $json.customerId }, messaging_type: "RESPONSE", message: { text: $json.text } }) }}',
				options: {},
			}),
		]),
	};
}

function triggerWorkflows(credentialId: string): Record<'ours' | 'baseline', WorkflowJson> {
	return {
		ours: chain('bench trigger: Instagram Messaging Trigger', [
			node(
				'Trigger',
				'CUSTOM.instagramMessagingTrigger',
				2,
				{
					authentication: 'instagramLoginApi',
					verifyToken: 'bench-verify',
					events: ['message'],
					options: {},
				},
				{
					webhookId: 'bench-trigger-ours',
					credentials: { instagramLoginApi: { id: credentialId, name: 'bench' } },
				},
			),
			node('Done', 'n8n-nodes-base.noOp', 1, {}),
		]),
		baseline: chain('bench trigger: Webhook', [
			node(
				'Trigger',
				'n8n-nodes-base.webhook',
				2,
				{ httpMethod: 'POST', path: 'bench-trigger-baseline', options: {} },
				{
					webhookId: 'bench-trigger-baseline',
				},
			),
			node('Done', 'n8n-nodes-base.noOp', 1, {}),
		]),
	};
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

export interface N8nBenchResult {
	send: {
		items: number;
		oursMs: number;
		baselineMs: number;
		ratio: number;
		duplicates: number;
		failures: number;
	};
	trigger: { events: number; oursPerSec: number; baselinePerSec: number; ratio: number };
}

export async function runN8nBench(
	options: { items?: number; events?: number; rounds?: number } = {},
): Promise<N8nBenchResult> {
	const items = options.items ?? 1000;
	const events = options.events ?? 60;
	const rounds = options.rounds ?? 3;
	// Meta's per-account send cap is off here: the bench compares n8n-side cost with n8n's own HTTP
	// Request node, which would otherwise be throttled. The node still spaces its calls under 300/s.
	const sandbox = await MetaSandbox.start({ sendRateLimit: null });
	// The customer writes first, so that the 24 h window is open for every send.
	await sandbox.customerSays({ text: 'hi', deliver: false });
	const server = await N8nServer.create({ name: 'bench' });
	try {
		const [credential] = await server.importCredentials([
			{
				name: 'bench',
				type: 'instagramLoginApi',
				data: {
					accessToken: account.accessToken,
					appSecret: account.instagramAppSecret,
					apiBaseUrl: sandbox.url,
				},
			},
		]);
		const send = sendWorkflows(credential.id, sandbox.url);
		const trigger = triggerWorkflows(credential.id);
		const ids: Record<string, string> = {};
		for (const [key, wf] of Object.entries({
			sendOurs: send.ours,
			sendBase: send.baseline,
			trigOurs: trigger.ours,
			trigBase: trigger.baseline,
		})) {
			ids[key] = await server.importWorkflow(wf);
			await server.publish(ids[key]);
		}
		await server.start();
		for (const path of ['bench-send-ours', 'bench-send-baseline', 'bench-trigger-baseline'])
			await server.waitForWebhook(path, 'POST');
		await server.waitForWebhook('bench-trigger-ours/webhook', 'POST');

		const sendTimes = { ours: [] as number[], baseline: [] as number[] };
		let duplicates = 0;
		let failures = 0;
		for (let round = 0; round < rounds; round++) {
			for (const variant of ['ours', 'baseline'] as const) {
				const tag = `${variant}-${round}`;
				const before = sandbox.sent().length;
				const started = Date.now();
				const res = await axios.post(
					server.webhookUrl(`bench-send-${variant}`),
					{ n: items, tag },
					{ validateStatus: () => true, timeout: 600_000 },
				);
				sendTimes[variant].push(Date.now() - started);
				const texts = sandbox
					.sent()
					.slice(before)
					.map((s) => s.text);
				if (res.status !== 200 || texts.length !== items) failures += Math.abs(items - texts.length) || 1;
				duplicates += texts.length - new Set(texts).size;
			}
		}

		const triggerRates = { ours: [] as number[], baseline: [] as number[] };
		for (let round = 0; round < rounds; round++) {
			for (const variant of ['ours', 'baseline'] as const) {
				const workflowId = variant === 'ours' ? ids.trigOurs : ids.trigBase;
				const already = (await server.executions({ workflowId })).length;
				const started = Date.now();
				for (let i = 0; i < events; i++) {
					if (variant === 'ours') {
						await sandbox.customerSays({
							text: `bench ${round}-${i}`,
							callbackUrl: server.webhookUrl('bench-trigger-ours/webhook'),
						});
					} else {
						const raw = JSON.stringify({ text: `bench ${round}-${i}` });
						await axios.post(server.webhookUrl('bench-trigger-baseline'), raw, {
							headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, 'unused') },
						});
					}
				}
				await server.waitForExecutions(workflowId, already + events, 120_000);
				triggerRates[variant].push(events / ((Date.now() - started) / 1000));
			}
		}

		const oursMs = median(sendTimes.ours);
		const baselineMs = median(sendTimes.baseline);
		const oursPerSec = median(triggerRates.ours);
		const baselinePerSec = median(triggerRates.baseline);
		return {
			send: { items, oursMs, baselineMs, ratio: oursMs / baselineMs, duplicates, failures },
			trigger: { events, oursPerSec, baselinePerSec, ratio: oursPerSec / baselinePerSec },
		};
	} finally {
		await server.dispose();
		await sandbox.stop();
	}
}
