/**
 * The access-token credential keeping its token alive in queue mode: 2 workers send for one
 * account for several token lifetimes of seconds (Meta's live 60 days; the sandbox issues tokens
 * of LIFETIME_MS from here on). Each worker reads the credential once per execution; a refreshed
 * token is saved by n8n in the credential, which both read from PostgreSQL. Run last on
 * queue-mode.test.ts's cluster (it shortens the sandbox's token lifetimes), with a credential and
 * a workflow of its own.
 */
import axios from 'axios';

import { HOUR_MS, SANDBOX_DEFAULTS, type MetaSandbox } from '../../sandbox';
import { persistState } from '../../credentials/common/instagramToken';
import {
	activateNewWorkflow,
	bindUsedCredentials,
	outcomeOf,
	sandboxCredentialData,
	type N8nServer,
} from './harness';
import { sleep } from './harness/api';
import { waitUntilSettled } from './queueSteps';
import { sendTextWorkflow } from './workflows/sendText';

const SEND_PATH = 'queue-token-send-e2e';
const LIFETIME_MS = 30_000;
const STREAM_MS = 3 * LIFETIME_MS;
/** One execution this often: the workers send all the time, as a busy account's do. */
const EVERY_MS = 250;
const REFRESH_LATENCY_MS = 400;
const CUSTOMERS = Array.from({ length: 4 }, (_, i) => `5500000000000${i}`);
const SOURCE = SANDBOX_DEFAULTS.instagram.accessToken;

/** The token refresh test, on the cluster the caller's scenario started. */
export function tokenRefreshTests(context: () => { sandbox: MetaSandbox; server: N8nServer }): void {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let workflowId: string;

	beforeAll(async () => {
		({ sandbox, server } = context());
		sandbox.state.configureTokens({ longLivedMs: LIFETIME_MS, refreshMinAgeMs: 1_000 });
		for (const from of CUSTOMERS)
			await sandbox.customerSays({ from, text: 'hi', at: Date.now() - HOUR_MS, deliver: false });
		const account = sandboxCredentialData(sandbox.url).instagramLoginApi;
		// Recorded as a token of LIFETIME_MS, so that its refreshes come in seconds.
		const credential = await server.createCredentialAsIs({
			...account,
			name: 'Instagram account (30-s tokens)',
			data: {
				...account.data,
				...persistState({ token: SOURCE, issuedAt: Date.now(), expiresAt: Date.now() + LIFETIME_MS }, SOURCE),
			},
		});
		const workflow = sendTextWorkflow({ name: 'Queue token send', path: SEND_PATH, idPrefix: '9a0c1a2c' });
		workflowId = await activateNewWorkflow(
			server,
			bindUsedCredentials(workflow, { instagramLoginApi: credential }),
			SEND_PATH,
		);
	}, 120_000);

	const post = (text: string) =>
		axios.post(
			server.webhookUrl(SEND_PATH),
			{
				items: CUSTOMERS.map((customerId) => ({
					customerId,
					text: `${text} for ${customerId}`,
					lastCustomerMessageAt: Date.now() - HOUR_MS,
				})),
			},
			{ validateStatus: () => true },
		);

	it('tokens: no call fails with an expired token, and each token is refreshed by one worker, not by each', async () => {
		// One execution first, so that both workers start from a credential n8n has read and saved
		// once, as a busy account's workers do.
		expect((await post('warm-up')).status).toBe(200);
		await waitUntilSettled(server, workflowId, 120_000, 1_000);
		// Meta's refresh takes a moment; calls the other worker makes meanwhile still carry the old token.
		sandbox.injectFault({ path: '/refresh_access_token$', delayMs: REFRESH_LATENCY_MS, times: Infinity });
		const since = sandbox.state.nextSeq();
		const before = server.queue.executionsByWorker();
		const tokensBefore = new Set(sandbox.state.issuedTokens().map((t) => t.token));

		const answers: Array<Promise<{ status: number }>> = [];
		const started = Date.now();
		for (let round = 1; Date.now() - started < STREAM_MS; round++) {
			answers.push(post(`round ${round}`));
			await sleep(EVERY_MS);
		}
		expect(new Set((await Promise.all(answers)).map((a) => a.status))).toEqual(new Set([200]));
		const executions = await waitUntilSettled(server, workflowId, 300_000);
		expect(executions.map(outcomeOf).filter((o) => o.status !== 'success' || o.failed.length > 0)).toEqual(
			[],
		);

		const sent = sandbox.sent({ since });
		const rejected = sandbox.rejected({ since });
		const refreshes = sandbox.state
			.issuedTokens()
			.filter((t) => !tokensBefore.has(t.token) && t.refreshedFrom);
		const perSource = new Map<string, number>();
		for (const t of refreshes) perSource.set(t.refreshedFrom!, (perSource.get(t.refreshedFrom!) ?? 0) + 1);
		const twice = [...perSource.values()].filter((n) => n > 1).length;
		const ran = server.queue.executionsByWorker().map((n, i) => n - before[i]!);
		console.info(
			`queue tokens: ${sent.length} sent over ${(STREAM_MS / 1000).toFixed(0)} s with ${LIFETIME_MS / 1000}-s tokens; ` +
				`${refreshes.length} refreshes of ${perSource.size} tokens (${twice} refreshed twice); ` +
				`${rejected.length} refused; executions by worker ${ran.join(' / ')}`,
		);
		expect(ran.every((n) => n > 0)).toBe(true);
		expect(sent).toHaveLength(answers.length * CUSTOMERS.length);
		expect(rejected).toEqual([]); // none with an expired token (190), none at all
		// The token was kept alive through the stream: several lifetimes, several refreshes.
		expect(refreshes.length).toBeGreaterThanOrEqual(STREAM_MS / LIFETIME_MS - 1);
		// Each worker refreshing on its own refreshes every token twice. Each worker's moment in the
		// refresh window is a new draw per token; two drawn within the time one refresh takes to be
		// saved and read (here about 0.8 s of a 15 s window) still both refresh.
		expect(twice).toBeLessThanOrEqual(2);
		expect(refreshes.length).toBeLessThanOrEqual(perSource.size + 2);
	}, 600_000);
}
