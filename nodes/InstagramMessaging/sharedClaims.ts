import { randomUUID } from 'crypto';
import { sleep, type IExecuteFunctions } from 'n8n-workflow';

import { perProcessMap } from './processMemory';

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

/** Which row of the store, how big it may grow, and what the log says when it is skipped. */
export interface ClaimRow {
	/** `node`: the node's own row; `workflow`: one row for every node of the workflow. */
	scope: 'node' | 'workflow';
	/** Entries kept in the row (two per claim: the key and its claimant); the oldest go first. */
	maxEntries: number;
	/** Re-assert decided claims with this process's next writes (see REASSERT_MS). */
	reassert: boolean;
	/** Who claims, and what happens without the store, for the warning in n8n's log. */
	skippedNotice: string;
}

interface WriteRequest {
	ctx: Recorder;
	op: 'record' | 'remove';
	values: string[];
	resolve: (seenBefore: boolean[]) => void;
	reject: (error: unknown) => void;
}

/** One writer per row in a process: its writes never overwrite each other. */
interface Writer {
	queue: WriteRequest[];
	busy: boolean;
	/** The durations of the last writes (ms). */
	writeMs: number[];
	/** Entries of claims this process decided lately (its own), oldest first. */
	recent: Array<{ value: string; at: number }>;
}

const writers = perProcessMap<string, Writer>('sharedKeyWriters', 1_000);

function writerFor(ctx: Recorder, row: ClaimRow): Writer {
	const scope = `${ctx.getWorkflow().id ?? ''}:${row.scope === 'node' ? ctx.getNode().id : '*'}`;
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

/** The requests at the head of the queue that go in one write: same operation. */
function nextBatch(writer: Writer): WriteRequest[] {
	const op = writer.queue[0]!.op;
	const length = writer.queue.findIndex((request) => request.op !== op);
	return writer.queue.splice(0, length === -1 ? writer.queue.length : length);
}

/** One write of a batch: each request's answer, in order (a removal answers nothing). */
async function writeBatch(writer: Writer, row: ClaimRow, batch: WriteRequest[]): Promise<boolean[][]> {
	const values = batch.flatMap((request) => request.values);
	// The first request's execution is alive: it awaits this write.
	const { helpers } = batch[0]!.ctx;
	const options = { mode: 'entries' as const, maxEntries: row.maxEntries };
	if (batch[0]!.op === 'remove') {
		const removed = new Set(values);
		writer.recent = writer.recent.filter(({ value }) => !removed.has(value));
		await helpers.removeProcessed(values, row.scope, options);
		return batch.map(() => []);
	}
	const answer = await helpers.checkProcessedAndRecord(
		[...values, ...writer.recent.map(({ value }) => value)],
		row.scope,
		options,
	);
	const seen = seenBeforeOf(values, new Set(answer.new));
	let offset = 0;
	return batch.map((request) => {
		offset += request.values.length;
		return seen.slice(offset - request.values.length, offset);
	});
}

async function drain(writer: Writer, row: ClaimRow): Promise<void> {
	writer.busy = true;
	try {
		while (writer.queue.length > 0) {
			const batch = nextBatch(writer);
			const started = Date.now();
			writer.recent = writer.recent.filter(({ at }) => started - at < REASSERT_MS).slice(-REASSERT_MAX);
			try {
				const answers = await writeBatch(writer, row, batch);
				// Claims and removals both read and write the row: each times the pause.
				writer.writeMs = [...writer.writeMs.slice(1 - TIMED_WRITES), Date.now() - started];
				batch.forEach((request, i) => request.resolve(answers[i]!));
			} catch (error) {
				for (const request of batch) request.reject(error);
			}
		}
	} finally {
		writer.busy = false;
	}
}

interface Target {
	ctx: Recorder;
	writer: Writer;
	row: ClaimRow;
}

function write(target: Target, op: WriteRequest['op'], values: string[]): Promise<boolean[]> {
	const { ctx, writer, row } = target;
	return new Promise((resolve, reject) => {
		writer.queue.push({ ctx, op, values, resolve, reject });
		if (!writer.busy) void drain(writer, row);
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

/** Why a write has no answer: the store is not there, or it failed or did not answer in time. */
type Unanswered = 'unavailable' | 'failed';

function skipped(target: Target, why: string): 'failed' {
	target.ctx.logger.warn(`n8n's deduplication store ${why}: ${target.row.skippedNotice}`);
	return 'failed';
}

function pauseOf(writer: Writer): number {
	return Math.min(MAX_PAUSE_MS, Math.max(MIN_PAUSE_MS, 3 * Math.max(0, ...writer.writeMs)));
}

/** A write, retried: two processes creating the store's row at once make one of them fail. */
async function writeRetried(
	target: Target,
	values: string[],
	op: WriteRequest['op'] = 'record',
): Promise<boolean[] | Unanswered> {
	for (let attempt = 1; ; attempt++) {
		try {
			const answer = await withinTimeout(write(target, op, values));
			if (answer === TIMED_OUT) return skipped(target, `did not answer within ${STORE_TIMEOUT_MS} ms`);
			return answer;
		} catch (error) {
			if (storeUnavailable(error)) return 'unavailable';
			if (attempt === WRITE_ATTEMPTS)
				return skipped(target, `failed (${(error as Error | undefined)?.message})`);
			await sleep(pauseOf(target.writer));
		}
	}
}

function targetOf(ctx: Recorder, row: ClaimRow): Target | null {
	const available =
		typeof ctx.helpers.checkProcessedAndRecord === 'function' &&
		typeof ctx.helpers.removeProcessed === 'function';
	return available ? { ctx, row, writer: writerFor(ctx, row) } : null;
}

/** Re-asserted with this process's next writes for a while (see REASSERT_MS). */
function remember(writer: Writer, entries: string[]): void {
	const at = Date.now();
	for (const value of entries) writer.recent.push({ value, at });
}

/**
 * Claims keys in n8n's processed-data store, shared by every n8n process on the database (queue
 * mode: webhook processors and workers). Returns the keys another claimant claimed first, or null
 * when the store is not there (a workflow never saved, or n8n without its deduplication service).
 *
 * n8n's store reads, adds and writes one row without a lock, so a write from another process at
 * the same moment can overwrite this one. Each key is therefore written with a claim of this
 * claimant (`key#claimant`, by default the execution's id) and checked again after a pause longer
 * than a write: the claim still there → ours; the key there without our claim → another
 * claimant's; both gone → overwritten, so written again and checked again. With the execution's
 * id, the same execution run again (a worker that died mid-run, its job picked up by another)
 * finds its own claim. A claim still undecided after MAX_CHECKS counts as ours. Only decided
 * claims are re-asserted: re-asserting an open one would put it back over the winner's write.
 */
export async function claimedElsewhere(
	ctx: Recorder,
	keys: string[],
	row: ClaimRow,
	claimant = ctx.getExecutionId() || randomUUID(),
): Promise<Set<string> | null> {
	const elsewhere = new Set<string>();
	const target = targetOf(ctx, row);
	if (target === null) return null;
	if (keys.length === 0) return elsewhere;
	const entries = (open: string[]) => open.flatMap((key) => [key, `${key}#${claimant}`]);

	const first = await writeRetried(target, entries(keys));
	if (typeof first === 'string') return null;
	let open = keys.filter((key, i) => {
		const [keyThere, claimThere] = [first[2 * i] === true, first[2 * i + 1] === true];
		if (keyThere && !claimThere) elsewhere.add(key);
		return !keyThere;
	});
	for (let check = 0; check < MAX_CHECKS && open.length > 0; check++) {
		await sleep(pauseOf(target.writer));
		const seen = await writeRetried(target, entries(open));
		if (typeof seen === 'string') break;
		open = open.filter((key, i) => {
			const [keyThere, claimThere] = [seen[2 * i] === true, seen[2 * i + 1] === true];
			if (!claimThere && keyThere) elsewhere.add(key);
			return !claimThere && !keyThere;
		});
	}
	if (row.reassert) remember(target.writer, entries(keys.filter((key) => !elsewhere.has(key))));
	return elsewhere;
}

/**
 * Takes keys out of the store, so that the next claim of each is new again; removed again after
 * each of MAX_CHECKS pauses, for a concurrent writer's write that read the row before the removal
 * and put the keys back. `failed`: the store failed or did not answer (the keys may still be there).
 */
export async function releaseClaims(
	ctx: Recorder,
	keys: string[],
	row: ClaimRow,
): Promise<'released' | Unanswered> {
	const target = targetOf(ctx, row);
	if (target === null) return 'unavailable';
	// A released claim is no longer this process's to re-assert.
	const released = new Set(keys);
	target.writer.recent = target.writer.recent.filter((entry) => !released.has(entry.value));
	for (let pass = 0; pass <= MAX_CHECKS; pass++) {
		if (pass > 0) await sleep(pauseOf(target.writer));
		const answer = await writeRetried(target, keys, 'remove');
		if (typeof answer === 'string') return answer;
	}
	return 'released';
}
