import type { ChildProcess } from 'child_process';
import { existsSync, mkdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { sleep } from './api';
import { exitOf, freePorts, readinessStatus, stopGroup } from './processes';
import { WebhookProxy } from './webhookProxy';

export interface QueueOptions {
	/** `n8n webhook` processes behind the proxy (default 2). */
	webhookProcessors?: number;
	/** `n8n worker` processes (default 2). */
	workers?: number;
	/** Each worker's `--concurrency` (n8n's default: 10). */
	workerConcurrency?: number;
}

type Spawn = (args: string[], env: Record<string, string>, logFile: string) => ChildProcess;

interface Companion {
	role: 'webhook' | 'worker';
	index: number;
	folder: string;
	/** Where its /healthz/readiness answers: the HTTP port of a processor, the health port of a worker. */
	healthPort: number;
	env: Record<string, string>;
	child?: ChildProcess;
	exited?: Promise<string>;
}

const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 15_000;

/** The webhook processors and workers of one queue-mode n8n, each with its own user folder and ports. */
export class QueueCompanions {
	private constructor(
		private readonly processes: Companion[],
		private readonly proxy: WebhookProxy,
		private readonly spawn: Spawn,
		private readonly concurrency: number,
	) {}

	static async create(options: QueueOptions, rootDir: string, spawn: Spawn): Promise<QueueCompanions> {
		const processors = options.webhookProcessors ?? 2;
		const workers = options.workers ?? 2;
		const ports = await freePorts(processors + 2 * workers);
		const processes: Companion[] = [];
		for (let i = 0; i < processors; i++) {
			const folder = join(rootDir, `webhook-${i + 1}`);
			processes.push({
				role: 'webhook',
				index: i,
				folder,
				healthPort: ports[i]!,
				env: { N8N_PORT: String(ports[i]) },
			});
		}
		for (let i = 0; i < workers; i++) {
			const folder = join(rootDir, `worker-${i + 1}`);
			const [health, broker] = [ports[processors + 2 * i]!, ports[processors + 2 * i + 1]!];
			// The worker's health port defaults to 5678, the main's port; each worker runs its own task runner.
			const env = {
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(health),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				N8N_RUNNERS_BROKER_PORT: String(broker),
			};
			processes.push({ role: 'worker', index: i, folder, healthPort: health, env });
		}
		for (const p of processes) {
			mkdirSync(p.folder);
			p.env.N8N_USER_FOLDER = p.folder;
		}
		const targets = processes.filter((p) => p.role === 'webhook').map((p) => processorUrl(p));
		const proxy = await WebhookProxy.start(targets);
		return new QueueCompanions(processes, proxy, spawn, options.workerConcurrency ?? 10);
	}

	/** The proxy in front of the webhook processors (what Meta is given as the callback's base). */
	get webhookBaseUrl(): string {
		return this.proxy.url;
	}

	/** Processor `index`'s own base URL, bypassing the proxy (to choose which processor gets a delivery). */
	processorUrl(index: number): string {
		const processor = this.of('webhook')[index];
		if (!processor) throw new Error(`no webhook processor ${index + 1}`);
		return processorUrl(processor);
	}

	/** Executions each worker logged as started ("Worker started execution …"), by worker. */
	executionsByWorker(): number[] {
		return this.of('worker').map((p) => (this.logOf(p).match(/Worker started execution /g) ?? []).length);
	}

	logs(): string {
		return this.processes.map((p) => this.logOf(p)).join('');
	}

	async start(): Promise<void> {
		for (const p of this.processes) {
			if (p.child) continue;
			const args = p.role === 'worker' ? ['worker', `--concurrency=${this.concurrency}`] : ['webhook'];
			p.child = this.spawn(args, p.env, logFile(p));
			p.exited = exitOf(p.child);
		}
		await Promise.all(this.processes.map((p) => this.waitReady(p)));
	}

	async stop(): Promise<void> {
		await Promise.all(this.processes.map((p) => this.stopOne(p, 'SIGTERM')));
	}

	/** SIGKILL, as when a machine dies. */
	async crash(): Promise<void> {
		await Promise.all(this.processes.map((p) => this.stopOne(p, 'SIGKILL')));
	}

	async dispose(): Promise<void> {
		await this.stop();
		await this.proxy.stop();
	}

	private of(role: Companion['role']): Companion[] {
		return this.processes.filter((p) => p.role === role);
	}

	private logOf(p: Companion): string {
		return existsSync(logFile(p)) ? readFileSync(logFile(p), 'utf8') : '';
	}

	private async waitReady(p: Companion): Promise<void> {
		const deadline = Date.now() + READY_TIMEOUT_MS;
		let exitCode: string | undefined;
		void p.exited?.then((code) => (exitCode = code));
		while (Date.now() < deadline) {
			if ((await readinessStatus(p.healthPort)) === 200) return;
			if (exitCode !== undefined)
				throw new Error(`n8n ${p.role} ${p.index + 1} exited (${exitCode}):\n${tail(this.logOf(p))}`);
			await sleep(250);
		}
		throw new Error(
			`n8n ${p.role} ${p.index + 1} not ready after ${READY_TIMEOUT_MS} ms:\n${tail(this.logOf(p))}`,
		);
	}

	private async stopOne(p: Companion, signal: NodeJS.Signals): Promise<void> {
		const { child, exited } = p;
		if (!child || !exited) return;
		await stopGroup(child, exited, signal, STOP_GRACE_MS);
		p.child = undefined;
		p.exited = undefined;
	}
}

function processorUrl(p: Companion): string {
	return `http://127.0.0.1:${p.healthPort}`;
}

function logFile(p: Companion): string {
	return join(p.folder, 'n8n.log');
}

function tail(text: string): string {
	return text.trimEnd().split('\n').slice(-30).join('\n');
}
