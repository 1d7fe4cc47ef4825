import {
	EVENT_TYPE_VALUES,
	MESSAGE_KIND_VALUES,
	parseWebhookPayload,
	toItemJson,
} from '../../../nodes/InstagramMessaging/events';
import type { InstagramEvent } from '../../../nodes/InstagramMessaging/events';
import { NOW, fixtureNames, loadFixture } from './helpers';
import { prng } from '../../prng';

type Container = Record<string, unknown> | unknown[];

const HUGE_STRING = 'x'.repeat(50_000);

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
	for (let i = 0; i < depth; i += 1) result = asArray ? [result] : { value: result };
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
			return typeof value === 'string' ? Number(value) || Number('17841400000000001') : String(value);
		case 6:
			return [Number.NaN, Infinity, -1, 0, 1e21, 8.64e15, 2 ** 53 + 1][Math.floor(random() * 7)];
		case 7:
			return nested(value, 50 + Math.floor(random() * 500), random() < 0.5);
		case 8:
			return Array.from({ length: 1 + Math.floor(random() * 300) }, (_, index) => ({
				id: index,
				mid: `m${index}`,
				type: 'image',
			}));
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

const EVENT_TYPES = new Set<string>(EVENT_TYPE_VALUES);
const MESSAGE_KINDS = new Set<string>(MESSAGE_KIND_VALUES);

const isId = (id: unknown) => id === null || (typeof id === 'string' && id.length > 0);
const isObject = (value: unknown) => typeof value === 'object' && value !== null;

/** What is wrong with an event (empty when nothing): plain checks, so 10,000 cases stay fast. */
function violations(event: InstagramEvent): string[] {
	const problems: string[] = [];
	const check = (ok: boolean, what: string) => {
		if (!ok) problems.push(what);
	};
	check(EVENT_TYPES.has(event.eventType), `eventType ${event.eventType}`);
	check(
		event.messageKind === null || (event.eventType === 'message' && MESSAGE_KINDS.has(event.messageKind)),
		`messageKind ${event.messageKind}`,
	);
	for (const field of ['accountId', 'senderId', 'recipientId', 'customerId', 'mid'] as const) {
		check(isId(event[field]), `${field} ${String(event[field])}`);
	}
	check(Number.isFinite(event.timestampMs), 'timestampMs');
	check(event.timestamp === new Date(event.timestampMs).toISOString(), 'timestamp');
	for (const expiry of [event.windowExpiresAt, event.humanAgentWindowExpiresAt]) {
		check(expiry === null || ISO.test(expiry), `window ${expiry}`);
	}
	check(Array.isArray(event.attachments), 'attachments');
	for (const attachment of event.attachments) {
		check(typeof attachment.type === 'string', 'attachment.type');
		check(attachment.url === null || typeof attachment.url === 'string', 'attachment.url');
		check(isObject(attachment.payload), 'attachment.payload');
	}
	check(typeof event.text === 'string' || event.text === null, 'text');
	check(event.dedupKey.startsWith(`${event.eventType}:`), `dedupKey ${event.dedupKey}`);
	check(isObject(event.raw), 'raw');
	try {
		JSON.stringify(toItemJson(event, { includeRaw: true }));
	} catch (error) {
		problems.push(`item not serialisable: ${String(error)}`);
	}
	return problems;
}

describe('parseWebhookPayload fuzz', () => {
	const names = fixtureNames();
	const originals = names.map((name) => loadFixture(name));

	it('never throws and always returns a well-formed result for 10,000 mutated fixtures', () => {
		const random = prng(20251009);
		let events = 0;
		const problems: string[] = [];
		for (let caseNumber = 0; caseNumber < 10_000; caseNumber += 1) {
			const body = mutate(structuredClone(originals[caseNumber % originals.length]), random);
			let result: ReturnType<typeof parseWebhookPayload> | undefined;
			try {
				result = parseWebhookPayload(body, { now: NOW });
			} catch (error) {
				throw new Error(`case ${caseNumber} (${names[caseNumber % names.length]}) threw: ${String(error)}`);
			}
			const label = `case ${caseNumber} (${names[caseNumber % names.length]})`;
			if (!Array.isArray(result.events)) problems.push(`${label}: events is not an array`);
			if (!Number.isInteger(result.skipped) || result.skipped < 0) problems.push(`${label}: skipped`);
			if (result.object !== null && typeof result.object !== 'string') problems.push(`${label}: object`);
			for (const event of result.events) {
				for (const problem of violations(event)) problems.push(`${label}: ${problem}`);
			}
			events += result.events.length;
		}
		expect(problems.slice(0, 20)).toEqual([]);
		// Most mutations leave something parseable: the invariants above were really exercised.
		expect(events).toBeGreaterThan(4_000);
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
