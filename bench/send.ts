/**
 * P3 (issue 13): 1,000 texts to 100 customers through a sandbox that answers after 50 ms and
 * enforces Meta's 300 sends/s per account (throttled calls are refused with error 613 and not
 * sent). Our Send Text against n8n's HTTP Request node: all at once (its default), batched at
 * 300 per second (n8n's own way to stay under a cap), and one by one (Loop Over Items).
 */
import axios from 'axios';

import { MetaSandbox } from '../sandbox';
import { N8nServer, type WorkflowJson } from '../test/e2e/harness';
import { account, chain, importBenchCredential, median, node, webhookStart } from './workflows';

export type SendVariant = 'ours' | 'allAtOnce' | 'batched' | 'oneByOne';

export interface SendRow {
	variant: SendVariant;
	items: number;
	/** The whole workflow run, webhook to answer (median). */
	seconds: number;
	/** Accepted sends per second as Meta sees them: first to last accepted send (median). */
	sendsPerSec: number;
	/** Items Meta did not accept (throttled or failed), over all rounds. */
	failures: number;
	duplicates: number;
	/** Whether every customer received its messages in item order, in every round. */
	orderKept: boolean;
}

const CUSTOMERS = Array.from({ length: 100 }, (_, i) => ({ id: String(7100000000000000 + i) }));
const LATENCY_MS = 50;

const itemsCode = (customers: string[]) => `const ids = ${JSON.stringify(customers)};
const now = Date.now();
return Array.from({ length: $json.body.n }, (_, i) => ({ json: {
  customerId: ids[i % ids.length], timestampMs: now, windowExpiresAt: new Date(now + 86400000).toISOString(),
  text: $json.body.tag + ' ' + i } }));`;

function httpRequest(sandboxUrl: string, options: object) {
	return node('Send', 'n8n-nodes-base.httpRequest', 4.2, {
		method: 'POST',
		url: `${sandboxUrl}/v26.0/me/messages`,
		sendHeaders: true,
		headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${account.accessToken}` }] },
		sendBody: true,
		specifyBody: 'json',
		jsonBody:
			'={{ JSON.stringify({ recipient: { id: $json.customerId }, messaging_type: "RESPONSE", message: { text: $json.text } }) }}',
		// Meta's refusals come back as items, so that every item is accounted for.
		options: { response: { response: { neverError: true } }, ...options },
	});
}

function workflows(credentialId: string, sandboxUrl: string): Record<SendVariant, WorkflowJson> {
	const start = (variant: SendVariant) => [
		webhookStart(`bench-send-${variant}`),
		node('Items', 'n8n-nodes-base.code', 2, { jsCode: itemsCode(CUSTOMERS.map((c) => c.id)) }),
	];
	const oneByOne = chain('bench send: Loop Over Items → HTTP Request', [
		...start('oneByOne'),
		node('Loop', 'n8n-nodes-base.splitInBatches', 3, { batchSize: 1, options: {} }),
		httpRequest(sandboxUrl, {}),
	]);
	// Loop Over Items: output 0 is "done", output 1 feeds the next item to the request, which loops back.
	oneByOne.connections.Loop = { main: [[], [{ node: 'Send', type: 'main', index: 0 }]] };
	oneByOne.connections.Send = { main: [[{ node: 'Loop', type: 'main', index: 0 }]] };
	return {
		ours: chain('bench send: Instagram Messaging', [
			...start('ours'),
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
		allAtOnce: chain('bench send: HTTP Request', [...start('allAtOnce'), httpRequest(sandboxUrl, {})]),
		batched: chain('bench send: HTTP Request, 300 per second', [
			...start('batched'),
			httpRequest(sandboxUrl, { batching: { batch: { batchSize: 300, batchInterval: 1000 } } }),
		]),
		oneByOne,
	};
}

function inOrder(texts: Array<{ recipientId: string; text?: string }>): boolean {
	const last = new Map<string, number>();
	for (const { recipientId, text } of texts) {
		const index = Number(String(text).split(' ').pop());
		if ((last.get(recipientId) ?? -1) > index) return false;
		last.set(recipientId, index);
	}
	return true;
}

export async function runSendBench(
	options: {
		items?: number;
		rounds?: number;
		variants?: SendVariant[];
		settings?: Record<string, string>;
	} = {},
): Promise<SendRow[]> {
	const items = options.items ?? 1000;
	const rounds = options.rounds ?? 3;
	const variants = options.variants ?? (['ours', 'allAtOnce', 'batched', 'oneByOne'] as const);
	const sandbox = await MetaSandbox.start({ customers: CUSTOMERS });
	sandbox.injectFault({
		method: 'POST',
		path: /\/messages$/,
		delayMs: LATENCY_MS,
		times: Number.POSITIVE_INFINITY,
	});
	// Every customer wrote first, so that the 24 h window is open for every send.
	for (const customer of CUSTOMERS)
		await sandbox.customerSays({ from: customer.id, text: 'hi', deliver: false });
	const server = await N8nServer.create({ name: 'bench-send', env: options.settings });
	try {
		const credential = await importBenchCredential(server, sandbox.url);
		const all = workflows(credential.id, sandbox.url);
		for (const wf of Object.values(all)) await server.publish(await server.importWorkflow(wf));
		await server.start();
		for (const variant of Object.keys(all)) await server.waitForWebhook(`bench-send-${variant}`, 'POST');

		const results = new Map<
			SendVariant,
			{ seconds: number[]; rates: number[]; failures: number; duplicates: number; orderKept: boolean }
		>();
		for (let round = 0; round < rounds; round++) {
			for (const variant of variants) {
				// One by one takes a minute per round: once is enough to show it.
				if (variant === 'oneByOne' && round > 0) continue;
				const result = results.get(variant) ?? {
					seconds: [],
					rates: [],
					failures: 0,
					duplicates: 0,
					orderKept: true,
				};
				const tag = `${variant}-${round}`;
				const since = sandbox.sent().length;
				// Let the sandbox's bucket refill, so that every variant starts from a full second of budget.
				await new Promise((resolve) => setTimeout(resolve, 1100));
				const started = Date.now();
				await axios.post(server.webhookUrl(`bench-send-${variant}`), { n: items, tag }, { timeout: 900_000 });
				result.seconds.push((Date.now() - started) / 1000);
				const sent = sandbox
					.sent()
					.slice(since)
					.filter((s) => s.text?.startsWith(`${tag} `));
				if (sent.length > 1)
					result.rates.push((sent.length - 1) / ((sent[sent.length - 1].at - sent[0].at) / 1000));
				result.failures += items - new Set(sent.map((s) => s.text)).size;
				result.duplicates += sent.length - new Set(sent.map((s) => s.text)).size;
				result.orderKept &&= inOrder(sent);
				results.set(variant, result);
			}
		}
		return [...results].map(([variant, r]) => ({
			variant,
			items,
			seconds: median(r.seconds),
			sendsPerSec: median(r.rates),
			failures: r.failures,
			duplicates: r.duplicates,
			orderKept: r.orderKept,
		}));
	} finally {
		await server.dispose();
		await sandbox.stop();
	}
}
