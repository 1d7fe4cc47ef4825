/**
 * `npm run dm -- "hello"`: plays the customer. Sends a DM through the running sandbox (which signs
 * and delivers it to n8n like Meta), then waits for the workflow's reply in the sandbox's record.
 */
import axios from 'axios';

import { SANDBOX_DEFAULTS } from '../sandbox';

const sandboxUrl =
	process.env.SANDBOX_URL ?? `http://127.0.0.1:${process.env.SANDBOX_PORT ?? SANDBOX_DEFAULTS.cliPort}`;

interface SentRecord {
	seq: number;
	recipientId: string;
	text?: string;
	body: unknown;
	tag?: string;
}

async function main(): Promise<void> {
	const text = process.argv.slice(2).join(' ').trim() || 'Hello from the sandbox!';
	const sentBefore = (await axios.get<{ data: SentRecord[] }>(`${sandboxUrl}/_sandbox/sent`)).data.data;
	const since = sentBefore.length ? sentBefore[sentBefore.length - 1].seq : 0;

	const { data } = await axios.post<{ delivery?: { status: number } }>(
		`${sandboxUrl}/_sandbox/dm`,
		{ text },
		{ validateStatus: () => true },
	);
	const status = data.delivery?.status;
	console.log(
		`customer ${SANDBOX_DEFAULTS.customer.id} → "${text}" (webhook answered ${status ?? 'nothing'})`,
	);
	if (status !== 200) {
		console.log(JSON.stringify(data, null, 2));
		process.exitCode = 1;
		return;
	}

	const deadline = Date.now() + 20_000;
	while (Date.now() < deadline) {
		const sent = (await axios.get<{ data: SentRecord[] }>(`${sandboxUrl}/_sandbox/sent`)).data.data.filter(
			(record) => record.seq > since,
		);
		if (sent.length) {
			for (const record of sent) {
				const what = record.text !== undefined ? `"${record.text}"` : JSON.stringify(record.body);
				console.log(`reply → customer ${record.recipientId}: ${what}${record.tag ? ` [${record.tag}]` : ''}`);
			}
			return;
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	console.log('no reply within 20 s — is the workflow active? (see the n8n editor → Executions)');
	process.exitCode = 1;
}

main().catch((error: unknown) => {
	console.error(
		`could not reach the sandbox at ${sandboxUrl}: ${(error as Error).message}. Is \`npm start\` running?`,
	);
	process.exitCode = 1;
});
