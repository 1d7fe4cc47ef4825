import axios, { type AxiosInstance } from 'axios';
import type { IDataObject, IRunData } from 'n8n-workflow';

import type { CredentialRef, WorkflowJson } from './workflow';

/** Public API (`/api/v1`) shapes, reduced to what tests read. */
export type ExecutionStatus =
	'canceled' | 'crashed' | 'error' | 'new' | 'running' | 'success' | 'unknown' | 'waiting';

export interface N8nExecution {
	id: string;
	mode: string;
	status: ExecutionStatus;
	startedAt: string | null;
	stoppedAt: string | null;
	workflowId: string;
	/** Only with `includeData: true`. */
	data?: {
		resultData: {
			runData: IRunData;
			lastNodeExecuted?: string;
			error?: { message: string; [key: string]: unknown };
		};
	};
}

export interface N8nWorkflow extends WorkflowJson {
	id: string;
	active: boolean;
}

export interface ExecutionQuery {
	workflowId?: string;
	status?: ExecutionStatus;
	includeData?: boolean;
}

interface Page<T> {
	data: T[];
	nextCursor?: string | null;
}

const FINISHED: ReadonlySet<ExecutionStatus> = new Set(['success', 'error', 'crashed', 'canceled']);

export interface PublicationStatus {
	status: 'in_progress' | 'not_published' | 'published' | 'partial' | 'failed';
	liveVersionId: string | null;
	pendingVersionId: string | null;
	triggers: Array<{ nodeId: string; status: string; errorMessage: string | null }>;
}

/** Logs in as the owner; returns a client for the internal REST API (`/rest`) carrying the `n8n-auth` cookie. */
export async function login(baseUrl: string, email: string, password: string): Promise<AxiosInstance> {
	const res = await axios.post(
		`${baseUrl}/rest/login`,
		{ emailOrLdapLoginId: email, password },
		{ validateStatus: () => true },
	);
	const cookie = (res.headers['set-cookie'] ?? [])
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('n8n-auth='));
	if (res.status !== 200 || !cookie) throw new Error(`n8n login failed: HTTP ${res.status}`);
	return withPlainErrors(axios.create({ baseURL: `${baseUrl}/rest`, headers: { cookie } }), 'n8n REST');
}

/** Mints an API key with every scope the logged-in user has. */
export async function mintApiKey(rest: AxiosInstance): Promise<string> {
	const scopes = await rest.get<{ data: string[] }>('/api-keys/scopes');
	// Labels must be unique per user (a repeated label is a 500), and the raw key is returned only once (§B.5).
	const body = { label: `e2e-${Date.now()}`, scopes: scopes.data.data, expiresAt: null };
	const created = await rest.post<{ data: { rawApiKey: string } }>('/api-keys', body);
	return created.data.data.rawApiKey;
}

/** Where the asynchronous (outbox-driven) publication of a workflow stands, with per-trigger errors. */
export async function publicationStatus(rest: AxiosInstance, workflowId: string): Promise<PublicationStatus> {
	return (await rest.get<{ data: PublicationStatus }>(`/workflows/${workflowId}/publication-status`)).data
		.data;
}

/** Polls until publishing settles as `want`; a trigger that failed to activate fails with its error. */
export async function waitForPublication(
	rest: AxiosInstance,
	workflowId: string,
	want: 'published' | 'not_published',
	timeoutMs: number,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last: PublicationStatus | undefined;
	while (Date.now() < deadline) {
		last = await publicationStatus(rest, workflowId);
		if (last.status === want) return;
		if (last.status === 'failed' || last.status === 'partial') {
			const errors = last.triggers.map((t) => `${t.nodeId}: ${t.status} ${t.errorMessage ?? ''}`).join('; ');
			throw new Error(`publishing workflow ${workflowId} ${last.status}: ${errors}`);
		}
		await sleep(250);
	}
	throw new Error(
		`timed out after ${timeoutMs} ms waiting for workflow ${workflowId} to be ${want}; last: ${last?.status}`,
	);
}

/** An API failure without the request config (which holds the API key header) attached. */
export class N8nApiError extends Error {
	constructor(
		message: string,
		readonly status: number | undefined,
		readonly body: unknown,
	) {
		super(message);
		this.name = 'N8nApiError';
	}
}

export function publicApi(baseUrl: string, apiKey: string): AxiosInstance {
	return withPlainErrors(
		axios.create({ baseURL: `${baseUrl}/api/v1`, headers: { 'X-N8N-API-KEY': apiKey } }),
		'n8n API',
	);
}

/** Replaces axios errors, whose config carries the API key / cookie, with N8nApiError. */
function withPlainErrors(client: AxiosInstance, label: string): AxiosInstance {
	client.interceptors.response.use(undefined, (error: unknown) => {
		if (!axios.isAxiosError(error)) return Promise.reject(error);
		const { method = '?', url = '?' } = error.config ?? {};
		const status = error.response?.status;
		const body: unknown = error.response?.data;
		const detail = status
			? `HTTP ${status} ${JSON.stringify(body).slice(0, 500)}`
			: (error.code ?? error.message);
		return Promise.reject(
			new N8nApiError(`${label} ${method.toUpperCase()} ${url}: ${detail}`, status, body),
		);
	});
	return client;
}

async function allPages<T>(api: AxiosInstance, path: string, params: Record<string, string>): Promise<T[]> {
	const items: T[] = [];
	let cursor: string | null | undefined;
	do {
		const res = await api.get<Page<T>>(path, {
			params: { ...params, limit: '250', ...(cursor ? { cursor } : {}) },
		});
		items.push(...res.data.data);
		cursor = res.data.nextCursor;
	} while (cursor);
	return items;
}

/** Executions matching the query, oldest first. */
export async function listExecutions(
	api: AxiosInstance,
	query: ExecutionQuery = {},
): Promise<N8nExecution[]> {
	const params: Record<string, string> = {};
	if (query.workflowId) params.workflowId = query.workflowId;
	if (query.status) params.status = query.status;
	if (query.includeData) params.includeData = 'true';
	const executions = await allPages<N8nExecution>(api, '/executions', params);
	return executions.sort((a, b) => Number(a.id) - Number(b.id));
}

/** Polls until at least `count` executions of the workflow have finished; returns them (with data), oldest first. */
export async function waitForExecutions(
	api: AxiosInstance,
	workflowId: string,
	count: number,
	timeoutMs: number,
): Promise<N8nExecution[]> {
	const deadline = Date.now() + timeoutMs;
	let seen: N8nExecution[] = [];
	while (Date.now() < deadline) {
		seen = await listExecutions(api, { workflowId });
		if (seen.filter((e) => FINISHED.has(e.status)).length >= count) {
			const withData = await listExecutions(api, { workflowId, includeData: true });
			return withData.filter((e) => FINISHED.has(e.status));
		}
		await sleep(250);
	}
	const statuses = seen.map((e) => `${e.id}:${e.status}`).join(', ') || 'none';
	throw new Error(
		`timed out after ${timeoutMs} ms waiting for ${count} finished execution(s) of ${workflowId}; seen: ${statuses}`,
	);
}

/** The `json` of each item a node emitted (run `run`, output `output`) in an execution read with data. */
export function nodeOutput(execution: N8nExecution, nodeName: string, output = 0, run = 0): IDataObject[] {
	const task = execution.data?.resultData.runData[nodeName]?.[run];
	if (!task) throw new Error(`node "${nodeName}" did not run in execution ${execution.id}`);
	return (task.data?.main[output] ?? []).map((item) => item.json);
}

/** Status and each failing node's own words (read with data), so that a failed expectation says why. */
export function outcomeOf(execution: N8nExecution): { status: ExecutionStatus; failed: string[] } {
	const failed = Object.entries(execution.data?.resultData.runData ?? {}).flatMap(([node, runs]) =>
		runs.flatMap((run) =>
			run.error
				? [`${node}: ${run.error.message}${run.error.description ? ` — ${run.error.description}` : ''}`]
				: [],
		),
	);
	return { status: execution.status, failed };
}

export async function listWorkflows(api: AxiosInstance): Promise<N8nWorkflow[]> {
	return await allPages<N8nWorkflow>(api, '/workflows', {});
}

/** Returns once the request is queued; publishing itself completes asynchronously (see waitForPublication). */
export async function setActive(api: AxiosInstance, workflowId: string, active: boolean): Promise<void> {
	// `/activate` and `/deactivate` are deprecated aliases of these in 2.41 (same handler).
	await api.post(`/workflows/${workflowId}/${active ? 'publish' : 'unpublish'}`, {});
}

export async function createCredential(
	api: AxiosInstance,
	credential: { name: string; type: string; data: IDataObject },
): Promise<CredentialRef> {
	const res = await api.post<CredentialRef>('/credentials', credential);
	return { id: res.data.id, name: res.data.name };
}

/** Creates a workflow (inactive). The public API rejects unknown keys, so only the writable ones are sent. */
export async function createWorkflow(api: AxiosInstance, workflow: WorkflowJson): Promise<N8nWorkflow> {
	const { name, nodes, connections, settings, staticData, pinData } = workflow;
	const body = {
		name,
		nodes,
		connections,
		settings: settings ?? { executionOrder: 'v1' },
		staticData,
		pinData,
	};
	const res = await api.post<N8nWorkflow>('/workflows', body);
	return res.data;
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
