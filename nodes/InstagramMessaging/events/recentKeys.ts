import type { IDataObject } from 'n8n-workflow';

import { isRecord } from './read';

/**
 * A bounded record of recently seen dedup keys, meant to live in n8n workflow static data (saved
 * as JSON). It is a ring buffer: at most `limit` unique keys, `next` is the slot the next key
 * overwrites once full (the oldest key), so adding is O(1) and the most recent `limit` keys are
 * kept (FIFO eviction); membership is O(1) through a Set.
 *
 * Stored packed, as one string (`{ packed: "k1\nk2…", next }`): n8n hands static data to a node
 * behind a proxy that traps every property read, so reading 10,000 array elements cost about
 * 20 ms per execution, one string costs one read (`npm run bench`, P2). The earlier array form
 * (`{ keys: [...], next }`) is read and rewritten packed. Changes are kept in memory until
 * `save()` writes them back.
 */

export type RecentKeysState = { packed: string; next: number };

export const DEFAULT_RECENT_KEYS_LIMIT = 10_000;
export const DEFAULT_RECENT_KEYS_PROPERTY = 'recentEventKeys';

const SEPARATOR = '\n';

/** Keys are stored one per line: an empty key or a line break inside one is replaced by a space. */
function normalized(key: string): string {
	if (key === '') return ' ';
	return key.includes(SEPARATOR) ? key.split(SEPARATOR).join(' ') : key;
}

function positiveLimit(limit: number): number {
	return Number.isFinite(limit) && limit >= 1 ? Math.floor(limit) : DEFAULT_RECENT_KEYS_LIMIT;
}

/** The stored keys oldest → newest, plus the cursor; anything malformed reads as fewer keys. */
function storedKeys(value: unknown): { keys: unknown[]; next: number } {
	if (!isRecord(value)) return { keys: Array.isArray(value) ? value : [], next: 0 };
	const raw =
		typeof value.packed === 'string'
			? value.packed === ''
				? []
				: value.packed.split(SEPARATOR)
			: Array.isArray(value.keys)
				? value.keys
				: [];
	const next = typeof value.next === 'number' && value.next >= 0 ? Math.floor(value.next) : 0;
	const pivot = raw.length === 0 ? 0 : next % raw.length;
	return { keys: [...raw.slice(pivot), ...raw.slice(0, pivot)], next };
}

/** Oldest → newest, unique strings only, at most `limit` (the newest ones). */
function orderedKeys(value: unknown, limit: number): string[] {
	const { keys } = storedKeys(value);
	const unique: string[] = [];
	const seen = new Set<string>();
	for (let index = keys.length - 1; index >= 0 && unique.length < limit; index -= 1) {
		const key = typeof keys[index] === 'string' ? normalized(keys[index] as string) : undefined;
		if (key !== undefined && !seen.has(key)) {
			seen.add(key);
			unique.push(key);
		}
	}
	return unique.reverse();
}

/** Whether `value` is the packed form with unique keys, within the limit and a valid cursor. */
function isSoundPacked(value: unknown, limit: number, keys: string[]): boolean {
	if (!isRecord(value) || typeof value.packed !== 'string') return false;
	const { next } = value;
	if (typeof next !== 'number' || !Number.isInteger(next) || keys.length > limit) return false;
	return keys.length < limit ? next === 0 : next >= 0 && next < limit;
}

export class RecentKeys {
	readonly limit: number;

	/** Ring slots in storage order (not oldest first once full). */
	private readonly keys: string[];

	private next: number;

	private readonly members: Set<string>;

	/** Whether memory differs from what is stored at `holder[property]`. */
	private dirty = false;

	/**
	 * The store kept at `holder[property]` (e.g. `this.getWorkflowStaticData('node')`), created when
	 * missing and repaired when malformed; `save()` writes changes back there.
	 */
	static in(holder: IDataObject, options: { property?: string; limit?: number } = {}): RecentKeys {
		const property = options.property ?? DEFAULT_RECENT_KEYS_PROPERTY;
		return new RecentKeys(holder[property], options.limit, { holder, property });
	}

	/** A store over a stored state (packed or the earlier array form); in memory unless `target` is given. */
	constructor(
		state: unknown = { packed: '', next: 0 },
		limit = DEFAULT_RECENT_KEYS_LIMIT,
		private readonly target?: { holder: IDataObject; property: string },
	) {
		this.limit = positiveLimit(limit);
		const packed = isRecord(state) && typeof state.packed === 'string' ? state.packed : undefined;
		const slots = packed === undefined || packed === '' ? [] : packed.split(SEPARATOR);
		const slotSet = new Set(slots);
		const sound =
			packed !== undefined && slotSet.size === slots.length && isSoundPacked(state, this.limit, slots);
		this.keys = sound ? slots : orderedKeys(state, this.limit);
		this.next = sound ? (state as RecentKeysState).next : 0;
		this.members = sound ? slotSet : new Set(this.keys);
		// A repaired or earlier-form state is written back packed on the next save.
		this.dirty = !sound && target !== undefined && state !== undefined;
	}

	get size(): number {
		return this.keys.length;
	}

	has(key: string): boolean {
		return this.members.has(normalized(key));
	}

	/** Records `key`; returns false when it was already known. Evicts the oldest key when full. */
	add(raw: string): boolean {
		const key = normalized(raw);
		if (this.members.has(key)) return false;
		if (this.keys.length < this.limit) {
			this.keys.push(key);
		} else {
			this.members.delete(this.keys[this.next]);
			this.keys[this.next] = key;
			this.next = (this.next + 1) % this.limit;
		}
		this.members.add(key);
		this.dirty = true;
		return true;
	}

	/** Writes the keys back to where they were read from (one string), when they changed. */
	save(): void {
		if (!this.dirty || this.target === undefined) return;
		const state: RecentKeysState = { packed: this.keys.join(SEPARATOR), next: this.next };
		this.target.holder[this.target.property] = state;
		this.dirty = false;
	}

	/** Oldest → newest. */
	toArray(): string[] {
		return [...this.keys.slice(this.next), ...this.keys.slice(0, this.next)];
	}

	/**
	 * Keeps the events whose `dedupKey` was not seen before (also within this batch) and records
	 * them (in memory: call `save()` to write them back). Dashboard test events (`isTest`) always
	 * pass and are not recorded: Meta's test button sends the same sample every time.
	 */
	takeUnseen<T extends { dedupKey: string; isTest?: boolean }>(events: T[]): T[] {
		return events.filter((event) => event.isTest === true || this.add(event.dedupKey));
	}
}
