import type { MetaSandbox } from '../../sandbox';
import { nodeOutput, type N8nExecution, type N8nServer } from './harness';
import { sleep } from './harness/api';

export interface Delivery {
	payload: object;
	callbackUrl: string;
}

/** Delivers each payload as Meta does (signed), `inFlight` at a time; returns the statuses in order. */
export async function deliverAll(
	sandbox: MetaSandbox,
	deliveries: Delivery[],
	inFlight = 16,
): Promise<number[]> {
	const statuses: number[] = new Array<number>(deliveries.length);
	let next = 0;
	const lane = async () => {
		while (next < deliveries.length) {
			const index = next++;
			const { payload, callbackUrl } = deliveries[index]!;
			statuses[index] = (await sandbox.deliver(payload, { callbackUrl })).status;
		}
	};
	await Promise.all(Array.from({ length: inFlight }, lane));
	return statuses;
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/**
 * Waits until every execution of the workflow has finished and no new one appeared for `quietMs`;
 * returns the finished executions with their data.
 */
export async function waitUntilSettled(
	server: N8nServer,
	workflowId: string,
	timeoutMs: number,
	quietMs = 5_000,
): Promise<N8nExecution[]> {
	const deadline = Date.now() + timeoutMs;
	let last = { count: -1, since: Date.now() };
	while (Date.now() < deadline) {
		const executions = await server.executions({ workflowId });
		const open = executions.filter((e) => !FINISHED.has(e.status));
		if (executions.length !== last.count || open.length > 0)
			last = { count: executions.length, since: Date.now() };
		else if (Date.now() - last.since >= quietMs)
			return await server.executions({ workflowId, includeData: true });
		await sleep(1_000);
	}
	const open = (await server.executions({ workflowId })).filter((e) => !FINISHED.has(e.status));
	throw new Error(
		`executions of ${workflowId} still open after ${timeoutMs} ms: ${open.map((e) => `${e.id}:${e.status}`).join(', ')}`,
	);
}

/** The json of every item the node emitted, across executions. */
export function itemsOf(executions: N8nExecution[], nodeName: string) {
	return executions.flatMap((execution) => nodeOutput(execution, nodeName));
}
