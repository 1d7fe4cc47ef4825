/**
 * P4 (issue 13): Conversation → Backfill over N conversations in the sandbox (Meta's 2 calls/s
 * Conversations API limit enforced): Graph calls used against the fewest possible — one account
 * lookup plus one call per page of 25 conversations, each carrying its newest messages — and the
 * busiest second of Conversations API calls.
 */
import axios from 'axios';

import { MetaSandbox } from '../sandbox';
import { N8nServer } from '../test/e2e/harness';
import { chain, importBenchCredential, node, webhookStart } from './workflows';

export interface BackfillRow {
	conversations: number;
	messages: number;
	items: number;
	calls: number;
	minimalCalls: number;
	ratio: number;
	/** Most Conversations API calls that fell within any one second. */
	busiestSecond: number;
	seconds: number;
}

/** Conversations per page the node asks for (`backfill.operation.ts`). */
const CONVERSATIONS_PER_PAGE = 25;

function busiestSecond(times: number[]): number {
	let most = 0;
	for (let i = 0; i < times.length; i++) {
		let j = i;
		while (j + 1 < times.length && times[j + 1] - times[i] < 1000) j++;
		most = Math.max(most, j - i + 1);
	}
	return most;
}

export async function runBackfillBench(
	options: { conversations?: number; perConversation?: number } = {},
): Promise<BackfillRow> {
	const conversations = options.conversations ?? 120;
	const perConversation = options.perConversation ?? 3;
	const customers = Array.from({ length: conversations }, (_, i) => ({ id: String(7200000000000000 + i) }));
	const sandbox = await MetaSandbox.start({ customers });
	for (const customer of customers) {
		for (let m = 0; m < perConversation; m++) {
			await sandbox.customerSays({ from: customer.id, text: `message ${m}`, deliver: false });
		}
	}
	const server = await N8nServer.create({ name: 'bench-backfill' });
	try {
		const credential = await importBenchCredential(server, sandbox.url);
		const workflow = chain('bench backfill', [
			webhookStart('bench-backfill'),
			node(
				'Backfill',
				'CUSTOM.instagramMessaging',
				1,
				{
					authentication: 'instagramLoginApi',
					resource: 'conversation',
					operation: 'backfill',
					since: '={{ $now.minus(1, "day").toISO() }}',
					options: {},
				},
				{ credentials: { instagramLoginApi: { id: credential.id, name: 'bench' } } },
			),
			node('Count', 'n8n-nodes-base.code', 2, {
				jsCode: 'return [{ json: { items: $input.all().length } }];',
			}),
		]);
		await server.publish(await server.importWorkflow(workflow));
		await server.start();
		await server.waitForWebhook('bench-backfill', 'POST');
		const since = sandbox.requests().length;
		const started = Date.now();
		const res = await axios.post<{ items: number }>(
			server.webhookUrl('bench-backfill'),
			{},
			{ timeout: 300_000 },
		);
		const seconds = (Date.now() - started) / 1000;
		const calls = sandbox.requests().slice(since);
		const conversationCalls = calls.filter(
			(c) => /\/(conversations|messages)$/.test(c.path) && c.method === 'GET',
		);
		const minimalCalls = 1 + Math.ceil(conversations / CONVERSATIONS_PER_PAGE);
		return {
			conversations,
			messages: conversations * perConversation,
			items: res.data.items,
			calls: calls.length,
			minimalCalls,
			ratio: calls.length / minimalCalls,
			busiestSecond: busiestSecond(conversationCalls.map((c) => c.at)),
			seconds,
		};
	} finally {
		await server.dispose();
		await sandbox.stop();
	}
}
