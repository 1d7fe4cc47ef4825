import type { IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { isDashboardSample, RecentKeys, storedDedupKeys, type InstagramEvent } from '../events';
import { perProcessMap } from '../processMemory';
import { claimedElsewhere, type ClaimRow } from '../sharedClaims';

/** Dedup window: the most recent keys kept in the workflow's static data. */
export const DEDUP_LIMIT = 10_000;

/** Events also claimed in n8n's processed-data store, for redeliveries reaching another process. */
export const EVENT_CLAIMS: ClaimRow = {
	scope: 'node',
	maxEntries: 2 * DEDUP_LIMIT,
	reassert: true,
	skippedNotice: 'Instagram Messaging Trigger emits events without the duplicate check across n8n processes',
};

/**
 * How long an event accepted by webhook() stays pending when n8n's answer to Meta is never seen
 * (the caller hung up first). Normally n8n answers within milliseconds, after saving the
 * execution, and the answer settles the key: 200 → delivered, anything else → forgotten.
 */
export const PENDING_MS = 2 * 60_000;

/**
 * Meta retries an unacknowledged delivery for at most 36 hours (Instagram Platform webhooks page:
 * "Unacknowledged responses will be dropped after 36 hours"); one hour more allows for a clock
 * difference between Meta and n8n's host. An older event is a replay of a captured delivery that
 * the bounded dedup window may no longer remember, so it is refused. Meta's dashboard test samples
 * carry arbitrary timestamps and are exempt (their own dedup window applies).
 */
export const REDELIVERY_WINDOW_MS = 37 * 3_600_000;

export function isPastRedeliveryWindow(
	event: Pick<InstagramEvent, 'timestampMs' | 'isTest' | 'accountId' | 'senderId' | 'mid'>,
	now = Date.now(),
): boolean {
	return !event.isTest && !isDashboardSample(event) && now - event.timestampMs > REDELIVERY_WINDOW_MS;
}

type DedupFields = Pick<InstagramEvent, 'dedupKey' | 'isTest' | 'accountId' | 'senderId' | 'mid'>;

/** Keys this process has seen, per workflow, node and mode. */
interface SeenInProcess {
	/** Events in an execution n8n saved: Meta got its 200, or the execution's trigger step ran here. */
	saved: RecentKeys;
	/** Events accepted by webhook() before n8n answered Meta: key → accepted at (ms). */
	pending: Map<string, number>;
}

const seenInProcess = perProcessMap<string, SeenInProcess>('eventKeysSeen', 10_000);

function inProcess(ctx: IWebhookFunctions | IExecuteFunctions): SeenInProcess {
	const scope = `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}:${ctx.getMode()}`;
	let seen = seenInProcess.get(scope);
	if (seen === undefined) {
		seen = { saved: new RecentKeys(undefined, DEDUP_LIMIT), pending: new Map() };
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

export type Unseen =
	/** Events to emit; `settle` must be called with n8n's answer to Meta once it was sent. */
	| { kind: 'fresh'; events: InstagramEvent[]; settle: (status: number | null) => void }
	/** A redelivery of events whose first delivery n8n has not answered yet. */
	| { kind: 'inFlight' };

/**
 * Webhook phase: the events not seen before. Reads the stored keys and marks the accepted events
 * pending in this process; adds no keys to static data (n8n would not save them here once an
 * execution follows, n8n-harness.md §B.8 — the execution's trigger step stores the keys).
 *
 * A redelivery of an event whose first delivery is still pending (n8n has not saved its
 * execution yet) is neither emitted again nor acknowledged: acknowledging it would lose the event
 * if n8n died before saving the first execution. Meta retries it later.
 */
export function takeUnseen(ctx: IWebhookFunctions, events: InstagramEvent[]): Unseen {
	const seen = inProcess(ctx);
	const stored = storedKeys(ctx);
	const now = Date.now();
	prunePending(seen.pending, now);
	const accepted = new Set<string>();
	const keys: string[] = [];
	const fresh: InstagramEvent[] = [];
	for (const event of events) {
		const { current, previous } = storedDedupKeys(event, now);
		const candidates = previous === undefined ? [current] : [current, previous];
		if (candidates.some((key) => accepted.has(key) || stored.has(key) || seen.saved.has(key))) continue;
		if (candidates.some((key) => seen.pending.has(key))) return { kind: 'inFlight' };
		accepted.add(current);
		keys.push(current);
		fresh.push(event);
	}
	for (const key of keys) seen.pending.set(key, now);
	const settle = (status: number | null) => {
		if (status === null) return; // no answer reached Meta: pending until PENDING_MS
		for (const key of keys) {
			seen.pending.delete(key);
			if (status === 200) seen.saved.add(key);
		}
	};
	return { kind: 'fresh', events: fresh, settle };
}

/**
 * Webhook phase, for events that resumed a waiting execution instead of starting one: their keys
 * are stored now (n8n saves static data after webhook() when no execution follows), so a
 * redelivery neither resumes nor starts anything.
 */
export function recordAnswered(ctx: IWebhookFunctions, events: InstagramEvent[]): void {
	if (events.length === 0) return;
	const seen = inProcess(ctx);
	const stored = storedKeys(ctx);
	const now = Date.now();
	for (const event of events) {
		const { current } = storedDedupKeys(event, now);
		stored.add(current);
		seen.saved.add(current);
		seen.pending.delete(current);
	}
	stored.save();
}

/** Marks an item that only carries the dedup key of an answer that resumed a wait. */
const ANSWERED_KEY_MARK = 'instagramAnsweredKeyOnly';

/**
 * When a delivery both resumed a wait and starts an execution, n8n drops static data written in
 * webhook(): the answers' keys ride along as marked items, which the execution's trigger step
 * stores and does not emit.
 */
export function answeredKeyItems(events: InstagramEvent[]): INodeExecutionData[] {
	return events.map((event) => ({
		json: {
			dedupKey: event.dedupKey,
			isTest: event.isTest,
			accountId: event.accountId,
			senderId: event.senderId,
			mid: event.mid,
			[ANSWERED_KEY_MARK]: true,
		},
	}));
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
 * Execution phase: drops items whose event another execution already emitted, and records the
 * keys of the rest. Two records: the workflow's static data (n8n saves it when the execution ends;
 * the webhook phase reads it) and, outside manual runs and retries, n8n's processed-data store, which every
 * n8n process on the database shares — in queue mode a redelivery can reach another webhook
 * processor and run on another worker while static data, saved whole by each execution, keeps
 * only the last writer's keys. Each kept item is paired with its input item.
 */
export async function recordStarted(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const seen = inProcess(ctx);
	const stored = storedKeys(ctx);
	const now = Date.now();
	const candidates: Array<{ index: number; item: INodeExecutionData; keys: string[] }> = [];
	const inThisExecution = new Set<string>();
	for (const [index, item] of items.entries()) {
		const fields = dedupFields(item.json);
		if (fields === null) {
			candidates.push({ index, item, keys: [] });
			continue;
		}
		const { current, previous } = storedDedupKeys(fields, now);
		if (stored.has(current) || (previous !== undefined && stored.has(previous))) continue;
		if (inThisExecution.has(current)) continue; // the first item with this event stays
		inThisExecution.add(current);
		// A dashboard sample's 10-minute slot may have turned since webhook() marked it.
		candidates.push({ index, item, keys: previous === undefined ? [current] : [current, previous] });
	}
	// A manual run is the editor's; a retry repeats an execution that already claimed its events.
	const mode = ctx.getMode();
	const claimed =
		mode === 'manual' || mode === 'retry'
			? new Set<string>()
			: ((await claimedElsewhere(
					ctx,
					candidates.flatMap(({ keys }) => keys.slice(0, 1)),
					EVENT_CLAIMS,
				)) ?? new Set<string>());
	const kept: INodeExecutionData[] = [];
	for (const { index, item, keys } of candidates) {
		const [current] = keys;
		if (current !== undefined) {
			stored.add(current);
			seen.saved.add(current);
			for (const key of keys) seen.pending.delete(key);
			if (claimed.has(current)) continue;
		}
		if (item.json[ANSWERED_KEY_MARK] === true) continue;
		kept.push({ ...item, pairedItem: { item: index } });
	}
	stored.save();
	return kept;
}
