import type { IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { isDashboardSample, RecentKeys, storedDedupKeys, type InstagramEvent } from '../events';

/** Dedup window: the most recent keys kept in the workflow's static data. */
export const DEDUP_LIMIT = 10_000;

/**
 * How long an event accepted by webhook() blocks its redeliveries in this process before its
 * execution has started. Normally the execution starts within milliseconds and confirms the key;
 * if n8n could not create it (Meta then got an error and redelivers), the redelivery passes
 * after this long instead of being dropped for good.
 */
export const PENDING_MS = 2 * 60_000;

/**
 * Meta retries an unacknowledged delivery for at most 36 hours (Instagram Platform webhooks page:
 * "Unacknowledged responses will be dropped after 36 hours"). An older event is a replay of a
 * captured delivery that the bounded dedup window may no longer remember, so it is refused.
 * Dashboard samples carry arbitrary timestamps and are exempt (their own dedup window applies).
 */
export const REDELIVERY_WINDOW_MS = 36 * 3_600_000;

export function isPastRedeliveryWindow(
	event: Pick<InstagramEvent, 'timestampMs' | 'isTest' | 'accountId' | 'senderId' | 'mid'>,
	now = Date.now(),
): boolean {
	return !event.isTest && !isDashboardSample(event) && now - event.timestampMs > REDELIVERY_WINDOW_MS;
}

type DedupFields = Pick<InstagramEvent, 'dedupKey' | 'isTest' | 'accountId' | 'senderId' | 'mid'>;

/** Keys this process has seen, per workflow, node and mode. */
interface SeenInProcess {
	/** Events whose execution started (its trigger step ran in this process). */
	started: RecentKeys;
	/** Events accepted by webhook() whose execution has not started yet: key → accepted at (ms). */
	pending: Map<string, number>;
}

const seenInProcess = new Map<string, SeenInProcess>();

export function forgetSeenEvents(): void {
	seenInProcess.clear();
}

function inProcess(ctx: IWebhookFunctions | IExecuteFunctions): SeenInProcess {
	const scope = `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}:${ctx.getMode()}`;
	let seen = seenInProcess.get(scope);
	if (seen === undefined) {
		seen = { started: new RecentKeys({ keys: [], next: 0 }, DEDUP_LIMIT), pending: new Map() };
		seenInProcess.set(scope, seen);
	}
	return seen;
}

function prunePending(pending: Map<string, number>, now: number): void {
	for (const [key, at] of pending) {
		if (now - at < PENDING_MS && pending.size <= DEDUP_LIMIT) break;
		pending.delete(key);
	}
}

function storedKeys(ctx: IWebhookFunctions | IExecuteFunctions): RecentKeys {
	return RecentKeys.in(ctx.getWorkflowStaticData('node'), { limit: DEDUP_LIMIT });
}

/**
 * Webhook phase: the events not seen before. Reads the stored keys and marks the accepted events
 * pending in this process; writes nothing to static data (n8n would not save it here once an
 * execution follows, n8n-harness.md §B.8 — the execution's trigger step stores the keys).
 */
export function takeUnseen(ctx: IWebhookFunctions, events: InstagramEvent[]): InstagramEvent[] {
	const seen = inProcess(ctx);
	const stored = storedKeys(ctx);
	const now = Date.now();
	prunePending(seen.pending, now);
	const accepted = new Set<string>();
	return events.filter((event) => {
		const { current, previous } = storedDedupKeys(event, now);
		const known = (key: string) =>
			accepted.has(key) || stored.has(key) || seen.started.has(key) || seen.pending.has(key);
		if (known(current) || (previous !== undefined && known(previous))) return false;
		accepted.add(current);
		seen.pending.set(current, now);
		return true;
	});
}

function dedupFields(json: IDataObject): DedupFields | null {
	if (typeof json.dedupKey !== 'string') return null;
	const text = (value: unknown) => (typeof value === 'string' ? value : null);
	return {
		dedupKey: json.dedupKey,
		isTest: json.isTest === true,
		accountId: text(json.accountId),
		senderId: text(json.senderId),
		mid: text(json.mid),
	};
}

/**
 * Execution phase: stores the keys of the items this execution emits in the workflow's static
 * data (n8n saves it when the execution ends) and drops items whose key another execution stored
 * meanwhile (a redelivery that reached another process).
 */
export function recordStarted(ctx: IExecuteFunctions, items: INodeExecutionData[]): INodeExecutionData[] {
	const seen = inProcess(ctx);
	const stored = storedKeys(ctx);
	const now = Date.now();
	return items.filter((item) => {
		const fields = dedupFields(item.json);
		if (fields === null) return true;
		const { current, previous } = storedDedupKeys(fields, now);
		if (stored.has(current) || (previous !== undefined && stored.has(previous))) return false;
		stored.add(current);
		seen.started.add(current);
		seen.pending.delete(current);
		if (previous !== undefined) seen.pending.delete(previous);
		return true;
	});
}
