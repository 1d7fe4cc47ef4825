/**
 * P2 (issue 13): our trigger vs n8n's own Webhook node in one n8n, both → No Op, on identical
 * signed bytes from the same HTTP client: one request at a time, 8 at a time, and 50 events per
 * POST. A rate is deliveries from the first request to the last execution's `stoppedAt`; "lost"
 * compares the executions (and, for the trigger, its items) with what was sent.
 */
import axios from 'axios';
import http from 'http';

import { signBody } from '../sandbox';
import { N8nServer, nodeOutput } from '../test/e2e/harness';
import {
	account,
	chain,
	envelope,
	importBenchCredential,
	median,
	node,
	triggerNoOp,
	webhookNoOp,
} from './workflows';

export type IngestMode = 'sequential' | 'concurrent' | 'batch';

export interface IngestRow {
	mode: IngestMode;
	/**
	 * 50 events per POST only: n8n's Webhook → Split Out, one item per event like the trigger's
	 * output (executions/s; lost events).
	 */
	split?: { perSec: number; lost: number };
	/** Requests in flight at a time. */
	concurrency: number;
	eventsPerPost: number;
	deliveries: number;
	oursPerSec: number;
	baselinePerSec: number;
	ratio: number;
	/** Events missing from the executions, over all rounds. */
	lost: { ours: number; baseline: number };
}

const MODES: Array<{ mode: IngestMode; concurrency: number; eventsPerPost: number; deliveries: number }> = [
	{ mode: 'sequential', concurrency: 1, eventsPerPost: 1, deliveries: 120 },
	{ mode: 'concurrent', concurrency: 8, eventsPerPost: 1, deliveries: 240 },
	{ mode: 'batch', concurrency: 1, eventsPerPost: 50, deliveries: 40 },
];

const OURS_PATH = 'bench-ingest-ours/webhook';
const BASELINE_PATH = 'bench-ingest-baseline';
const SPLIT_PATH = 'bench-ingest-split';

type Variant = 'ours' | 'baseline' | 'split';
const PATHS: Record<Variant, string> = { ours: OURS_PATH, baseline: BASELINE_PATH, split: SPLIT_PATH };

async function importWorkflows(server: N8nServer, credentialId: string): Promise<Record<Variant, string>> {
	const ours = triggerNoOp(
		'bench ingest: Instagram Messaging Trigger',
		'CUSTOM.instagramMessagingTrigger',
		'bench-ingest-ours',
		{ id: credentialId, name: 'bench' },
	);
	const baseline = webhookNoOp('bench ingest: Webhook', BASELINE_PATH);
	const split = chain('bench ingest: Webhook → Split Out', [
		node(
			'Trigger',
			'n8n-nodes-base.webhook',
			2,
			{ httpMethod: 'POST', path: SPLIT_PATH, options: {} },
			{ webhookId: SPLIT_PATH },
		),
		node('Split', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'body.entry[0].messaging', options: {} }),
		node('Done', 'n8n-nodes-base.noOp', 1, {}),
	]);
	const ids = {
		ours: await server.importWorkflow(ours),
		baseline: await server.importWorkflow(baseline),
		split: await server.importWorkflow(split),
	};
	for (const id of Object.values(ids)) await server.publish(id);
	return ids;
}

/** Posts every body, `concurrency` at a time, through one keep-alive client. */
export async function postAll(
	url: string,
	bodies: Array<{ raw: string; signature: string }>,
	concurrency: number,
): Promise<void> {
	const client = axios.create({
		httpAgent: new http.Agent({ keepAlive: true, maxSockets: concurrency }),
		validateStatus: () => true,
		timeout: 60_000,
	});
	let next = 0;
	const sender = async () => {
		while (next < bodies.length) {
			const { raw, signature } = bodies[next++];
			const res = await client.post(url, raw, {
				headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
			});
			if (res.status !== 200) throw new Error(`${url} answered HTTP ${res.status}`);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, sender));
}

/**
 * Runs every mode in alternating rounds. `settings` are extra n8n environment variables (the
 * same for both variants: they share the server).
 */
export async function runIngestBench(
	options: { rounds?: number; settings?: Record<string, string>; name?: string; modes?: IngestMode[] } = {},
): Promise<IngestRow[]> {
	const rounds = options.rounds ?? 3;
	const server = await N8nServer.create({ name: options.name ?? 'bench-ingest', env: options.settings });
	try {
		const credential = await importBenchCredential(server, 'http://127.0.0.1:9');
		const ids = await importWorkflows(server, credential.id);
		await server.start();
		await server.waitForWebhook(OURS_PATH, 'POST');
		await server.waitForWebhook(BASELINE_PATH, 'POST');
		await server.waitForWebhook(SPLIT_PATH, 'POST');

		const rows: IngestRow[] = [];
		for (const spec of MODES.filter((m) => options.modes?.includes(m.mode) ?? true)) {
			const rates: Record<Variant, number[]> = { ours: [], baseline: [], split: [] };
			const lost: Record<Variant, number> = { ours: 0, baseline: 0, split: 0 };
			const variants: Variant[] =
				spec.eventsPerPost > 1 ? ['ours', 'baseline', 'split'] : ['ours', 'baseline'];
			for (let round = 0; round < rounds; round++) {
				// New message ids every round (the trigger would rightly drop repeats); both variants get
				// these same bytes.
				const bodies = Array.from({ length: spec.deliveries }, (_, i) => {
					const raw = envelope(`${spec.mode}${round}`, i * spec.eventsPerPost, spec.eventsPerPost);
					return { raw, signature: signBody(raw, account.instagramAppSecret) };
				});
				for (const variant of variants) {
					const workflowId = ids[variant];
					const before = (await server.executions({ workflowId })).length;
					const started = Date.now();
					await postAll(server.webhookUrl(PATHS[variant]), bodies, spec.concurrency);
					const all = await server.waitForExecutions(workflowId, before + spec.deliveries, 300_000);
					const fresh = all.slice(before);
					const lastStop = Math.max(...fresh.map((e) => Date.parse(e.stoppedAt ?? '') || Date.now()));
					rates[variant].push(spec.deliveries / ((lastStop - started) / 1000));
					const itemsOf = { ours: 'Trigger', split: 'Split' } as const;
					const events =
						variant === 'baseline'
							? fresh.length * spec.eventsPerPost
							: fresh.reduce((sum, e) => sum + nodeOutput(e, itemsOf[variant]).length, 0);
					lost[variant] += spec.deliveries * spec.eventsPerPost - events;
				}
			}
			const oursPerSec = median(rates.ours);
			const baselinePerSec = median(rates.baseline);
			rows.push({
				...spec,
				oursPerSec,
				baselinePerSec,
				ratio: oursPerSec / baselinePerSec,
				lost: { ours: lost.ours, baseline: lost.baseline },
				...(variants.includes('split') ? { split: { perSec: median(rates.split), lost: lost.split } } : {}),
			});
		}
		return rows;
	} finally {
		await server.dispose();
	}
}
