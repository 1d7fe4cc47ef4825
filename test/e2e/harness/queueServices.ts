import { execFileSync, type ChildProcess } from 'child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'fs';
import { connect } from 'net';
import { join } from 'path';

import { sleep } from './api';
import { exitOf, freePorts, signalGroup, spawnTracked, stopPostgresOnInterrupt } from './processes';

/**
 * PostgreSQL and Redis from Debian's packages (README prerequisites: `postgresql`, `redis-server`),
 * started on free loopback ports with their data inside a server's throw-away folder, for n8n's
 * queue mode (docs/research/n8n-queue-mode-2026-12.md §5).
 */
export interface QueueServices {
	postgresPort: number;
	redisPort: number;
	stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

function postgresBin(): string {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
	const newest = versions.sort((a, b) => Number(a) - Number(b)).pop();
	if (newest === undefined)
		throw new Error(
			'PostgreSQL is not installed: the README prerequisites name `postgresql` (apt-get install)',
		);
	return join(root, newest, 'bin');
}

function redisBin(): string {
	const bin = '/usr/bin/redis-server';
	if (!existsSync(bin))
		throw new Error('Redis is not installed: the README prerequisites name `redis-server` (apt-get install)');
	return bin;
}

/** PostgreSQL refuses to run as root; as root its commands run as Debian's `postgres` user. */
function postgresUser(): { uid: number; gid: number } | null {
	if (process.getuid?.() !== 0) return null;
	const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
	return { uid: id('-u'), gid: id('-g') };
}

function asPostgres(bin: string, args: string[], user: { uid: number; gid: number } | null): string {
	const [command, ...rest] = user ? ['runuser', '-u', 'postgres', '--', bin, ...args] : [bin, ...args];
	return execFileSync(command, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function ownedDir(dir: string, user: { uid: number; gid: number } | null, mode: number): void {
	mkdirSync(dir, { recursive: true, mode });
	if (user) chownSync(dir, user.uid, user.gid);
	chmodSync(dir, mode);
}

async function waitForPort(port: number, what: string, exited?: Promise<string>): Promise<void> {
	const deadline = Date.now() + READY_TIMEOUT_MS;
	let exitCode: string | undefined;
	void exited?.then((code) => (exitCode = code));
	while (Date.now() < deadline) {
		const open = await new Promise<boolean>((resolve) => {
			const socket = connect(port, '127.0.0.1');
			socket.once('connect', () => {
				socket.end();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
		if (open) return;
		if (exitCode !== undefined) throw new Error(`${what} exited (${exitCode}) before listening`);
		await sleep(100);
	}
	throw new Error(`${what} did not listen on ${port} within ${READY_TIMEOUT_MS} ms`);
}

async function startPostgres(dir: string, port: number): Promise<() => Promise<void>> {
	const bin = postgresBin();
	const user = postgresUser();
	const data = join(dir, 'pg');
	ownedDir(data, user, 0o700);
	ownedDir(join(dir, 'pg-socket'), user, 0o755);
	ownedDir(join(dir, 'pg-log'), user, 0o755);
	asPostgres(
		join(bin, 'initdb'),
		['-D', data, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--no-locale'],
		user,
	);
	const options = [
		`-p ${port}`,
		`-k ${join(dir, 'pg-socket')}`,
		'-c listen_addresses=127.0.0.1',
		// A throw-away database: durability buys nothing here.
		'-c fsync=off -c synchronous_commit=off -c full_page_writes=off',
		'-c max_connections=200',
	].join(' ');
	const pgCtl = join(bin, 'pg_ctl');
	asPostgres(
		pgCtl,
		['-D', data, '-l', join(dir, 'pg-log', 'postgres.log'), '-w', '-t', '60', '-o', options, 'start'],
		user,
	);
	// pg_ctl daemonises PostgreSQL: stopped on exit or interruption of the test process too.
	const interrupt = stopPostgresOnInterrupt(join(data, 'postmaster.pid'));
	asPostgres(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n'], user);
	return async () => {
		interrupt.forget();
		asPostgres(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop'], user);
	};
}

async function startRedis(dir: string, port: number): Promise<() => Promise<void>> {
	const data = join(dir, 'redis');
	mkdirSync(data);
	const args = [
		'--port',
		String(port),
		'--bind',
		'127.0.0.1',
		'--dir',
		data,
		'--save',
		'',
		'--appendonly',
		'no',
	];
	const child: ChildProcess = spawnTracked(redisBin(), args, data, { PATH: process.env.PATH ?? '' });
	const exited = exitOf(child);
	await waitForPort(port, 'redis-server', exited);
	return async () => {
		signalGroup(child, 'SIGKILL');
		await exited;
	};
}

/** Starts both inside `dir` (made traversable for the `postgres` user when running as root). */
export async function startQueueServices(dir: string): Promise<QueueServices> {
	chmodSync(dir, 0o711);
	const [postgresPort, redisPort] = await freePorts(2);
	const stopPostgres = await startPostgres(dir, postgresPort);
	let stopRedis: () => Promise<void>;
	try {
		stopRedis = await startRedis(dir, redisPort);
	} catch (error) {
		await stopPostgres();
		throw error;
	}
	return {
		postgresPort,
		redisPort,
		stop: async () => {
			await stopRedis();
			await stopPostgres();
		},
	};
}

/** The environment every n8n process of one queue-mode setup shares (n8n's queue-mode docs). */
export function queueEnv(services: QueueServices): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(services.redisPort),
		QUEUE_BULL_REDIS_DB: '0',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(services.postgresPort),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'n8n',
		DB_POSTGRESDB_PASSWORD: '',
	};
}
