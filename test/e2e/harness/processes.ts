import axios from 'axios';
import { type ChildProcess, spawn } from 'child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer, type Server, type Socket } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * Every n8n process the harness spawns is the leader of its own process group (so its task-runner
 * child can be stopped with it) and is listed here until it has exited. If the test process exits
 * without stopping them, the 'exit' hook kills the groups; if it dies outright, watchdog.cjs does.
 */
const live = new Set<ChildProcess>();
/** What else must not outlive the test process (a daemonised PostgreSQL); each runs once. */
const cleanups = new Set<() => void>();
let hooked = false;

/** Set by jest's global setup to jest's own pid, for the test files in its worker processes. */
export const RUN_PID_VARIABLE = 'N8N_E2E_RUN_PID';

/** The jest run (or, outside jest, the process) whose registry this process writes to. */
export function runPid(): number {
	return Number(process.env[RUN_PID_VARIABLE]) || process.pid;
}

/**
 * Inside jest, test code sees a copy of `process` whose events never fire, so the process groups
 * and PostgreSQL pid files are also written down here, for jest's global setup and teardown
 * (`test/e2e/setup/`), which run in the real process: they stop them on Ctrl+C, a CI timeout's
 * SIGTERM, a closed terminal, or the end of the run.
 */
export function liveRegistry(pid = runPid()): string {
	return join(tmpdir(), `n8n-e2e-live-${pid}`);
}

function register(name: string, content: string): string {
	const dir = liveRegistry();
	mkdirSync(dir, { recursive: true });
	const file = join(dir, name);
	writeFileSync(file, content);
	return file;
}

/** Stops everything a test process registered (from jest's real process; synchronous). */
export function killRegistered(pid = runPid()): void {
	const dir = liveRegistry(pid);
	if (!existsSync(dir)) return;
	for (const name of readdirSync(dir)) {
		const content = readFileSync(join(dir, name), 'utf8');
		if (name.startsWith('group-')) signalPid(-Number(content), 'SIGKILL');
		else if (name.startsWith('postgres-')) stopLeftPostgres(content);
		else if (name.startsWith('folder-') && content.startsWith(join(tmpdir(), 'n8n-e2e-')))
			rmSync(content, { recursive: true, force: true });
	}
	rmSync(dir, { recursive: true, force: true });
}

/** A throw-away folder of the harness, removed with the run if the test cannot remove it. */
export function registerFolder(dir: string): { forget: () => void } {
	const file = register(`folder-${Date.now()}-${Math.random().toString(36).slice(2)}`, dir);
	return { forget: () => rmSync(file, { force: true }) };
}

/**
 * jest's worker processes (the children of jest's own process), stopped first when a run is
 * interrupted: a worker would otherwise go on with its test file and start more servers.
 */
export function killChildren(parent = process.pid): void {
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			// /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
			const stat = readFileSync(join('/proc', name, 'stat'), 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid === parent) signalPid(Number(name), 'SIGKILL');
		} catch {
			// Gone meanwhile.
		}
	}
}

/** Kills every tracked process group and runs every cleanup; synchronous, so it works in 'exit'. */
function killEverything(): void {
	for (const c of live) signalGroup(c, 'SIGKILL');
	for (const cleanup of cleanups) {
		try {
			cleanup();
		} catch {
			// The rest still runs.
		}
	}
	cleanups.clear();
}

/** Ctrl+C, a CI timeout's SIGTERM, a closed terminal: each with the exit code a shell gives it. */
export const INTERRUPTIONS = [
	['SIGINT', 130],
	['SIGTERM', 143],
	['SIGHUP', 129],
] as const;

/**
 * Outside jest (`npm start`, `npm run bench`): on exit, Ctrl+C, SIGTERM or a closed terminal,
 * nothing the harness started is left running (n8n's processes are in process groups of their
 * own, which the terminal's signal does not reach).
 */
export function hookExit(target: NodeJS.Process = process): void {
	if (hooked) return;
	hooked = true;
	target.once('exit', killEverything);
	for (const [signal, code] of INTERRUPTIONS) {
		target.once(signal, () => {
			killEverything();
			target.exit(code);
		});
	}
}

/** Stops a daemonised PostgreSQL when the test process ends or is interrupted, unless `forget` is called first. */
export function stopPostgresOnInterrupt(pidFile: string): { forget: () => void } {
	hookExit();
	const cleanup = () => stopLeftPostgres(pidFile);
	cleanups.add(cleanup);
	const file = register(`postgres-${Date.now()}-${Math.random().toString(36).slice(2)}`, pidFile);
	return {
		forget: () => {
			cleanups.delete(cleanup);
			rmSync(file, { force: true });
		},
	};
}

export function spawnTracked(
	command: string,
	args: string[],
	cwd: string,
	env: NodeJS.ProcessEnv,
): ChildProcess {
	const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	// Unreferenced, so a test that forgets stop() does not keep jest alive; the 'exit' hook then kills it.
	// (Whoever awaits the child meanwhile holds a timer, which keeps the event loop alive.)
	child.unref();
	for (const stream of [child.stdout, child.stderr]) (stream as Socket | null)?.unref();
	live.add(child);
	const registered = child.pid === undefined ? undefined : register(`group-${child.pid}`, String(child.pid));
	child.once('exit', () => {
		live.delete(child);
		if (registered) rmSync(registered, { force: true });
	});
	hookExit();
	return child;
}

/** Signals a pid (a negative pid: its process group); false if it is gone. */
export function signalPid(pid: number, signal: NodeJS.Signals): boolean {
	try {
		process.kill(pid, signal);
		return true;
	} catch {
		return false;
	}
}

/** Signals the child's whole process group (its pid is the group id); false if none is left. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
	if (child.pid === undefined) return false;
	try {
		process.kill(-child.pid, signal);
		return true;
	} catch {
		return false;
	}
}

/** n8n's `/healthz/readiness` status on a loopback port, 0 while nothing listens there. */
export async function readinessStatus(port: number): Promise<number> {
	try {
		const res = await axios.get(`http://127.0.0.1:${port}/healthz/readiness`, {
			validateStatus: () => true,
			timeout: 2000,
		});
		return res.status;
	} catch {
		return 0;
	}
}

/** `signal` to the child, SIGKILL to its whole group after `graceMs` and once it has exited. */
export async function stopGroup(
	child: ChildProcess,
	exited: Promise<string>,
	signal: NodeJS.Signals,
	graceMs: number,
): Promise<void> {
	child.kill(signal);
	const killer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
	await exited.finally(() => clearTimeout(killer));
	signalGroup(child, 'SIGKILL'); // whatever is left of the group, e.g. a stuck task runner
}

/** Resolves with the exit code (or signal) once the process has exited. */
export function exitOf(child: ChildProcess): Promise<string> {
	if (child.exitCode !== null || child.signalCode !== null)
		return Promise.resolve(String(child.exitCode ?? child.signalCode));
	return new Promise((resolve) => child.once('exit', (code, signal) => resolve(String(code ?? signal))));
}

/**
 * The first port of the kernel's range for the local end of outgoing connections
 * (`ip_local_port_range`). A port the kernel picks for a listener (port 0) comes from that range
 * too, so a connection opened before the server binds it can take it (measured in CI: n8n's main
 * lost its port to a connection while the harness imported credentials).
 */
function outgoingPortsStart(): number {
	try {
		const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
		return Number(low) || 32_768;
	} catch {
		return 32_768;
	}
}

const LOWEST_PORT = 10_000;

function listenOn(server: Server, port: number): Promise<boolean> {
	return new Promise((resolve, reject) => {
		const failed = (error: NodeJS.ErrnoException) => {
			if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
			else reject(error);
		};
		server.once('error', failed);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', failed);
			resolve(true);
		});
	});
}

/** A free port below the range of outgoing connections (or any free port, if there is no room below it). */
async function listenOnFreePort(server: Server): Promise<number> {
	const high = outgoingPortsStart();
	for (let attempt = 0; high - LOWEST_PORT > 1_000 && attempt < 50; attempt++) {
		const port = LOWEST_PORT + Math.floor(Math.random() * (high - LOWEST_PORT));
		if (await listenOn(server, port)) return port;
	}
	await listenOn(server, 0);
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('unexpected listener address');
	return address.port;
}

/**
 * `count` distinct free loopback ports, or `fixed` plus free ones. All listeners stay open until
 * every port is chosen so that no port is handed out twice.
 */
export async function freePorts(count: number, fixed?: number): Promise<number[]> {
	const servers: Server[] = [];
	try {
		const ports: number[] = [];
		for (let i = 0; i < count; i++) {
			const server = createServer();
			servers.push(server);
			if (i === 0 && fixed !== undefined) {
				if (!(await listenOn(server, fixed))) throw new Error(`port ${fixed} on 127.0.0.1 is not free`);
				ports.push(fixed);
			} else ports.push(await listenOnFreePort(server));
		}
		return ports;
	} finally {
		await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Removes server folders (`<parent>/<prefix>*`) left by test processes that died before cleaning
 * up: each folder records its owner's pid in `owner.pid`; folders with a `keep` file stay.
 */
export function sweepStaleFolders(parent: string, prefix: string): void {
	for (const name of readdirSync(parent)) {
		const dir = join(parent, name);
		const pidFile = join(dir, 'owner.pid');
		if (!name.startsWith(prefix) || !existsSync(pidFile) || existsSync(join(dir, 'keep'))) continue;
		if (alive(Number(readFileSync(pidFile, 'utf8')))) continue;
		stopLeftPostgres(join(dir, 'pg', 'postmaster.pid'));
		rmSync(dir, { recursive: true, force: true });
	}
}

/** A queue-mode server's PostgreSQL outlives a test process that died: immediate shutdown. */
export function stopLeftPostgres(pidFile: string): void {
	if (!existsSync(pidFile)) return;
	const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
	if (Number.isInteger(pid) && pid > 0 && alive(pid)) process.kill(pid, 'SIGQUIT');
}
