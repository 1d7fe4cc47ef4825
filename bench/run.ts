/**
 * `npm run bench`: every benchmark, each against a baseline measured in the same run.
 * Prints a Markdown table (the README's "Performance" section is pasted from it).
 */
import { runN8nBench } from './n8n';
import { runParseBench } from './webhook-parse';

function us(ns: number): string {
	return `${(ns / 1000).toFixed(2)} µs`;
}

async function main(): Promise<void> {
	console.log(`Node ${process.version}, ${new Date().toISOString()}\n`);
	console.log(
		'### Trigger in process: verify + parse + items, per event (baseline: HMAC + compare + JSON.parse)\n',
	);
	console.log('| events per POST | baseline | this package | ratio |');
	console.log('| ---: | ---: | ---: | ---: |');
	for (const row of runParseBench()) {
		console.log(`| ${row.events} | ${us(row.floorNs)} | ${us(row.oursNs)} | ${row.ratio.toFixed(2)}× |`);
	}
	if (process.argv.includes('--quick')) return;

	const n8n = await runN8nBench();
	const { send, trigger } = n8n;
	console.log('\n### In a real n8n 2.41.1 (same server, alternating rounds, medians)\n');
	console.log("| benchmark | baseline (n8n's own nodes) | this package | ratio |");
	console.log('| --- | ---: | ---: | ---: |');
	console.log(
		`| ${trigger.events} signed DMs one at a time → executions recorded | Webhook → No Op: ${trigger.baselinePerSec.toFixed(1)} exec/s | Trigger → No Op: ${trigger.oursPerSec.toFixed(1)} exec/s | ${trigger.ratio.toFixed(2)}× |`,
	);
	console.log(
		`| ${send.items} items sent to the sandbox | HTTP Request: ${(send.baselineMs / 1000).toFixed(2)} s | Send Text: ${(send.oursMs / 1000).toFixed(2)} s | ${send.ratio.toFixed(2)}× |`,
	);
	console.log(`\nSend Text: ${send.failures} failures, ${send.duplicates} duplicates over all rounds.`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
