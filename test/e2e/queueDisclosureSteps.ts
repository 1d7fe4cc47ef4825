/**
 * The automation disclosure and the messaging window in queue mode, when both workers handle the
 * same customer at once: every message of a burst is its own execution, taken by whichever worker
 * is free. Each execution loads the workflow's static data at its start and n8n saves it whole at
 * its end, so a record kept there alone is lost to whichever execution saves last; the disclosure
 * is decided through n8n's processed-data store, which every process shares
 * (nodes/InstagramMessaging/actions/send/disclosureLedger.ts). Run on queue-mode.test.ts's cluster.
 */
import axios from 'axios';

import { DAY_MS, HOUR_MS, type MetaSandbox } from '../../sandbox';
import { outcomeOf, type N8nExecution, type N8nServer } from './harness';
import { waitUntilSettled } from './queueSteps';
import { botOrPersonReplyWorkflow } from './workflows/botOrPersonReply';

export const DISCLOSURE_PATH = 'queue-disclosure-e2e';
const DISCLOSURE = "You're chatting with an automated assistant.";
/** Conversations whose messages come in bursts, and others the workers handle meanwhile. */
const CUSTOMERS = Array.from({ length: 8 }, (_, i) => `5600000000000${i}`);
const OTHERS = Array.from({ length: 8 }, (_, i) => `5610000000000${i}`);
/** A customer who last wrote 3 days ago: past the 24-h window, within HUMAN_AGENT's 7 days. */
const LAPSED = '56200000000000';
const BURST = 6;

export const disclosureWorkflow = botOrPersonReplyWorkflow({
	name: 'Queue disclosure',
	path: DISCLOSURE_PATH,
});

/** The conversations the bursts answer: each customer wrote an hour ago, LAPSED 3 days ago. */
export async function prepareDisclosureConversations(meta: MetaSandbox): Promise<void> {
	for (const from of [...CUSTOMERS, ...OTHERS])
		await meta.customerSays({ from, text: 'hi', at: Date.now() - HOUR_MS, deliver: false });
	await meta.customerSays({ from: LAPSED, text: 'hi', at: Date.now() - 3 * DAY_MS, deliver: false });
}

interface Reply {
	customerId: string;
	text: string;
	writtenBy: 'bot' | 'human';
	lastCustomerMessageAt: number;
}

const reply = (customerId: string, text: string, writtenBy: Reply['writtenBy'] = 'bot'): Reply => ({
	customerId,
	text,
	writtenBy,
	lastCustomerMessageAt: Date.now() - (customerId === LAPSED ? 3 * DAY_MS : HOUR_MS),
});

/** The disclosure and window tests, on the cluster the caller's scenario started. */
export function disclosureAndWindowTests(
	context: () => { sandbox: MetaSandbox; server: N8nServer; workflowId: string },
): void {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let workflowId: string;
	beforeAll(() => {
		({ sandbox, server, workflowId } = context());
		// Meta's default send cap again (the send test before lowered it).
		sandbox.state.setSendRateLimit(null);
	});

	const seen = new Set<string>();
	/** Posts every reply at once (one execution each) and waits until all of them have finished. */
	async function burst(replies: Reply[]): Promise<N8nExecution[]> {
		const statuses = await Promise.all(
			replies.map(
				async (body) =>
					(await axios.post(server.webhookUrl(DISCLOSURE_PATH), body, { validateStatus: () => true })).status,
			),
		);
		expect(new Set(statuses)).toEqual(new Set([200]));
		const executions = await waitUntilSettled(server, workflowId, 180_000, 2_000);
		const fresh = executions.filter((e) => !seen.has(String(e.id)));
		for (const e of fresh) seen.add(String(e.id));
		expect(fresh).toHaveLength(replies.length);
		return fresh;
	}

	const sentSince = (since: number) => sandbox.sent({ since }).filter((s) => s.kind === 'message');
	const disclosuresTo = (since: number, customerId: string) =>
		sentSince(since).filter((s) => s.recipientId === customerId && s.text?.startsWith(DISCLOSURE)).length;

	it('one disclosure per conversation for a burst, again once after a person replied, never on their reply', async () => {
		const before = server.queue.executionsByWorker();
		const first = sandbox.state.nextSeq();
		const burstFor = (customers: string[], label: string) =>
			customers.flatMap((customerId) =>
				Array.from({ length: BURST }, (_, i) => reply(customerId, `${label} ${i + 1}`)),
			);
		const failures = (executions: N8nExecution[]) =>
			executions.map(outcomeOf).filter((o) => o.status !== 'success' || o.failed.length > 0);

		expect(failures(await burst(burstFor(CUSTOMERS, 'first burst')))).toEqual([]);
		const firstCounts = CUSTOMERS.map((c) => disclosuresTo(first, c));

		// A person answers each conversation while the workers handle other conversations' first messages.
		const turn = sandbox.state.nextSeq();
		const personal = await burst([
			...CUSTOMERS.map((c) => reply(c, 'Jane here, from the shop.', 'human')),
			...OTHERS.map((c) => reply(c, 'Hello!')),
		]);
		expect(failures(personal)).toEqual([]);
		const personReplies = sentSince(turn).filter((s) => s.text === 'Jane here, from the shop.');

		const after = sandbox.state.nextSeq();
		expect(
			failures(
				await burst([...burstFor(CUSTOMERS, 'after the person'), ...OTHERS.map((c) => reply(c, 'And?'))]),
			),
		).toEqual([]);
		const afterCounts = CUSTOMERS.map((c) => disclosuresTo(after, c));
		const othersAgain = OTHERS.map((c) => disclosuresTo(after, c));
		const ran = server.queue.executionsByWorker().map((n, i) => n - before[i]!);
		console.info(
			`queue disclosure: ${CUSTOMERS.length} conversations, bursts of ${BURST}; disclosures per conversation ` +
				`first ${firstCounts.join(' ')}, after a person ${afterCounts.join(' ')}; executions by worker ${ran.join(' / ')}`,
		);

		expect(ran.every((n) => n > 0)).toBe(true);
		expect(sentSince(first)).toHaveLength(
			2 * CUSTOMERS.length * BURST + CUSTOMERS.length + 2 * OTHERS.length,
		);
		expect(firstCounts).toEqual(CUSTOMERS.map(() => 1));
		expect(personReplies).toHaveLength(CUSTOMERS.length); // as written: no disclosure on a person's message
		expect(personReplies.every((s) => s.tag === undefined && s.messagingType === 'RESPONSE')).toBe(true);
		expect(afterCounts).toEqual(CUSTOMERS.map(() => 1));
		expect(othersAgain).toEqual(OTHERS.map(() => 0));
	}, 600_000);

	it('the window is judged per execution: past 24 h a person’s replies carry HUMAN_AGENT, the bot’s are refused', async () => {
		const since = sandbox.state.nextSeq();
		const before = server.queue.executionsByWorker();
		const executions = await burst([
			...Array.from({ length: BURST }, (_, i) => reply(LAPSED, `person ${i + 1}`, 'human')),
			...Array.from({ length: BURST }, (_, i) => reply(LAPSED, `bot ${i + 1}`)),
		]);
		const ran = server.queue.executionsByWorker().map((n, i) => n - before[i]!);
		console.info(`window burst: executions by worker ${ran.join(' / ')}`);
		expect(ran.every((n) => n > 0)).toBe(true); // the same customer on both workers
		const sent = sentSince(since);
		expect(sent.map((s) => s.text).sort()).toEqual(
			Array.from({ length: BURST }, (_, i) => `person ${i + 1}`).sort(),
		);
		expect(sent.every((s) => s.tag === 'HUMAN_AGENT' && s.messagingType === 'MESSAGE_TAG')).toBe(true);
		const refused = executions.map(outcomeOf).filter((o) => o.status === 'error');
		expect(refused).toHaveLength(BURST);
		expect(refused.every((o) => o.failed.some((f) => f.startsWith('Bot Replies:') && /24/.test(f)))).toBe(
			true,
		);
		expect(sandbox.rejected({ since })).toEqual([]); // refused before any call to Meta
	}, 300_000);
}
