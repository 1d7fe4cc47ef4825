import type { IDataObject } from 'n8n-workflow';

import { isRecord } from './read';

/**
 * A bounded, JSON-serialisable record of recently seen dedup keys, meant to live in n8n workflow
 * static data (saved as JSON). It is a ring buffer: `keys` holds at most `limit` unique keys and
 * `next` is the slot the next key overwrites once full (the oldest key), so adding is O(1) and the
 * most recent `limit` keys are kept (FIFO eviction). Membership is O(1) through a Set built lazily
 * from `keys` and cached per state object.
 *
 * Mutate the state only through this class; it repairs a corrupted or foreign state on load.
 */

export type RecentKeysState = { keys: string[]; next: number };

export const DEFAULT_RECENT_KEYS_LIMIT = 10_000;
export const DEFAULT_RECENT_KEYS_PROPERTY = 'recentEventKeys';

type CachedMembers = { keys: string[]; length: number; next: number; members: Set<string> };

const membershipCache = new WeakMap<RecentKeysState, CachedMembers>();

function positiveLimit(limit: number): number {
	return Number.isFinite(limit) && limit >= 1 ? Math.floor(limit) : DEFAULT_RECENT_KEYS_LIMIT;
}

/** Oldest → newest, unique strings only, at most `limit` (the newest ones). */
function orderedKeys(value: unknown, limit: number): string[] {
	const state = isRecord(value) ? value : { keys: value, next: 0 };
	const raw = Array.isArray(state.keys) ? state.keys : [];
	const next = typeof state.next === 'number' && state.next >= 0 ? Math.floor(state.next) : 0;
	const pivot = raw.length === 0 ? 0 : next % raw.length;
	const rotated = [...raw.slice(pivot), ...raw.slice(0, pivot)];
	const unique: string[] = [];
	const seen = new Set<string>();
	for (let index = rotated.length - 1; index >= 0 && unique.length < limit; index -= 1) {
		const key = rotated[index];
		if (typeof key === 'string' && !seen.has(key)) {
			seen.add(key);
			unique.push(key);
		}
	}
	return unique.reverse();
}

function cachedMembers(state: RecentKeysState): Set<string> | null {
	const cached = membershipCache.get(state);
	if (
		cached === undefined ||
		cached.keys !== state.keys ||
		cached.length !== state.keys.length ||
		cached.next !== state.next
	) {
		return null;
	}
	return cached.members;
}

function cacheMembers(state: RecentKeysState, members: Set<string>): void {
	membershipCache.set(state, {
		keys: state.keys,
		length: state.keys.length,
		next: state.next,
		members,
	});
}

/** A state this class can use as is: unique strings, within the limit, a valid cursor. */
function isSound(value: unknown, limit: number): value is RecentKeysState {
	if (!isRecord(value) || !Array.isArray(value.keys)) return false;
	const { keys, next } = value;
	if (typeof next !== 'number' || !Number.isInteger(next) || keys.length > limit) return false;
	if (keys.length < limit ? next !== 0 : next < 0 || next >= limit) return false;
	if (cachedMembers(value as RecentKeysState) !== null) return true;
	if (!keys.every((key) => typeof key === 'string')) return false;
	return new Set(keys).size === keys.length;
}

export class RecentKeys {
	readonly limit: number;

	private readonly state: RecentKeysState;

	private readonly members: Set<string>;

	/**
	 * The store kept at `holder[property]` (e.g. `this.getWorkflowStaticData('node')`), created when
	 * missing and repaired when malformed. Changes are written into that object in place.
	 */
	static in(holder: IDataObject, options: { property?: string; limit?: number } = {}): RecentKeys {
		const property = options.property ?? DEFAULT_RECENT_KEYS_PROPERTY;
		const limit = positiveLimit(options.limit ?? DEFAULT_RECENT_KEYS_LIMIT);
		if (!isRecord(holder[property])) {
			holder[property] = { keys: orderedKeys(holder[property], limit), next: 0 };
		}
		const stored = holder[property];
		return new RecentKeys(isRecord(stored) ? stored : { keys: [], next: 0 }, limit);
	}

	/** A store over `state`; a malformed state (or one over the limit) is repaired in place. */
	constructor(state: IDataObject = { keys: [], next: 0 }, limit = DEFAULT_RECENT_KEYS_LIMIT) {
		this.limit = positiveLimit(limit);
		this.state = RecentKeys.repaired(state, this.limit);
		this.members = cachedMembers(this.state) ?? new Set(this.state.keys);
		cacheMembers(this.state, this.members);
	}

	private static repaired(state: IDataObject, limit: number): RecentKeysState {
		if (!isSound(state, limit)) {
			state.keys = orderedKeys(state, limit);
			state.next = 0;
		}
		// Sound now, unless the object refuses writes; then keep keys in memory only.
		return isSound(state, limit) ? state : { keys: orderedKeys(state, limit), next: 0 };
	}

	get size(): number {
		return this.state.keys.length;
	}

	has(key: string): boolean {
		return this.members.has(key);
	}

	/** Records `key`; returns false when it was already known. Evicts the oldest key when full. */
	add(key: string): boolean {
		if (this.members.has(key)) return false;
		const { state } = this;
		if (state.keys.length < this.limit) {
			state.keys.push(key);
		} else {
			this.members.delete(state.keys[state.next]);
			state.keys[state.next] = key;
			state.next = (state.next + 1) % this.limit;
		}
		this.members.add(key);
		cacheMembers(state, this.members);
		return true;
	}

	/** Oldest → newest. */
	toArray(): string[] {
		const { keys, next } = this.state;
		return [...keys.slice(next), ...keys.slice(0, next)];
	}

	/**
	 * Keeps the events whose `dedupKey` was not seen before (also within this batch) and records
	 * them. Dashboard test events (`isTest`) always pass and are not recorded: Meta's test button
	 * sends the same sample every time.
	 */
	takeUnseen<T extends { dedupKey: string; isTest?: boolean }>(events: T[]): T[] {
		return events.filter((event) => event.isTest === true || this.add(event.dedupKey));
	}
}
