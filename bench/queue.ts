/**
 * P5 (issue 12): n8n's queue mode with 1 and with 2 workers (a main, 2 webhook processors behind
 * the harness's round-robin proxy, PostgreSQL and Redis), on this machine. Ingest: our trigger
 * against n8n's Webhook node, both → No Op, on identical signed single-event POSTs from one
 * client, 16 in flight; a rate is deliveries from the first request to the last execution's
 * `stoppedAt`. Send: 1,000 texts for one account from 10 executions against the sandbox at Meta's
 * 300 sends/s and 50 ms per call; a rate is accepted sends from the first to the last.
 */
import axios from 'axios';
import { readdirSync, readFileSync } from 'fs';

import { HOUR_MS, signBody, type MetaSandbox } from '../sandbox';
import { nodeOutput, startScenario, type N8nServer, type WorkflowJson } from '../test/e2e/harness';
import { sleep } from '../test/e2e/harness/api';
import { sendTextWorkflow } from '../test/e2e/workflows/sendText';
import { postAll } from './ingest';
import { account, envelope, median, triggerNoOp, webhookNoOp } from './workflows';

export interface QueueRow {
	workers: number;
	oursPerSec: number;
	baselinePerSec: number;
	/** Events missing from the trigger's items / the Webhook's executions, over all rounds. */
	lost: { ours: number; baseline: number };
	/** Share of the machine's cores busy (any process) while the trigger's deliveries ran. */
	cpuBusy: number;
	/** The same time, by process role: share of the machine's cores. */
	cpuByRole: Record<string, number>;
	sendsPerSec: number;
	/** The most a client could get through Meta's bucket: the cap at once, then the cap per second. */
	sendBoundPerSec: number;
	sendFailures: number;
	/** Calls the sandbox refused with Meta's 613 and Send Text retried. */
	throttled: number;
}

const OURS_PATH = 'bench-queue-ours/webhook';
const BASELINE_PATH = 'bench-queue-baseline';
const SEND_PATH = 'bench-queue-send';
const DELIVERIES = 300;
const IN_FLIGHT = 16;
const SENDS = { posts: 10, customers: 10, perCustomer: 10 };
const META_CAP = 300;
const LATENCY_MS = 50;

function workflows(): WorkflowJson[] {
	return [
		triggerNoOp(
			'bench queue: Instagram Messaging Trigger',
			'n8n-nodes-instagram-messaging.instagramMessagingTrigger',
			'bench-queue-ours',
			{ id: 'REPLACE', name: 'bound by type' },
		),
		webhookNoOp('bench queue: Webhook', BASELINE_PATH),
		sendTextWorkflow({ name: 'bench queue: send', path: SEND_PATH, idPrefix: '9b0c1a2b' }),
	];
}

/** Busy and total CPU ticks of the whole machine since boot (`/proc/stat`, all cores). */
function cpuTicks(): { busy: number; total: number } {
	const fields = readFileSync('/proc/stat', 'utf8')
		.split('\n')[0]!
		.trim()
		.split(/\s+/)
		.slice(1, 9)
		.map(Number);
	const total = fields.reduce((sum, n) => sum + n, 0);
	return { busy: total - fields[3]! - fields[4]!, total };
}

const n8nCommand = (argv: string[], command: string) =>
	argv.some((a) => a.endsWith('n8n')) && argv.includes(command);
const ROLES: Array<[string, (argv: string[]) => boolean]> = [
	['workers', (argv) => n8nCommand(argv, 'worker')],
	['webhook processors', (argv) => n8nCommand(argv, 'webhook')],
	['main', (argv) => n8nCommand(argv, 'start')],
	['task runners', (argv) => argv.some((a) => a.includes('task-runner'))],
	['PostgreSQL', (argv) => argv[0]?.includes('postgres') === true],
	['Redis', (argv) => argv[0]?.includes('redis-server') === true],
];

/** CPU ticks so far of every live process, summed by role (`/proc/<pid>/stat` utime + stime). */
function ticksByRole(): Map<string, Map<string, number>> {
	const byRole = new Map<string, Map<string, number>>();
	for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
		try {
			const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const role =
				pid === String(process.pid)
					? 'bench client, sandbox, proxy'
					: (ROLES.find(([, matches]) => matches(argv))?.[0] ?? 'other');
			const pids = byRole.get(role) ?? new Map<string, number>();
			pids.set(pid, Number(fields[11]) + Number(fields[12]));
			byRole.set(role, pids);
		} catch {
			// the process ended while we read it
		}
	}
	return byRole;
}

/** Each role's share of the machine's cores between two snapshots (processes alive in both). */
function shareByRole(
	before: Map<string, Map<string, number>>,
	after: Map<string, Map<string, number>>,
	machineTicks: number,
): Record<string, number> {
	const shares: Record<string, number> = {};
	for (const [role, pids] of after) {
		let ticks = 0;
		for (const [pid, now] of pids) ticks += now - (before.get(role)?.get(pid) ?? now);
		shares[role] = ticks / machineTicks;
	}
	return shares;
}

async function ingestRate(
	server: N8nServer,
	workflowId: string,
	path: string,
	bodies: Array<{ raw: string; signature: string }>,
): Promise<{
	perSec: number;
	cpuBusy: number;
	cpuByRole: Record<string, number>;
	executions: Awaited<ReturnType<N8nServer['executions']>>;
}> {
	const before = (await server.executions({ workflowId })).length;
	const rolesBefore = ticksByRole();
	const cpuBefore = cpuTicks();
	const started = Date.now();
	await postAll(server.webhookUrl(path), bodies, IN_FLIGHT);
	const all = await server.waitForExecutions(workflowId, before + bodies.length, 600_000);
	const cpuAfter = cpuTicks();
	const cpuByRole = shareByRole(rolesBefore, ticksByRole(), cpuAfter.total - cpuBefore.total);
	const cpuBusy = (cpuAfter.busy - cpuBefore.busy) / (cpuAfter.total - cpuBefore.total);
	const fresh = all.slice(before);
	const lastStop = Math.max(...fresh.map((e) => Date.parse(e.stoppedAt ?? '') || Date.now()));
	return { perSec: bodies.length / ((lastStop - started) / 1000), cpuBusy, cpuByRole, executions: fresh };
}

async function sendRate(
	sandbox: MetaSandbox,
	server: N8nServer,
): Promise<{ perSec: number; boundPerSec: number; failures: number; throttled: number }> {
	const lastCustomerMessageAt = Date.now() - HOUR_MS;
	const posts = Array.from({ length: SENDS.posts }, (_, p) =>
		Array.from({ length: SENDS.customers * SENDS.perCustomer }, (_, i) => {
			const customerId = `57000000000${String(p * SENDS.customers + (i % SENDS.customers)).padStart(5, '0')}`;
			return { customerId, text: `post ${p} #${i}`, lastCustomerMessageAt };
		}),
	);
	for (const { customerId } of posts.flatMap((items) => items.slice(0, SENDS.customers)))
		await sandbox.customerSays({ from: customerId, text: 'hi', at: lastCustomerMessageAt, deliver: false });
	const since = sandbox.state.nextSeq();
	await Promise.all(
		posts.map(async (items) => {
			const res = await axios.post(server.webhookUrl(SEND_PATH), { items }, { validateStatus: () => true });
			if (res.status !== 200) throw new Error(`send webhook answered HTTP ${res.status}`);
		}),
	);
	const total = SENDS.posts * SENDS.customers * SENDS.perCustomer;
	const deadline = Date.now() + 600_000;
	while (sandbox.sent({ since }).length < total && Date.now() < deadline) await sleep(500);
	const times = sandbox.sent({ since }).map((s) => s.at);
	return {
		perSec: (times.length - 1) / ((Math.max(...times) - Math.min(...times)) / 1000),
		boundPerSec: (total - 1) / ((total - META_CAP) / META_CAP),
		failures: total - times.length,
		throttled: sandbox.rejected({ since }).filter((r) => r.error.code === 613).length,
	};
}

async function measure(workers: number, rounds: number): Promise<QueueRow> {
	const scenario = await startScenario({
		name: `bench-queue-${workers}`,
		queue: { webhookProcessors: 2, workers },
		workflows: workflows(),
		webhookPaths: [OURS_PATH, BASELINE_PATH, SEND_PATH],
		setCallback: false,
	});
	try {
		const { server, sandbox } = scenario;
		const [oursId, baselineId] = scenario.workflowIds;
		const rates = { ours: [] as number[], baseline: [] as number[], cpu: [] as number[] };
		const roleShares: Array<Record<string, number>> = [];
		const lost = { ours: 0, baseline: 0 };
		for (let round = 0; round < rounds; round++) {
			const bodies = Array.from({ length: DELIVERIES }, (_, i) => {
				const raw = envelope(`queue${workers}r${round}`, i, 1);
				return { raw, signature: signBody(raw, account.instagramAppSecret) };
			});
			const ours = await ingestRate(server, oursId!, OURS_PATH, bodies);
			rates.ours.push(ours.perSec);
			rates.cpu.push(ours.cpuBusy);
			roleShares.push(ours.cpuByRole);
			const items = ours.executions.reduce((sum, e) => sum + nodeOutput(e, 'Trigger').length, 0);
			lost.ours += DELIVERIES - items;
			const baseline = await ingestRate(server, baselineId!, BASELINE_PATH, bodies);
			rates.baseline.push(baseline.perSec);
			lost.baseline += DELIVERIES - baseline.executions.length;
		}
		sandbox.state.setSendRateLimit({ text: META_CAP });
		sandbox.injectFault({ path: '/messages$', delayMs: LATENCY_MS, times: Infinity });
		const send = await sendRate(sandbox, server);
		return {
			workers,
			oursPerSec: median(rates.ours),
			baselinePerSec: median(rates.baseline),
			lost,
			cpuBusy: median(rates.cpu),
			cpuByRole: Object.fromEntries(
				Object.keys(roleShares[0] ?? {}).map((role) => [role, median(roleShares.map((r) => r[role] ?? 0))]),
			),
			sendsPerSec: send.perSec,
			sendBoundPerSec: send.boundPerSec,
			sendFailures: send.failures,
			throttled: send.throttled,
		};
	} finally {
		await scenario.dispose();
	}
}

export async function runQueueBench(rounds = 3): Promise<QueueRow[]> {
	return [await measure(1, rounds), await measure(2, rounds)];
}
