import { createHash } from 'crypto';

import type { InstagramEvent } from './types';

/**
 * Dedup keys: stable across Meta's redeliveries (retries, both API flavours connected), so they
 * never use `entry.time` (differs per delivery) or the position in the batch.
 *
 * - events with an id: `<eventType>:<mid or comment id>`
 * - `message_edit`: plus `num_edit`, so each edit of one message is its own event
 * - `reaction` / `unreaction`: plus emoji (or named reaction) and the event's own timestamp, so
 *   react → unreact → react again with the same emoji are three events, not one
 * - anything else: `<eventType>:h:<sha256 prefix>` over account, sender, recipient, the event's
 *   own timestamp, the type and a canonical (key-sorted) form of the event body.
 */

const MAX_CANONICAL_DEPTH = 32;
const MAX_CANONICAL_NODES = 20_000;

type CanonicalWalk = { nodes: number; ancestors: Set<object> };

function canonicalPart(value: unknown, depth: number, walk: CanonicalWalk): string {
	walk.nodes += 1;
	if (value === null || value === undefined) return 'null';
	if (typeof value === 'string') return JSON.stringify(value);
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (typeof value === 'bigint') return JSON.stringify(String(value));
	if (typeof value !== 'object') return 'null';
	if (depth > MAX_CANONICAL_DEPTH || walk.nodes > MAX_CANONICAL_NODES || walk.ancestors.has(value)) {
		return '"\u2026"';
	}
	walk.ancestors.add(value);
	let text: string;
	if (Array.isArray(value)) {
		text = `[${value.map((item: unknown) => canonicalPart(item, depth + 1, walk)).join(',')}]`;
	} else {
		const record = value as Record<string, unknown>;
		const parts = Object.keys(record)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonicalPart(record[key], depth + 1, walk)}`);
		text = `{${parts.join(',')}}`;
	}
	walk.ancestors.delete(value);
	return text;
}

/**
 * JSON-like text with sorted keys, so key order does not change a hash. Bounded: cycles, very deep
 * nesting and very large bodies are cut off with a marker instead of hanging.
 */
export function canonicalJson(value: unknown): string {
	return canonicalPart(value, 0, { nodes: 0, ancestors: new Set() });
}

export function shortHash(text: string): string {
	return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

function hashKey(event: InstagramEvent, ownTimestampMs: number | null, body: unknown): string {
	const identity = canonicalJson([
		event.accountId,
		event.senderId,
		event.recipientId,
		ownTimestampMs,
		event.eventType,
		body,
	]);
	return `${event.eventType}:h:${shortHash(identity)}`;
}

export function dedupKeyFor(event: InstagramEvent, ownTimestampMs: number | null, body: unknown): string {
	const { eventType, mid } = event;
	switch (eventType) {
		case 'reaction':
		case 'unreaction': {
			if (mid === null) break;
			const emoji = event.reaction?.emoji ?? event.reaction?.reaction ?? '';
			return `${eventType}:${mid}:${emoji}:${ownTimestampMs ?? ''}`;
		}
		case 'message_edit': {
			const numEdit = event.edit?.numEdit ?? null;
			if (mid === null || numEdit === null) break;
			return `${eventType}:${mid}:${numEdit}`;
		}
		case 'comment':
		case 'live_comment':
		case 'mention': {
			const comment = event.comment;
			if (comment === null) break;
			if (eventType === 'mention') {
				if (comment.id === null && comment.mediaId === null) break;
				return `${eventType}:${comment.mediaId ?? ''}:${comment.id ?? ''}`;
			}
			if (comment.id !== null) return `${eventType}:${comment.id}`;
			break;
		}
		default:
			if (mid !== null) return `${eventType}:${mid}`;
	}
	return hashKey(event, ownTimestampMs, body);
}

/** Meta's dashboard "Test" sample (instagram-api.md §2.4; ids seen in its sample payloads). */
export function isDashboardSample(event: Pick<InstagramEvent, 'accountId' | 'senderId' | 'mid'>): boolean {
	return event.mid === 'random_mid' || event.senderId === '12334' || event.accountId === '0';
}

/** Repeated dashboard samples pass again after this long (pressing Test again), not before. */
export const TEST_EVENT_WINDOW_MS = 10 * 60_000;

function digest(key: string): string {
	return createHash('sha256').update(key).digest('hex').slice(0, 20);
}

/**
 * The key kept in static data for an event: a fixed-size digest (20 hex digits; 10,000 keys stay
 * about 250 KB whatever the ids are). Dashboard samples (Meta's test ids) get a key per
 * 10-minute slot, and `previous` names the slot before: an event counts as seen when either is
 * stored, so a redelivery is dropped for 10 to 20 minutes and pressing Test again later passes.
 */
export function storedDedupKey(
	event: Pick<InstagramEvent, 'dedupKey' | 'isTest' | 'accountId' | 'senderId' | 'mid'>,
	nowMs: number,
): string {
	return storedDedupKeys(event, nowMs).current;
}

export function storedDedupKeys(
	event: Pick<InstagramEvent, 'dedupKey' | 'isTest' | 'accountId' | 'senderId' | 'mid'>,
	nowMs: number,
): { current: string; previous?: string } {
	if (!isDashboardSample(event)) return { current: digest(event.dedupKey) };
	const slot = Math.floor(nowMs / TEST_EVENT_WINDOW_MS);
	return {
		current: digest(`${event.dedupKey}|test|${slot}`),
		previous: digest(`${event.dedupKey}|test|${slot - 1}`),
	};
}
