/** Small builders shared by the benchmarks: workflow JSON, medians, signed Instagram envelopes. */
import { SANDBOX_DEFAULTS } from '../sandbox';
import type { CredentialRef, N8nServer, WorkflowJson } from '../test/e2e/harness';

export type Node = WorkflowJson['nodes'][number];

export const account = SANDBOX_DEFAULTS.instagram;

export function node(
	name: string,
	type: string,
	typeVersion: number,
	parameters: Node['parameters'],
	extra: Partial<Node> = {},
): Node {
	return { id: `${name}-id`, name, type, typeVersion, position: [0, 0], parameters, ...extra };
}

/** Nodes connected one after the other. */
export function chain(name: string, nodes: Node[]): WorkflowJson {
	const connections: WorkflowJson['connections'] = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** n8n's Webhook node answering with the last node's output (to time a whole run from outside). */
export function webhookStart(path: string): Node {
	return node(
		'Start',
		'n8n-nodes-base.webhook',
		2,
		{ httpMethod: 'POST', path, responseMode: 'lastNode', options: {} },
		{ webhookId: path },
	);
}

const noOp = (): Node => node('Done', 'n8n-nodes-base.noOp', 1, {});

/** n8n's Webhook node → No Op: the baseline every ingest rate is compared with. */
export function webhookNoOp(name: string, path: string): WorkflowJson {
	return chain(name, [
		node(
			'Trigger',
			'n8n-nodes-base.webhook',
			2,
			{ httpMethod: 'POST', path, options: {} },
			{ webhookId: path },
		),
		noOp(),
	]);
}

/** Our trigger (messages only, Instagram Login) → No Op. */
export function triggerNoOp(
	name: string,
	type: string,
	webhookId: string,
	credential: CredentialRef,
): WorkflowJson {
	return chain(name, [
		node(
			'Trigger',
			type,
			2,
			{ authentication: 'instagramLoginApi', verifyToken: 'bench-verify', events: ['message'], options: {} },
			{ webhookId, credentials: { instagramLoginApi: credential } },
		),
		noOp(),
	]);
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** A Meta message id of a realistic length (Instagram mids are about 150 characters). */
export function realisticMid(tag: string, i: number): string {
	return `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx${tag}${'Q'.repeat(96)}${String(i).padStart(12, '0')}`;
}

/** One signed-ready Instagram webhook body with `events` messages from one customer. */
export function envelope(tag: string, first: number, events: number): string {
	const now = Date.now();
	return JSON.stringify({
		object: 'instagram',
		entry: [
			{
				time: now,
				id: account.igUserId,
				messaging: Array.from({ length: events }, (_, k) => ({
					sender: { id: SANDBOX_DEFAULTS.customer.id },
					recipient: { id: account.igUserId },
					timestamp: now + k,
					message: { mid: realisticMid(tag, first + k), text: `Hi, is this still available? #${first + k}` },
				})),
			},
		],
	});
}

/** The sandbox account's Instagram Login credential, named "bench", calling `apiBaseUrl`. */
export async function importBenchCredential(server: N8nServer, apiBaseUrl: string): Promise<CredentialRef> {
	const [credential] = await server.importCredentials([
		{
			name: 'bench',
			type: 'instagramLoginApi',
			data: { accessToken: account.accessToken, appSecret: account.instagramAppSecret, apiBaseUrl },
		},
	]);
	return credential;
}
