import {
	EVENT_TYPE_VALUES,
	MESSAGE_KIND_VALUES,
	parseWebhookPayload,
	toItemJson,
} from '../../../nodes/InstagramMessaging/events';
import type { InstagramEvent } from '../../../nodes/InstagramMessaging/events';
import { NOW, fixtureNames, loadFixture } from './helpers';

/** Deterministic PRNG (mulberry32) so a failure can be replayed from its case number. */
function prng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

type Container = Record<string, unknown> | unknown[];

const HUGE_STRING = 'x'.repeat(200_000);

/** Every object/array inside a value, with the container itself. */
function containers(value: unknown, found: Container[] = []): Container[] {
	if (typeof value === 'object' && value !== null) {
		found.push(value as Container);
		for (const child of Object.values(value)) containers(child, found);
	}
	return found;
}

function nested(value: unknown, depth: number, asArray: boolean): unknown {
	let result = value;
	for (let i = 0; i < depth; i += 1) result = asArray ? [result] : { value: result, id: result };
	return result;
}

/** A replacement for a value: wrong type, null, huge, deep, hostile ids, arrays↔objects. */
function mutateValue(value: unknown, random: () => number): unknown {
	const pick = Math.floor(random() * 16);
	switch (pick) {
		case 0:
			return null;
		case 1:
			return undefined;
		case 2:
			return HUGE_STRING;
		case 3:
			return Array.isArray(value) ? Object.assign({}, value) : value;
		case 4:
			return typeof value === 'object' && value !== null ? Object.values(value) : [value];
		case 5:
			return typeof value === 'string' ? Number(value) || 17841400000000001 : String(value);
		case 6:
			return [Number.NaN, Infinity, -1, 0, 1e21, 8.64e15, 2 ** 53 + 1][Math.floor(random() * 7)];
		case 7:
			return nested(value, 50 + Math.floor(random() * 500), random() < 0.5);
		case 8:
			return Array.from({ length: 1 + Math.floor(random() * 300) }, () => value);
		case 9:
			return JSON.parse('{"__proto__": {"id": 1}, "constructor": "x", "mid": {}}') as unknown;
		case 10:
			return random() < 0.5 ? true : false;
		case 11:
			return '';
		case 12:
			return { id: random() < 0.5 ? 1111111111111111 : { id: 'nested' } };
		case 13:
			return ['1760000000', '2025-10-09T08:53:20+0000', 'not a date', '-5'][Math.floor(random() * 4)];
		case 14:
			return {};
		default:
			return typeof value === 'string' ? value.repeat(3) : 1760000000000;
	}
}

function mutate(body: unknown, random: () => number): unknown {
	if (random() < 0.02) return mutateValue(body, random);
	const all = containers(body);
	const times = 1 + Math.floor(random() * 4);
	for (let i = 0; i < times && all.length > 0; i += 1) {
		const target = all[Math.floor(random() * all.length)];
		const keys = Object.keys(target);
		if (keys.length === 0) continue;
		const key = keys[Math.floor(random() * keys.length)];
		const record = target as Record<string, unknown>;
		if (random() < 0.25) delete record[key];
		else record[key] = mutateValue(record[key], random);
	}
	return body;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function checkInvariants(event: InstagramEvent): void {
	expect(EVENT_TYPE_VALUES).toContain(event.eventType);
	if (event.messageKind !== null) {
		expect(event.eventType).toBe('message');
		expect(MESSAGE_KIND_VALUES).toContain(event.messageKind);
	}
	for (const id of [event.accountId, event.senderId, event.recipientId, event.customerId, event.mid]) {
		if (id !== null) expect(typeof id === 'string' && id.length > 0).toBe(true);
	}
	expect(Number.isFinite(event.timestampMs)).toBe(true);
	expect(event.timestamp).toBe(new Date(event.timestampMs).toISOString());
	for (const expiry of [event.windowExpiresAt, event.humanAgentWindowExpiresAt]) {
		if (expiry !== null) expect(expiry).toMatch(ISO);
	}
	expect(Array.isArray(event.attachments)).toBe(true);
	for (const attachment of event.attachments) {
		expect(typeof attachment.type).toBe('string');
		expect(attachment.url === null || typeof attachment.url === 'string').toBe(true);
		expect(typeof attachment.payload === 'object' && attachment.payload !== null).toBe(true);
	}
	expect(event.dedupKey.startsWith(`${event.eventType}:`)).toBe(true);
	expect(typeof event.raw === 'object' && event.raw !== null).toBe(true);
	expect(() => JSON.stringify(toItemJson(event, { includeRaw: true }))).not.toThrow();
}

describe('parseWebhookPayload fuzz', () => {
	const names = fixtureNames();
	const originals = names.map((name) => loadFixture(name));

	it('never throws and always returns a well-formed result for 10,000 mutated fixtures', () => {
		const random = prng(20251009);
		let events = 0;
		for (let caseNumber = 0; caseNumber < 10_000; caseNumber += 1) {
			const body = mutate(structuredClone(originals[caseNumber % originals.length]), random);
			let result: ReturnType<typeof parseWebhookPayload> | undefined;
			try {
				result = parseWebhookPayload(body, { now: NOW });
			} catch (error) {
				throw new Error(`case ${caseNumber} (${names[caseNumber % names.length]}) threw: ${String(error)}`);
			}
			expect(Array.isArray(result.events)).toBe(true);
			expect(Number.isInteger(result.skipped) && result.skipped >= 0).toBe(true);
			expect(result.object === null || typeof result.object === 'string').toBe(true);
			for (const event of result.events) checkInvariants(event);
			events += result.events.length;
		}
		// Most mutations leave something parseable: the invariants above were really exercised.
		expect(events).toBeGreaterThan(5_000);
	});

	it('survives a huge batch and a huge body', () => {
		const item = (loadFixture('message-text').entry as Array<{ messaging: unknown[] }>)[0].messaging[0];
		const body = {
			object: 'instagram',
			entry: [{ id: '1', messaging: Array.from({ length: 100_000 }, () => item) }],
		};
		const result = parseWebhookPayload(body);
		expect(result.events).toHaveLength(100_000);
		expect(parseWebhookPayload(HUGE_STRING.repeat(20)).events).toEqual([]);
	});
});
