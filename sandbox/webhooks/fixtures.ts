/**
 * Any envelope from `test/fixtures/events` as a sandbox account would receive it: the fixtures'
 * business account (`17841400000000001`) and customer (`1111111111111111`) are rewritten to the
 * given account and customer, everything else is kept byte for byte. Deliver the result with
 * `sandbox.deliver(payload)` (signed with the account's secret, to its subscribed callback).
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import type { JsonValue } from '../types';

export const FIXTURES_DIR = join(__dirname, '..', '..', 'test', 'fixtures', 'events');
export const FIXTURE_ACCOUNT_ID = '17841400000000001';
export const FIXTURE_CUSTOMER_ID = '1111111111111111';

export function fixtureNames(): string[] {
	return readdirSync(FIXTURES_DIR)
		.filter((file) => file.endsWith('.json'))
		.map((file) => file.replace(/\.json$/, ''))
		.sort();
}

export function loadFixturePayload(name: string): JsonValue {
	return JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.json`), 'utf8')) as JsonValue;
}

export interface FixtureRewrite {
	/** igUserId of the receiving sandbox account. */
	accountId: string;
	/** Customer IGSID; default unchanged. */
	customerId?: string;
	/** Appended to every `mid` (and comment `id`) so that the same fixture can be a new event. */
	idSuffix?: string;
	/**
	 * The moment the fixture's clock (FIXTURES_EPOCH_MS) moves to, as Meta stamps events when it
	 * sends them; default now. Events older than Meta's 36 h redelivery window are refused by the
	 * trigger, so fixtures are replayed as recent.
	 */
	at?: number;
}

/** The fixtures' own clock: their timestamps lie within a few minutes after this (October 2025). */
export const FIXTURES_EPOCH_MS = 1760000000000;

const TIME_KEYS = new Set(['timestamp', 'time', 'created_time']);

function shifted(value: number, deltaMs: number): number {
	// Seconds stay seconds (changes[] and dashboard samples use them), milliseconds stay milliseconds.
	return value < 1e12 ? value + Math.floor(deltaMs / 1000) : value + deltaMs;
}

function rewrite(value: JsonValue, options: FixtureRewrite & { deltaMs: number }, key?: string): JsonValue {
	if (typeof value === 'number' && key !== undefined && TIME_KEYS.has(key))
		return shifted(value, options.deltaMs);
	if (typeof value === 'string') {
		if (value === FIXTURE_ACCOUNT_ID) return options.accountId;
		if (value === FIXTURE_CUSTOMER_ID && options.customerId !== undefined) return options.customerId;
		if (options.idSuffix && (key === 'mid' || key === 'comment_id')) return value + options.idSuffix;
		return value;
	}
	if (Array.isArray(value)) return value.map((item) => rewrite(item, options));
	if (typeof value === 'object' && value !== null) {
		const out: Record<string, JsonValue> = {};
		for (const [k, v] of Object.entries(value)) out[k] = rewrite(v, options, k);
		return out;
	}
	return value;
}

/** A fixture envelope (by name or as an object) rewritten for a sandbox account. */
export function fixturePayload(fixture: string | JsonValue, options: FixtureRewrite): JsonValue {
	const payload = typeof fixture === 'string' ? loadFixturePayload(fixture) : fixture;
	return rewrite(payload, { ...options, deltaMs: (options.at ?? Date.now()) - FIXTURES_EPOCH_MS });
}
