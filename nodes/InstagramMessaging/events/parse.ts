import type { IDataObject } from 'n8n-workflow';

import { classifyChange } from './changes';
import { isDashboardSample } from './dedup';
import { classifyMessagingItem } from './classify';
import type { EventContext } from './event';
import { idAt, isRecord, textAt } from './read';
import { toTimestampMs } from './time';
import type { EventSource, InstagramEvent, ParseOptions, ParseResult } from './types';

/**
 * The one parser: Meta's webhook envelope → events (instagram-api.md §2.9). It never throws;
 * malformed envelopes, entries, items and changes are skipped and counted in `skipped`.
 *
 * Per entry, events come out in this order: `messaging[]`, `standby[]`, `changes[]`, then a
 * top-level `field`/`value` pair; within a container in payload order. Meta does not guarantee
 * delivery order, so consumers that care should sort by `timestampMs`.
 */

export const DEFAULT_ACCEPTED_OBJECTS: readonly string[] = ['instagram'];

type Walk = {
	result: ParseResult;
	accepted: readonly string[];
	nowMs: number;
};

function validNowMs(now: unknown): number {
	const fromOption = toTimestampMs(now);
	return fromOption ?? Date.now();
}

function countSkipped(walk: Walk): void {
	walk.result.skipped += 1;
}

/** Runs one classification; a malformed item (null) or one that throws is counted, never fatal. */
function emit(walk: Walk, classify: () => InstagramEvent | null): void {
	let event: InstagramEvent | null;
	try {
		event = classify();
	} catch {
		// Only exotic inputs get here (throwing getters, proxies): JSON bodies never do.
		event = null;
	}
	if (event === null) countSkipped(walk);
	else {
		// The dashboard's sample ids mark a test in any layout (the Page setup sends it in messaging[]).
		if (isDashboardSample(event)) event.isTest = true;
		walk.result.events.push(event);
	}
}

function parseJsonText(text: string): unknown {
	const trimmed = text.trim();
	if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
	try {
		return JSON.parse(trimmed) as unknown;
	} catch {
		return undefined;
	}
}

/**
 * Envelopes in a body. Accepts the envelope itself, an array of envelopes (some tools wrap), a JSON
 * string of either, and a request-shaped wrapper `{ body: <envelope> }` (an n8n Webhook node's
 * output pasted as input).
 */
function envelopesOf(body: unknown): unknown[] {
	const value = typeof body === 'string' ? parseJsonText(body) : body;
	const list = Array.isArray(value) ? value : [value];
	return list.map((item) =>
		isRecord(item) && item.entry === undefined && isRecord(item.body) ? item.body : item,
	);
}

function contextFor(walk: Walk, entry: IDataObject, source: EventSource, isStandby: boolean): EventContext {
	return {
		accountId: idAt(entry, 'id'),
		source,
		isStandby,
		isTest: false,
		entryTimeMs: toTimestampMs(entry.time),
		nowMs: walk.nowMs,
	};
}

function parseMessagingArray(walk: Walk, entry: IDataObject, key: 'messaging' | 'standby'): void {
	const items = entry[key];
	if (!Array.isArray(items)) {
		countSkipped(walk);
		return;
	}
	const context = contextFor(walk, entry, key, key === 'standby');
	for (const item of items) emit(walk, () => classifyMessagingItem(item, context));
}

function parseEntry(walk: Walk, entry: unknown): void {
	if (!isRecord(entry)) {
		countSkipped(walk);
		return;
	}
	let containers = 0;
	if (entry.messaging !== undefined) {
		containers += 1;
		parseMessagingArray(walk, entry, 'messaging');
	}
	if (entry.standby !== undefined) {
		containers += 1;
		parseMessagingArray(walk, entry, 'standby');
	}
	if (entry.changes !== undefined) {
		containers += 1;
		const changes = entry.changes;
		const context = contextFor(walk, entry, 'changes', false);
		if (Array.isArray(changes)) {
			for (const change of changes) emit(walk, () => classifyChange(change, context));
		} else countSkipped(walk);
	}
	if (entry.field !== undefined || entry.value !== undefined) {
		containers += 1;
		const context = contextFor(walk, entry, 'field', false);
		const change: IDataObject = { field: entry.field, value: entry.value };
		emit(walk, () => classifyChange(change, context));
	}
	if (containers === 0) countSkipped(walk);
}

function parseEnvelope(walk: Walk, envelope: unknown): void {
	if (!isRecord(envelope)) {
		countSkipped(walk);
		return;
	}
	const object = textAt(envelope, 'object');
	if (walk.result.object === null) walk.result.object = object;
	const entries = envelope.entry;
	if (object === null || !walk.accepted.includes(object) || !Array.isArray(entries)) {
		countSkipped(walk);
		return;
	}
	for (const entry of entries) parseEntry(walk, entry);
}

export function parseWebhookPayload(body: unknown, options: ParseOptions = {}): ParseResult {
	const result: ParseResult = { object: null, events: [], skipped: 0 };
	const walk: Walk = {
		result,
		accepted: Array.isArray(options?.acceptObjects) ? options.acceptObjects : DEFAULT_ACCEPTED_OBJECTS,
		nowMs: validNowMs(options?.now),
	};
	for (const envelope of envelopesOf(body)) {
		try {
			parseEnvelope(walk, envelope);
		} catch {
			// Defensive, as in emit(): a throwing getter must not take the whole delivery down.
			countSkipped(walk);
		}
	}
	return result;
}
