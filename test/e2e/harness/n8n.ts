import axios, { type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import type { ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import {
	appendFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	unlinkSync,
	writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { IDataObject } from 'n8n-workflow';

import * as api from './api';
import { ensureN8nInstalled, type N8nInstall } from './install';
import {
	exitOf,
	freePorts,
	readinessStatus,
	signalGroup,
	spawnTracked,
	stopGroup,
	sweepStaleFolders,
} from './processes';
import { QueueCompanions, type QueueOptions } from './queueCompanions';
import { queueEnv, startQueueServices, type QueueServices } from './queueServices';
import { bcryptHash, n8nEnv, prepareExtension } from './setup';
import { toCustomTypes, type CredentialRef, type WorkflowJson } from './workflow';

export interface N8nServerOptions {
	/** n8n's HTTP port; a free loopback port by default. The task-runner broker always gets a free one. */
	port?: number;
	/** Used in the temp folder name only. */
	name?: string;
	/** Copy the repo's built `dist/` into the extension folder (default true; needs `npm run build`). */
	loadPackage?: boolean;
	/** Extra environment for n8n (e.g. N8N_SSRF_* for a loopback API stand-in); wins over the defaults. */
	env?: Record<string, string>;
	/**
	 * Install community packages from this registry instead of the internet: n8n runs in a private
	 * mount namespace whose /etc/hosts points registry.npmjs.org at it (see `LocalRegistry`).
	 * Workflows then keep the package's published node types instead of `CUSTOM.*`.
	 */
	communityRegistry?: { hostsFile: string; caFile: string };
	/**
	 * n8n's queue mode (docs/research/n8n-queue-mode-2026-12.md): PostgreSQL and Redis from Debian's
	 * packages, this server as the main (UI, API, activation; no production webhooks), webhook
	 * processors behind a round-robin proxy (`webhookUrl()`), and workers running the executions.
	 */
	queue?: QueueOptions;
}

export interface CredentialImport {
	id?: string;
	name: string;
	type: string;
	/** Plain values; n8n encrypts them on import. */
	data: IDataObject;
}

/** What another test file needs to use a running server (`sharedServer.ts`); the file is private. */
export interface SharedServerState {
	pid: number;
	rootDir: string;
	port: number;
	brokerPort: number;
	password: string;
	passwordHash: string;
	encryptionKey: string;
	apiKey: string;
}

/** Answers to a probe: an HTTP method (probed with a CORS preflight) or a predicate on a GET's response. */
export type WebhookProbe = Method | ((res: AxiosResponse<unknown>) => boolean);

const WATCHDOG = join(__dirname, 'watchdog.cjs');
const READY_MARKER = 'Editor is now accessible via';
const START_TIMEOUT_MS = 120_000;
const CLI_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 15_000;

/** A real n8n 2.x server (n8n-harness.md §B) on loopback + SQLite, in a throwaway user folder. */
export class N8nServer {
	readonly baseUrl: string;
	readonly ownerEmail = 'owner@e2e.test';
	/** Milliseconds the last `start()` took until ready (readiness + workflows activated). */
	lastStartMs = 0;
	private child: ChildProcess | undefined;
	private exited: Promise<string> | undefined;
	private output = '';
	private apiKey: string | undefined;
	private client: AxiosInstance | undefined;
	private restClient: AxiosInstance | undefined;
	/** Queue mode only: the webhook processors and workers started with this main. */
	private companions: QueueCompanions | undefined;
	/** Started by another test file (`attach`): it is used, never stopped or restarted, here. */
	private attached = false;
	private queueServices: QueueServices | undefined;

	private constructor(
		private readonly install: N8nInstall,
		readonly rootDir: string,
		readonly port: number,
		readonly brokerPort: number,
		private readonly password: string,
		private readonly passwordHash: string,
		private readonly encryptionKey: string,
		private extraEnv: Record<string, string>,
		private readonly communityRegistry: N8nServerOptions['communityRegistry'],
	) {
		this.baseUrl = `http://127.0.0.1:${port}`;
	}

	static async create(opts: N8nServerOptions = {}): Promise<N8nServer> {
		const logLevel = opts.env?.N8N_LOG_LEVEL ?? 'info';
		// start() recognises "activated and ready" by an info-level line.
		if (!['info', 'debug'].includes(logLevel))
			throw new Error(`N8N_LOG_LEVEL must be info or debug, not ${logLevel}`);
		const install = await ensureN8nInstalled();
		const name = (opts.name ?? 'server').replace(/[^\w-]/g, '_');
		sweepStaleFolders(tmpdir(), 'n8n-e2e-');
		const rootDir = mkdtempSync(join(tmpdir(), `n8n-e2e-${name}-`));
		try {
			writeFileSync(join(rootDir, 'owner.pid'), String(process.pid));
			mkdirSync(join(rootDir, 'user'));
			prepareExtension(join(rootDir, 'extension'), opts.loadPackage ?? true);
			const [port, brokerPort] = await freePorts(2, opts.port);
			const password = `E2e-${randomBytes(12).toString('hex')}`;
			// Fixed for the server's lifetime so credentials stay decryptable across restarts.
			const encryptionKey = randomBytes(24).toString('hex');
			const hash = bcryptHash(install, password);
			const server = new N8nServer(
				install,
				rootDir,
				port,
				brokerPort,
				password,
				hash,
				encryptionKey,
				opts.env ?? {},
				opts.communityRegistry,
			);
			if (opts.queue) await server.prepareQueueMode(opts.queue);
			return server;
		} catch (error) {
			rmSync(rootDir, { recursive: true, force: true });
			throw error;
		}
	}

	/** A server another test file of this jest process started (see `sharedState`). */
	static async attach(state: SharedServerState): Promise<N8nServer> {
		const install = await ensureN8nInstalled();
		const server = new N8nServer(
			install,
			state.rootDir,
			state.port,
			state.brokerPort,
			state.password,
			state.passwordHash,
			state.encryptionKey,
			{},
			undefined,
		);
		server.attached = true;
		server.apiKey = state.apiKey;
		server.restClient = await api.login(server.baseUrl, server.ownerEmail, state.password);
		server.client = api.publicApi(server.baseUrl, state.apiKey);
		return server;
	}

	sharedState(): SharedServerState {
		if (!this.child?.pid || !this.apiKey) throw new Error('share a server once it runs');
		return {
			pid: this.child.pid,
			rootDir: this.rootDir,
			port: this.port,
			brokerPort: this.brokerPort,
			password: this.password,
			passwordHash: this.passwordHash,
			encryptionKey: this.encryptionKey,
			apiKey: this.apiKey,
		};
	}

	/** Unpublishes and deletes what a test file created on a shared server. */
	async removeAll(workflowIds: string[], credentialIds: string[]): Promise<void> {
		for (const id of workflowIds) {
			await this.deactivate(id).catch(() => undefined);
			await this.api.delete(`/workflows/${id}`).catch(() => undefined);
		}
		for (const id of credentialIds) await this.api.delete(`/credentials/${id}`).catch(() => undefined);
	}

	private refuseIfAttached(what: string): void {
		if (this.attached)
			throw new Error(`${what}: this n8n is shared by several test files; use a server of your own`);
	}

	/** The owner's login, for `npm start` to print (a fresh random password per server). */
	get ownerLogin(): { email: string; password: string } {
		return { email: this.ownerEmail, password: this.password };
	}

	get userFolder(): string {
		return join(this.rootDir, 'user');
	}

	get extensionDir(): string {
		return join(this.rootDir, 'extension');
	}

	get logFile(): string {
		return join(this.userFolder, 'n8n.log');
	}

	get running(): boolean {
		return this.child !== undefined;
	}

	/** Public API client (`/api/v1`, `X-N8N-API-KEY`); available after the first `start()`. */
	get api(): AxiosInstance {
		if (!this.client) throw new Error('the public API is available after start()');
		return this.client;
	}

	/** Internal REST client (`/rest`, owner's `n8n-auth` cookie), for what the public API lacks. */
	get rest(): AxiosInstance {
		if (!this.restClient) throw new Error('the REST API is available after start()');
		return this.restClient;
	}

	/** A production webhook: in queue mode through the proxy in front of the webhook processors. */
	webhookUrl(path: string): string {
		return `${this.companions?.webhookBaseUrl ?? this.baseUrl}/webhook/${path}`;
	}

	/** Queue mode: the processes beside this main (webhook processors, workers). */
	get queue(): QueueCompanions {
		if (!this.companions) throw new Error('not a queue-mode server (pass { queue })');
		return this.companions;
	}

	testWebhookUrl(path: string): string {
		return `${this.baseUrl}/webhook-test/${path}`;
	}

	/** Everything n8n and its CLI commands printed, across restarts. */
	logs(): string {
		const own = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
		return own + (this.companions?.logs() ?? '');
	}

	/** Values that must never appear in logs or outputs (owner password, encryption key, API key). */
	secrets(): string[] {
		return [this.password, this.passwordHash, this.encryptionKey, ...(this.apiKey ? [this.apiKey] : [])];
	}

	// ---- CLI (server stopped) ------------------------------------------------------------------

	/** Runs `n8n <args>` against this user folder; returns its output. Throws on a non-zero exit. */
	async cli(...args: string[]): Promise<string> {
		this.refuseIfAttached(`n8n ${args[0]}`);
		// The CLI opens the same SQLite DB, and publish only takes effect at the next start (§B.5).
		if (this.running) throw new Error(`n8n ${args[0]}: stop the server first (CLI commands need it stopped)`);
		const child = this.spawnN8n(args);
		const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), CLI_TIMEOUT_MS);
		let out = '';
		child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
		child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
		const code = await exitOf(child).finally(() => clearTimeout(timer));
		if (code !== '0') throw new Error(`n8n ${args.join(' ')} exited with ${code}:\n${lastLines(out, 30)}`);
		return out;
	}

	async importCredentials(credentials: CredentialImport[]): Promise<CredentialRef[]> {
		const withIds = credentials.map((c) => ({ ...c, id: c.id ?? newId() }));
		const out = await this.withInputFile(withIds, (file) =>
			this.cli('import:credentials', `--input=${file}`),
		);
		if (!out.includes(`Successfully imported ${withIds.length} credential`))
			throw new Error(`import:credentials:\n${lastLines(out, 20)}`);
		return withIds.map(({ id, name }) => ({ id, name }));
	}

	/** Imports (inactive) with node types as this server knows them (`asLoaded`); returns the workflow ids. */
	async importWorkflows(workflows: WorkflowJson[]): Promise<string[]> {
		const withIds = workflows.map((w) => ({ ...this.asLoaded(w), id: w.id ?? newId() }));
		const out = await this.withInputFile(withIds, (file) => this.cli('import:workflow', `--input=${file}`));
		// Content-policy violations are skipped with a warning and exit 0.
		if (!out.includes(`Successfully imported ${withIds.length} workflow`))
			throw new Error(`import:workflow:\n${lastLines(out, 20)}`);
		return withIds.map((w) => w.id);
	}

	async importWorkflow(workflow: WorkflowJson): Promise<string> {
		const [id] = await this.importWorkflows([workflow]);
		return id;
	}

	/** Makes the workflow active from the next start (2.x replacement of `update:workflow --active`). */
	async publish(workflowId: string): Promise<void> {
		await this.cli('publish:workflow', `--id=${workflowId}`);
	}

	// ---- lifecycle -----------------------------------------------------------------------------

	/** Starts `n8n start` and waits until it serves requests and has activated published workflows. */
	async start(): Promise<void> {
		this.refuseIfAttached('start');
		if (this.running) throw new Error('n8n is already running');
		const startedAt = Date.now();
		const child = this.spawnN8n(['start']);
		this.child = child;
		this.exited = exitOf(child);
		let ready = false;
		let carry = ''; // the marker may straddle two chunks
		child.stdout?.on('data', (b: Buffer) => {
			const text = carry + b.toString();
			ready ||= text.includes(READY_MARKER);
			carry = text.slice(-READY_MARKER.length);
		});
		// Queue mode: the processors and workers boot alongside (n8n locks its migrations).
		const companions = this.companions?.start();
		try {
			await this.poll(
				START_TIMEOUT_MS,
				'n8n to become ready',
				async () => ready && (await readinessStatus(this.port)) === 200,
			);
			this.restClient ??= await api.login(this.baseUrl, this.ownerEmail, this.password);
			this.apiKey ??= await api.mintApiKey(this.restClient);
			this.client ??= api.publicApi(this.baseUrl, this.apiKey);
			await companions;
		} catch (error) {
			await companions?.catch(() => undefined);
			await this.stop();
			throw error;
		}
		this.lastStartMs = Date.now() - startedAt;
	}

	/** SIGTERM to n8n (it stops its task runner), SIGKILL to the whole process group after 15 s. */
	async stop(): Promise<void> {
		this.refuseIfAttached('stop');
		await this.companions?.stop();
		const child = this.child;
		if (!child || !this.exited) return;
		await stopGroup(child, this.exited, 'SIGTERM', STOP_GRACE_MS);
		this.child = undefined;
		this.exited = undefined;
	}

	/** SIGKILL to n8n's whole process group, as when the machine or the container dies. */
	async crash(): Promise<void> {
		this.refuseIfAttached('crash');
		await this.companions?.crash();
		const child = this.child;
		if (!child || !this.exited) return;
		signalGroup(child, 'SIGKILL');
		await this.exited;
		this.child = undefined;
		this.exited = undefined;
	}

	async restart(): Promise<void> {
		await this.stop();
		await this.start();
	}

	/** Stops the server and deletes its folder (kept when N8N_E2E_KEEP=1, for debugging). */
	async dispose(): Promise<void> {
		if (this.attached) return;
		await this.stop();
		await this.companions?.dispose();
		await this.queueServices?.stop();
		if (process.env.N8N_E2E_KEEP === '1') writeFileSync(join(this.rootDir, 'keep'), '');
		else rmSync(this.rootDir, { recursive: true, force: true });
	}

	/**
	 * Waits until a production webhook is served. Publishing returns before that (§B.5 pitfall; 2.41
	 * publishes through an asynchronous outbox), and until then a request gets 404 "not registered".
	 * A method is probed with a CORS preflight (OPTIONS + Origin), which runs no workflow: n8n answers
	 * it 204 once that method is registered (and 500 before, as its not-registered error escapes).
	 * A predicate instead gets the response of a GET to `webhookUrl(path)` (a query string may follow).
	 */
	async waitForWebhook(path: string, probe: WebhookProbe = 'GET', timeoutMs = 30_000): Promise<void> {
		const url = this.webhookUrl(path);
		await this.poll(timeoutMs, `webhook ${url}`, async () => {
			if (typeof probe === 'function') return probe(await axios.get(url, { validateStatus: () => true }));
			const headers = { Origin: this.baseUrl, 'Access-Control-Request-Method': probe.toUpperCase() };
			const res = await axios.request({ method: 'OPTIONS', url, headers, validateStatus: () => true });
			return res.status === 204;
		});
	}

	// ---- public API helpers --------------------------------------------------------------------

	executions(query: api.ExecutionQuery = {}): Promise<api.N8nExecution[]> {
		return api.listExecutions(this.api, query);
	}

	waitForExecutions(workflowId: string, count: number, timeoutMs = 30_000): Promise<api.N8nExecution[]> {
		return api.waitForExecutions(this.api, workflowId, count, timeoutMs);
	}

	workflows(): Promise<api.N8nWorkflow[]> {
		return api.listWorkflows(this.api);
	}

	/**
	 * Publishes through the public API and waits until n8n reports it published; a trigger that fails
	 * to activate (e.g. its webhook `create()` throws) fails here with n8n's error message.
	 */
	async activate(workflowId: string, timeoutMs = 30_000): Promise<void> {
		await api.setActive(this.api, workflowId, true);
		await api.waitForPublication(this.rest, workflowId, 'published', timeoutMs);
	}

	/** Unpublishes through the public API and waits until n8n has torn the triggers down. */
	async deactivate(workflowId: string, timeoutMs = 30_000): Promise<void> {
		await api.setActive(this.api, workflowId, false);
		await api.waitForPublication(this.rest, workflowId, 'not_published', timeoutMs);
	}

	publicationStatus(workflowId: string): Promise<api.PublicationStatus> {
		return api.publicationStatus(this.rest, workflowId);
	}

	createCredential(credential: { name: string; type: string; data: IDataObject }): Promise<CredentialRef> {
		return api.createCredential(this.api, credential);
	}

	/**
	 * Creates a credential with its data as given, hidden fields included (a recorded token state):
	 * through the editor's REST API, as the editor saves them; the public API refuses hidden fields.
	 */
	async createCredentialAsIs(credential: {
		name: string;
		type: string;
		data: IDataObject;
	}): Promise<CredentialRef> {
		const res = await this.rest.post<{ data: { id: string; name: string } }>('/credentials', credential);
		return { id: res.data.data.id, name: res.data.data.name };
	}

	/** Creates a workflow (inactive) with node types as this server knows them (`asLoaded`). */
	createWorkflow(workflow: WorkflowJson): Promise<api.N8nWorkflow> {
		return api.createWorkflow(this.api, this.asLoaded(workflow));
	}

	/**
	 * The workflow with our node types as this server loaded them: `CUSTOM.*` from the extension
	 * folder, or the published names (as shipped) when installed as a community package.
	 */
	asLoaded<T extends WorkflowJson>(workflow: T): T {
		return this.communityRegistry ? structuredClone(workflow) : toCustomTypes(workflow);
	}

	// ---- internals -----------------------------------------------------------------------------

	private async prepareQueueMode(options: QueueOptions): Promise<void> {
		this.queueServices = await startQueueServices(this.rootDir);
		this.extraEnv = { ...queueEnv(this.queueServices), ...this.extraEnv };
		this.companions = await QueueCompanions.create(options, this.rootDir, (args, env, logFile) =>
			this.spawnN8n(args, env, logFile),
		);
		// The main computes Meta's callback URL from N8N_WEBHOOK_URL: the processors' proxy.
		this.extraEnv = {
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			N8N_WEBHOOK_URL: `${this.companions.webhookBaseUrl}/`,
			...this.extraEnv,
		};
	}

	private spawnN8n(
		args: string[],
		companionEnv: Record<string, string> = {},
		logFile = this.logFile,
	): ChildProcess {
		const command = [this.install.nodeBin, '--require', WATCHDOG, this.install.n8nCli, ...args];
		const registry = this.communityRegistry;
		// unshare and sh exec, so the pid (and process group) stays n8n's.
		const wrapped = registry
			? [
					'unshare',
					'--mount',
					'--propagation',
					'private',
					'--',
					'sh',
					'-c',
					'mount --bind "$0" /etc/hosts && exec "$@"',
					registry.hostsFile,
					...command,
				]
			: command;
		const env = { ...this.env(), ...companionEnv };
		const child = spawnTracked(wrapped[0], wrapped.slice(1), env.N8N_USER_FOLDER ?? this.userFolder, env);
		appendFileSync(logFile, `\n===== n8n ${args.join(' ')} (pid ${child.pid}) =====\n`);
		const capture = (b: Buffer) => {
			appendFileSync(logFile, b);
			// The main's own tail, for its start errors (each companion reports from its log).
			if (logFile === this.logFile) this.output = (this.output + b.toString()).slice(-64 * 1024);
		};
		child.stdout?.on('data', capture);
		child.stderr?.on('data', capture);
		return child;
	}

	private env(): NodeJS.ProcessEnv {
		return n8nEnv({
			install: this.install,
			baseUrl: this.baseUrl,
			port: this.port,
			brokerPort: this.brokerPort,
			userFolder: this.userFolder,
			extensionDir: this.extensionDir,
			encryptionKey: this.encryptionKey,
			ownerEmail: this.ownerEmail,
			passwordHash: this.passwordHash,
			extra: {
				...(this.communityRegistry && {
					// n8n's own registry checks (Node's TLS) and the npm it runs both trust the test CA;
					// a private npm cache, so nothing published by an earlier run is reused.
					NODE_EXTRA_CA_CERTS: this.communityRegistry.caFile,
					npm_config_cafile: this.communityRegistry.caFile,
					npm_config_cache: join(this.rootDir, 'npm-cache'),
				}),
				...this.extraEnv,
			},
		});
	}

	/** Polls `check` every 250 ms; fails early with the log tail if n8n exits meanwhile. */
	private async poll(timeoutMs: number, what: string, check: () => Promise<boolean>): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let exitCode: string | undefined;
		void this.exited?.then((code) => (exitCode = code));
		while (Date.now() < deadline) {
			if (await check()) return;
			if (exitCode !== undefined)
				throw new Error(`n8n exited (${exitCode}) while waiting for ${what}:\n${lastLines(this.output, 30)}`);
			await api.sleep(250);
		}
		throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${lastLines(this.output, 30)}`);
	}

	/** Writes `data` to a private file for a CLI `--input`, and removes it afterwards (it may hold secrets). */
	private async withInputFile<T>(data: unknown, run: (file: string) => Promise<T>): Promise<T> {
		const file = join(this.rootDir, `import-${newId()}.json`);
		writeFileSync(file, JSON.stringify(data), { mode: 0o600 });
		try {
			return await run(file);
		} finally {
			unlinkSync(file);
		}
	}
}

/** A 16-character id in n8n's alphabet (n8n uses nanoids of this shape for workflows and credentials). */
function newId(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	return [...randomBytes(16)].map((b) => alphabet[b % alphabet.length]).join('');
}

function lastLines(text: string, n: number): string {
	return text.trimEnd().split('\n').slice(-n).join('\n');
}
