import { randomUUID } from 'crypto';
import { sleep, type IExecuteFunctions } from 'n8n-workflow';

import { perProcessMap } from '../processMemory';

/** Events remembered in n8n's processed-data store (two entries each: the key and its claim). */
export const SHARED_KEYS_LIMIT = 10_000;

/** Re-checks after the first write, for a claim whose write a concurrent writer may have overwritten. */
export const MAX_CHECKS = 3;

const MIN_PAUSE_MS = 20;
const MAX_PAUSE_MS = 1_000;
const WRITE_ATTEMPTS = 3;
/** Writes whose duration sets the pause: a concurrent writer is about as slow as the slowest. */
const TIMED_WRITES = 16;
/**
 * Values this process wrote lately, written again with each write: a concurrent writer's stale
 * write can remove them even after their claim was confirmed, and the next write puts them back.
 */
const REASSERT_MS = 5_000;
const REASSERT_MAX = 200;
/** A store that does not answer within this is skipped: the events are emitted. */
export const STORE_TIMEOUT_MS = 5_000;

type Recorder = Pick<IExecuteFunctions, 'helpers' | 'getWorkflow' | 'getNode' | 'logger' | 'getExecutionId'>;

interface WriteRequest {
	ctx: Recorder;
	values: string[];
	resolve: (seenBefore: boolean[]) => void;
	reject: (error: unknown) => void;
}

/** One writer per workflow and node in a process: its writes never overwrite each other. */
interface Writer {
	queue: WriteRequest[];
	busy: boolean;
	/** The durations of the last writes (ms). */
	writeMs: number[];
	/** Entries of claims this process decided lately (its own), oldest first. */
	recent: Array<{ value: string; at: number }>;
}

const writers = perProcessMap<string, Writer>('sharedKeyWriters', 1_000);

function writerFor(ctx: Recorder): Writer {
	const scope = `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}`;
	let writer = writers.get(scope);
	if (writer === undefined) {
		writer = { queue: [], busy: false, writeMs: [], recent: [] };
		writers.set(scope, writer);
	}
	return writer;
}

/**
 * n8n's answer per value, in order: true when it was stored before (or earlier in the same
 * write). n8n reports new and processed values, not positions; a value's first occurrence in a
 * write is new exactly when n8n lists it as new.
 */
function seenBeforeOf(values: string[], newValues: Set<unknown>): boolean[] {
	const met = new Set<string>();
	return values.map((value) => {
		const seen = met.has(value) || !newValues.has(value);
		met.add(value);
		return seen;
	});
}

async function drain(writer: Writer): Promise<void> {
	writer.busy = true;
	try {
		while (writer.queue.length > 0) {
			const batch = writer.queue.splice(0);
			const values = batch.flatMap((request) => request.values);
			const started = Date.now();
			writer.recent = writer.recent.filter(({ at }) => started - at < REASSERT_MS).slice(-REASSERT_MAX);
			try {
				// The first request's execution is alive: it awaits this write.
				const answer = await batch[0]!.ctx.helpers.checkProcessedAndRecord(
					[...values, ...writer.recent.map(({ value }) => value)],
					'node',
					{ mode: 'entries', maxEntries: 2 * SHARED_KEYS_LIMIT },
				);
				writer.writeMs = [...writer.writeMs.slice(1 - TIMED_WRITES), Date.now() - started];
				const seen = seenBeforeOf(values, new Set(answer.new));
				let offset = 0;
				for (const request of batch) {
					request.resolve(seen.slice(offset, offset + request.values.length));
					offset += request.values.length;
				}
			} catch (error) {
				for (const request of batch) request.reject(error);
			}
		}
	} finally {
		writer.busy = false;
	}
}

function write(ctx: Recorder, writer: Writer, values: string[]): Promise<boolean[]> {
	return new Promise((resolve, reject) => {
		writer.queue.push({ ctx, values, resolve, reject });
		if (!writer.busy) void drain(writer);
	});
}

/** n8n-core's deduplication service not initialised, or a workflow without an id (never saved). */
function storeUnavailable(error: unknown): boolean {
	return (error as { code?: unknown } | null | undefined)?.code === 'ERR_ASSERTION';
}

const TIMED_OUT: unique symbol = Symbol('timed out');

/** The write's answer, or TIMED_OUT once STORE_TIMEOUT_MS passed (the write goes on alone). */
async function withinTimeout<T>(work: Promise<T>): Promise<T | typeof TIMED_OUT> {
	const abort = new AbortController();
	const timer = sleep(STORE_TIMEOUT_MS, abort.signal).then(
		(): typeof TIMED_OUT => TIMED_OUT,
		(): typeof TIMED_OUT => TIMED_OUT,
	);
	try {
		return await Promise.race([work, timer]);
	} finally {
		abort.abort();
	}
}

function skipped(ctx: Recorder, why: string): null {
	ctx.logger.warn(
		`Instagram Messaging Trigger: n8n's deduplication store ${why}; events are emitted without the check across n8n processes`,
	);
	return null;
}

function pauseOf(writer: Writer): number {
	return Math.min(MAX_PAUSE_MS, Math.max(MIN_PAUSE_MS, 3 * Math.max(0, ...writer.writeMs)));
}

/** A write, retried: two processes creating the store's row at once make one of them fail. */
async function writeRetried(ctx: Recorder, writer: Writer, values: string[]): Promise<boolean[] | null> {
	for (let attempt = 1; ; attempt++) {
		try {
			const answer = await withinTimeout(write(ctx, writer, values));
			if (answer === TIMED_OUT) return skipped(ctx, `did not answer within ${STORE_TIMEOUT_MS} ms`);
			return answer;
		} catch (error) {
			if (storeUnavailable(error)) return null;
			if (attempt === WRITE_ATTEMPTS)
				return skipped(ctx, `failed (${(error as Error | undefined)?.message})`);
			await sleep(pauseOf(writer));
		}
	}
}

/** Re-asserted with this process's next writes for a while (see REASSERT_MS). */
function remember(writer: Writer, entries: string[]): void {
	const at = Date.now();
	for (const value of entries) writer.recent.push({ value, at });
}

/**
 * Claims the events' dedup keys in n8n's processed-data store, shared by every n8n process on the
 * database (queue mode: webhook processors and workers). Returns the keys another execution
 * claimed first — their events are not emitted again.
 *
 * n8n's store reads, adds and writes one row without a lock, so a write from another process at
 * the same moment can overwrite this one. Each key is therefore written with a claim of this
 * execution (`key#executionId`) and checked again after a pause longer than a write: the claim
 * still there → ours; the key there without our claim → another execution's; both gone →
 * overwritten, so written again and checked again. The claim is the execution's id, so the same
 * execution run again (a worker that died mid-run, its job picked up by another) finds its own
 * claim. A claim still undecided after MAX_CHECKS is emitted: a duplicate is recoverable, a lost
 * message is not. Only decided claims are re-asserted: re-asserting an open one would put it back
 * over the write of the execution that won it.
 */
export async function claimedElsewhere(ctx: Recorder, keys: string[]): Promise<Set<string>> {
	const elsewhere = new Set<string>();
	if (keys.length === 0) return elsewhere;
	if (typeof ctx.helpers.checkProcessedAndRecord !== 'function') return elsewhere;
	const writer = writerFor(ctx);
	const claim = ctx.getExecutionId() || randomUUID();
	const entries = (open: string[]) => open.flatMap((key) => [key, `${key}#${claim}`]);

	const first = await writeRetried(ctx, writer, entries(keys));
	if (first === null) return elsewhere;
	let open = keys.filter((key, i) => {
		const [keyThere, claimThere] = [first[2 * i] === true, first[2 * i + 1] === true];
		if (keyThere && !claimThere) elsewhere.add(key);
		return !keyThere;
	});
	for (let check = 0; check < MAX_CHECKS && open.length > 0; check++) {
		await sleep(pauseOf(writer));
		const seen = await writeRetried(ctx, writer, entries(open));
		if (seen === null) break;
		open = open.filter((key, i) => {
			const [keyThere, claimThere] = [seen[2 * i] === true, seen[2 * i + 1] === true];
			if (!claimThere && keyThere) elsewhere.add(key);
			return !claimThere && !keyThere;
		});
	}
	remember(writer, entries(keys.filter((key) => !elsewhere.has(key))));
	return elsewhere;
}
