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
}

function rewrite(value: JsonValue, options: FixtureRewrite, key?: string): JsonValue {
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
	return rewrite(payload, options);
}
