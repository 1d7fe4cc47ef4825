/**
 * `npm run bench`: every benchmark, each against a baseline measured in the same run (issue 13's
 * P1–P4, issue 12's P5). Prints Markdown tables; the README's "Performance" section is pasted from them.
 * `--quick`: P1 only. `--only=p2,p3`: some of them. P5 (queue mode) needs PostgreSQL and Redis.
 */
import { runBackfillBench } from './backfill';
import { runIngestBench, type IngestRow } from './ingest';
import { runQueueBench } from './queue';
import { runSendBench, type SendRow } from './send';
import { runParseBench } from './webhook-parse';

/** n8n's setting that makes an execution create an expression isolate only when it evaluates one. */
const LAZY_ISOLATES = { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' };

function us(ns: number): string {
	return `${(ns / 1000).toFixed(2)} µs`;
}

function wanted(part: string): boolean {
	if (process.argv.includes('--quick')) return part === 'p1';
	const only = process.argv.find((arg) => arg.startsWith('--only='));
	return only === undefined || only.slice('--only='.length).split(',').includes(part);
}

function printIngest(title: string, rows: IngestRow[]): void {
	console.log(`\n### ${title}\n`);
	console.log('| mode | Webhook → No Op | Trigger → No Op | ratio | lost (ours / Webhook) |');
	console.log('| --- | ---: | ---: | ---: | ---: |');
	for (const row of rows) {
		const label =
			row.mode === 'batch'
				? `${row.deliveries} POSTs of ${row.eventsPerPost} events, one at a time`
				: `${row.deliveries} single-event POSTs, ${row.concurrency === 1 ? 'one at a time' : `${row.concurrency} at a time`}`;
		const perEvent =
			row.eventsPerPost > 1
				? (rate: number) => ` (${(rate * row.eventsPerPost).toFixed(0)} events/s)`
				: () => '';
		console.log(
			`| ${label} | ${row.baselinePerSec.toFixed(1)} exec/s${perEvent(row.baselinePerSec)} | ${row.oursPerSec.toFixed(1)} exec/s${perEvent(row.oursPerSec)} | ${row.ratio.toFixed(2)}× | ${row.lost.ours} / ${row.lost.baseline} |`,
		);
	}
	for (const row of rows.filter((r) => r.split)) {
		const split = row.split as NonNullable<IngestRow['split']>;
		console.log(
			`\nWith ${row.eventsPerPost} events per POST, n8n's Webhook → Split Out (one item per event, as the trigger emits): ${split.perSec.toFixed(1)} exec/s (${(split.perSec * row.eventsPerPost).toFixed(0)} events/s), ${split.lost} lost; the trigger is at ${(row.oursPerSec / split.perSec).toFixed(2)}× of it.`,
		);
	}
}

const SEND_LABELS: Record<SendRow['variant'], string> = {
	ours: 'Instagram Messaging → Send Text',
	allAtOnce: 'HTTP Request (all items at once, its default)',
	batched: 'HTTP Request, batching 300 items per second',
	oneByOne: 'Loop Over Items → HTTP Request (one by one)',
};

async function main(): Promise<void> {
	console.log(`Node ${process.version}, ${new Date().toISOString()}`);
	if (wanted('p1')) {
		console.log(
			'\n### P1 in process: verify + parse + items, per event (floor: HMAC + compare + JSON.parse on the same bytes)\n',
		);
		console.log('| events per POST | floor | this package | ratio |');
		console.log('| ---: | ---: | ---: | ---: |');
		for (const row of runParseBench()) {
			console.log(`| ${row.events} | ${us(row.floorNs)} | ${us(row.oursNs)} | ${row.ratio.toFixed(2)}× |`);
		}
	}
	if (wanted('p2')) {
		printIngest('P2 in n8n 2.41.1, default settings (alternating rounds, medians)', await runIngestBench());
		printIngest(
			'P2 in n8n 2.41.1 with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true',
			await runIngestBench({ settings: LAZY_ISOLATES, name: 'bench-ingest-lazy' }),
		);
	}
	if (wanted('p3')) {
		console.log(
			"\n### P3 1,000 texts to 100 customers, sandbox at 50 ms per call with Meta's 300/s cap enforced\n",
		);
		console.log('| sender | time | sends/s | not sent (all rounds) | duplicates | order per customer |');
		console.log('| --- | ---: | ---: | ---: | ---: | --- |');
		for (const row of await runSendBench()) {
			console.log(
				`| ${SEND_LABELS[row.variant]} | ${row.seconds.toFixed(2)} s | ${row.sendsPerSec.toFixed(0)} | ${row.failures} | ${row.duplicates} | ${row.orderKept ? 'kept' : 'broken'} |`,
			);
		}
	}
	if (wanted('p4')) {
		const row = await runBackfillBench();
		console.log("\n### P4 Conversation → Backfill, Meta's 2 calls/s Conversations API limit enforced\n");
		console.log(
			'| conversations | messages | items | Graph calls | fewest possible | ratio | busiest second | time |',
		);
		console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
		console.log(
			`| ${row.conversations} | ${row.messages} | ${row.items} | ${row.calls} | ${row.minimalCalls} | ${row.ratio.toFixed(2)}× | ${row.busiestSecond} calls | ${row.seconds.toFixed(1)} s |`,
		);
	}
	if (wanted('p5')) {
		const rows = await runQueueBench();
		console.log(
			'\n### P5 queue mode: main + 2 webhook processors + 1 or 2 workers (PostgreSQL, Redis), same machine\n',
		);
		console.log(
			"| workers | Webhook → No Op | Trigger → No Op | ratio | CPU busy (trigger) | lost (ours / Webhook) | 1,000 sends | Meta's bound | throttled, retried | not sent |",
		);
		console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
		for (const row of rows) {
			console.log(
				`| ${row.workers} | ${row.baselinePerSec.toFixed(1)} exec/s | ${row.oursPerSec.toFixed(1)} exec/s | ${(row.oursPerSec / row.baselinePerSec).toFixed(2)}× | ${(row.cpuBusy * 100).toFixed(0)} % | ${row.lost.ours} / ${row.lost.baseline} | ${row.sendsPerSec.toFixed(0)} sends/s | ${row.sendBoundPerSec.toFixed(0)} sends/s | ${row.throttled} | ${row.sendFailures} |`,
			);
		}
		for (const row of rows) {
			const shares = Object.entries(row.cpuByRole)
				.filter(([, share]) => share >= 0.005)
				.sort(([, a], [, b]) => b - a)
				.map(([role, share]) => `${role} ${(share * 100).toFixed(0)} %`);
			console.log(
				`\n${row.workers} worker(s), the trigger's deliveries, share of the machine's cores: ${shares.join(', ')}.`,
			);
		}
		const [one, two] = rows;
		console.log(
			`\nFrom 1 to 2 workers: trigger ${(two.oursPerSec / one.oursPerSec).toFixed(2)}×, Webhook ${(two.baselinePerSec / one.baselinePerSec).toFixed(2)}×, sends ${(two.sendsPerSec / one.sendsPerSec).toFixed(2)}×.`,
		);
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
