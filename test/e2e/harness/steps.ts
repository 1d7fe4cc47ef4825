/** Steps that several e2e files repeat: handshakes, refused deliveries, "send and wait for the execution". */
import axios from 'axios';
import type { IDataObject } from 'n8n-workflow';

import type { MetaSandbox } from '../../../sandbox';
import { outcomeOf, type N8nExecution } from './api';
import type { N8nServer } from './n8n';
import type { WorkflowJson } from './workflow';

/** The ways the sandbox can sign a delivery wrongly (or not at all); each must be refused with 403. */
export const BAD_SIGNATURES = ['none', 'forged', 'tampered', 'wrongSecret'] as const;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Meta's throttling answer (613, "Calls to this api have exceeded the rate limit") to the next
 * `times` Send API calls, or to every `everyNth` of them: Meta did not act on them.
 */
export function throttleSends(sandbox: MetaSandbox, times: number, everyNth?: number): void {
	sandbox.injectFault({
		method: 'POST',
		path: '/messages$',
		status: 400,
		error: {
			code: 613,
			type: 'OAuthException',
			message: '(#613) Calls to this api have exceeded the rate limit.',
		},
		times,
		...(everyNth === undefined ? {} : { everyNth }),
	});
}

/** Statuses the trigger answered to Meta's verification handshakes (GET hub.challenge) at `url`. */
export function handshakeStatuses(sandbox: MetaSandbox, url: string): Array<number | undefined> {
	return sandbox
		.deliveries()
		.filter((d) => d.kind === 'verify' && d.url === url)
		.map((d) => d.status);
}

/** Meta's handshake at `path` passes with `verifyToken` (200) and is refused with any other (403). */
export async function expectHandshakeOnlyWith(
	sandbox: MetaSandbox,
	server: N8nServer,
	path: string,
	verifyToken: string,
): Promise<void> {
	const ok = await sandbox.verifyCallback(server.webhookUrl(path), verifyToken);
	expect(ok).toMatchObject({ status: 200, ok: true });
	const wrong = await sandbox.verifyCallback(server.webhookUrl(path), 'not-the-token');
	expect(wrong.status).toBe(403);
	expect(wrong.ok).toBe(false);
}

/** Waits for exactly `count` executions, then makes sure no further one shows up for `settleMs`. */
export async function expectExecutionCount(
	server: N8nServer,
	workflowId: string,
	count: number,
	settleMs = 1500,
): Promise<void> {
	if (count > 0) await server.waitForExecutions(workflowId, count);
	await pause(settleMs);
	expect(await server.executions({ workflowId })).toHaveLength(count);
}

/** A delivery answered 403 that started no execution: the workflow still has `executions` after `settleMs`. */
export async function expectRefused(
	server: N8nServer,
	workflowId: string,
	status: number | undefined,
	executions: number,
	settleMs = 1500,
): Promise<void> {
	expect(status).toBe(403);
	await expectExecutionCount(server, workflowId, executions, settleMs);
}

/**
 * POSTs `body` to the production webhook `path` (expects 200) and waits for the workflow's
 * execution number `nth` (1-based; default: one more than it had before the POST).
 */
export async function postAndWaitForExecution(
	server: N8nServer,
	path: string,
	body: unknown,
	workflowId: string,
	options: { nth?: number; timeoutMs?: number } = {},
): Promise<{ execution: N8nExecution; all: N8nExecution[] }> {
	const nth = options.nth ?? (await server.executions({ workflowId })).length + 1;
	const res = await axios.post(server.webhookUrl(path), body, { validateStatus: () => true });
	expect(res.status).toBe(200);
	const all = await server.waitForExecutions(workflowId, nth, options.timeoutMs);
	return { execution: all[nth - 1]!, all };
}

/** Creates the workflow through the API, activates it and waits until `webhookPath` is served. */
export async function activateNewWorkflow(
	server: N8nServer,
	workflow: WorkflowJson,
	webhookPath: string,
): Promise<string> {
	const { id } = await server.createWorkflow(workflow);
	await server.activate(id);
	await server.waitForWebhook(webhookPath, 'POST');
	return id;
}

/**
 * The next finished execution not in `consumed` whose first `trigger` item matches; it must have
 * succeeded. It is added to `consumed`, so each execution is returned once.
 */
export async function nextExecutionWhere(
	server: N8nServer,
	workflowId: string,
	trigger: string,
	consumed: Set<string>,
	match: (item: IDataObject) => boolean,
	timeoutMs = 30_000,
): Promise<N8nExecution> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const executions = await server.executions({ workflowId, includeData: true });
		const found = executions.find((execution) => {
			if (consumed.has(execution.id) || !execution.data) return false;
			const item = execution.data.resultData.runData[trigger]?.[0]?.data?.main[0]?.[0]?.json;
			return item !== undefined && match(item);
		});
		if (found && found.status !== 'running' && found.status !== 'new') {
			consumed.add(found.id);
			expect(outcomeOf(found)).toEqual({ status: 'success', failed: [] });
			return found;
		}
		await pause(250);
	}
	throw new Error(`no matching execution within ${timeoutMs} ms`);
}
