import { ObservableObject } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { canonicalJson, parseWebhookPayload, RecentKeys } from '../../../nodes/InstagramMessaging/events';
import { ACCOUNT_ID, CUSTOMER_ID, envelope, fixtureNames, loadFixture, mid } from './helpers';

type Entry = Record<string, unknown>;

const keysOf = (body: unknown) => parseWebhookPayload(body).events.map((event) => event.dedupKey);

/** The same delivery as Meta would retry it: other entry.time, the events at other batch positions. */
function redeliver(body: Record<string, unknown>): Record<string, unknown> {
	const copy = structuredClone(body);
	const entries = copy.entry as Entry[];
	for (const entry of entries) {
		entry.time = 1769999999999;
		for (const container of ['messaging', 'standby', 'changes']) {
			const list = entry[container];
			if (Array.isArray(list)) {
				list.reverse();
				list.unshift(
					...(container === 'changes' ? changeItems('live-comment') : messagingItems('message-text')),
				);
			}
		}
	}
	entries.reverse();
	return copy;
}

function messagingItems(name: string): unknown[] {
	return (loadFixture(name).entry as Entry[])[0].messaging as unknown[];
}

function changeItems(name: string): unknown[] {
	return (loadFixture(name).entry as Entry[])[0].changes as unknown[];
}

const reaction = (action: string, timestamp: number, emoji?: string) => ({
	sender: { id: CUSTOMER_ID },
	recipient: { id: ACCOUNT_ID },
	timestamp,
	reaction: { mid: mid(10), action, ...(emoji === undefined ? {} : { reaction: 'other', emoji }) },
});

describe('dedup keys', () => {
	it.each(fixtureNames())('%s: equal across redeliveries (entry.time, batch position)', (name) => {
		const body = loadFixture(name);
		const first = keysOf(body);
		const again = keysOf(redeliver(body));
		expect(first.length).toBeGreaterThan(0);
		for (const key of first) expect(again).toContain(key);
	});

	it('is the same for a message seen in messaging[] and in standby[]', () => {
		const [messaging] = keysOf(loadFixture('message-text'));
		const standby = keysOf(envelope(messagingItems('message-text'), { key: 'standby' }));
		expect(standby).toEqual([messaging]);
	});

	it('tells react, unreact, another emoji and a later react apart, and keeps a redelivered react equal', () => {
		const keys = keysOf(
			envelope([
				reaction('react', 1760000001000, '\u2764\ufe0f'),
				reaction('unreact', 1760000002000),
				reaction('react', 1760000003000, '\u{1f602}'),
				reaction('react', 1760000004000, '\u2764\ufe0f'),
			]),
		);
		expect(new Set(keys).size).toBe(4);
		expect(keys[1].startsWith('unreaction:')).toBe(true);
		expect(keysOf(envelope([reaction('react', 1760000001000, '\u2764\ufe0f')], { time: 1 }))).toEqual([
			keys[0],
		]);
	});

	it('tells edits of one message apart by num_edit', () => {
		const edit = (numEdit: number) => ({
			sender: { id: CUSTOMER_ID },
			recipient: { id: ACCOUNT_ID },
			timestamp: 1760000005000 + numEdit,
			message_edit: { mid: mid(1), text: `v${numEdit}`, num_edit: numEdit },
		});
		expect(keysOf(envelope([edit(1), edit(2)]))).toEqual([
			`message_edit:${mid(1)}:1`,
			`message_edit:${mid(1)}:2`,
		]);
	});

	it('tells a message, its deletion and its echo apart', () => {
		const [message] = keysOf(loadFixture('message-reply-to'));
		const [deleted] = keysOf(loadFixture('message-deleted'));
		expect(message).toBe(`message:${mid(5)}`);
		expect(deleted).toBe(`message_deleted:${mid(5)}`);
	});

	describe('events without an id (hashed)', () => {
		const referral = (ref: string, overrides: Entry = {}) => ({
			sender: { id: CUSTOMER_ID },
			recipient: { id: ACCOUNT_ID },
			timestamp: 1760000004000,
			referral: { ref, source: 'SHORTLINKS', type: 'OPEN_THREAD' },
			...overrides,
		});

		it('hashes to a short, type-prefixed key', () => {
			expect(keysOf(envelope([referral('a')]))[0]).toMatch(/^referral:h:[0-9a-f]{24}$/);
		});

		it('does not depend on entry.time or on key order', () => {
			const reordered = {
				referral: { type: 'OPEN_THREAD', source: 'SHORTLINKS', ref: 'a' },
				timestamp: 1760000004000,
				recipient: { id: ACCOUNT_ID },
				sender: { id: CUSTOMER_ID },
			};
			expect(keysOf(envelope([reordered], { time: 5 }))).toEqual(keysOf(envelope([referral('a')])));
		});

		it('changes with the body, the sender, the event time and the account', () => {
			const base = keysOf(envelope([referral('a')]))[0];
			const variants = [
				keysOf(envelope([referral('b')]))[0],
				keysOf(envelope([referral('a', { sender: { id: '2222222222222222' } })]))[0],
				keysOf(envelope([referral('a', { timestamp: 1760000004001 })]))[0],
				keysOf(envelope([referral('a')], { accountId: '17841400000000002' }))[0],
			];
			expect(new Set([base, ...variants]).size).toBe(5);
		});
	});

	it('canonical JSON sorts keys and survives cycles', () => {
		expect(canonicalJson({ b: 1, a: [true, null, 'x'] })).toBe('{"a":[true,null,"x"],"b":1}');
		const cyclic: Entry = { a: 1 };
		cyclic.self = cyclic;
		expect(canonicalJson(cyclic)).toBe('{"a":1,"self":"\u2026"}');
	});
});

describe('RecentKeys', () => {
	const stored = (holder: IDataObject) => holder.recentEventKeys as { packed: string; next: number };

	it('remembers keys and reports whether a key was new', () => {
		const store = new RecentKeys();
		expect(store.has('a')).toBe(false);
		expect(store.add('a')).toBe(true);
		expect(store.add('a')).toBe(false);
		expect(store.has('a')).toBe(true);
		expect(store.size).toBe(1);
	});

	it('never exceeds its limit and keeps the most recent keys', () => {
		const holder: IDataObject = {};
		const store = RecentKeys.in(holder, { limit: 10 });
		for (let i = 1; i <= 25; i += 1) {
			store.add(`k${i}`);
			store.save();
			expect(store.size).toBeLessThanOrEqual(10);
			expect(stored(holder).packed.split('\n').length).toBeLessThanOrEqual(10);
		}
		const expected = Array.from({ length: 10 }, (_, i) => `k${i + 16}`);
		expect(store.toArray()).toEqual(expected);
		expect(store.has('k15')).toBe(false);
		expect(store.has('k16')).toBe(true);
		expect(store.has('k25')).toBe(true);
	});

	it('survives a JSON round trip (static data is saved as JSON) and keeps FIFO order', () => {
		const holder: IDataObject = {};
		const store = RecentKeys.in(holder, { limit: 5 });
		for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) store.add(key);
		store.save();
		const reloaded: IDataObject = JSON.parse(JSON.stringify(holder)) as IDataObject;
		const again = RecentKeys.in(reloaded, { limit: 5 });
		expect(again.toArray()).toEqual(['c', 'd', 'e', 'f', 'g']);
		expect(again.add('e')).toBe(false);
		expect(again.add('h')).toBe(true);
		expect(again.toArray()).toEqual(['d', 'e', 'f', 'g', 'h']);
		expect(again.has('c')).toBe(false);
	});

	it('keeps the newest keys when reopened with a smaller limit', () => {
		const holder: IDataObject = {};
		const store = RecentKeys.in(holder, { limit: 10 });
		for (let i = 1; i <= 13; i += 1) store.add(`k${i}`);
		store.save();
		const smaller = RecentKeys.in(holder, { limit: 4 });
		expect(smaller.toArray()).toEqual(['k10', 'k11', 'k12', 'k13']);
		smaller.save();
		expect(stored(holder)).toEqual({ packed: 'k10\nk11\nk12\nk13', next: 0 });
	});

	it('reads the earlier array form and rewrites it as one string', () => {
		const holder: IDataObject = { recentEventKeys: { keys: ['c', 'a', 'b'], next: 1 } };
		const store = RecentKeys.in(holder, { limit: 3 });
		expect(store.toArray()).toEqual(['a', 'b', 'c']);
		store.save();
		expect(stored(holder)).toEqual({ packed: 'a\nb\nc', next: 0 });
	});

	it('keeps a key with a line break one key (stored one per line)', () => {
		const holder: IDataObject = {};
		const store = RecentKeys.in(holder);
		expect(store.add('a\nb')).toBe(true);
		store.save();
		const again = RecentKeys.in(JSON.parse(JSON.stringify(holder)) as IDataObject);
		expect(again.size).toBe(1);
		expect(again.has('a\nb')).toBe(true);
	});

	it.each([
		['a string', 'nope', []],
		['a number', 5, []],
		['a bare array', ['x', 'y', 'x', 3], ['y', 'x']],
		['an object with bad keys', { keys: 'x', next: 2 }, []],
		['non-string keys and a bad cursor', { keys: ['a', 1, 'b', null], next: 99 }, ['a', 'b']],
		['duplicate keys', { keys: ['a', 'b', 'a'], next: 0 }, ['b', 'a']],
		['duplicate packed keys', { packed: 'a\nb\na', next: 0 }, ['b', 'a']],
		['a packed cursor out of range', { packed: 'a\nb', next: 7 }, ['b', 'a']],
	])('repairs a malformed stored state: %s', (_label, state, expected) => {
		const holder: IDataObject = { recentEventKeys: state as IDataObject };
		const store = RecentKeys.in(holder, { limit: 10 });
		expect(store.toArray()).toEqual(expected);
		store.add('z');
		store.save();
		expect(store.toArray()).toEqual([...expected, 'z']);
		expect(JSON.parse(JSON.stringify(holder))).toEqual({
			recentEventKeys: { packed: [...expected, 'z'].join('\n'), next: 0 },
		});
	});

	it('writes through n8n static data on save, and only when something changed', () => {
		const saved = JSON.parse(
			JSON.stringify({ 'node:Trigger': { recentEventKeys: { packed: 'a', next: 0 } } }),
		) as IDataObject;
		const staticData = ObservableObject.create(saved);
		const nodeData = staticData['node:Trigger'] as IDataObject;
		const store = RecentKeys.in(nodeData);
		expect(store.add('a')).toBe(false);
		store.save();
		expect(staticData.__dataChanged).toBe(false);
		store.add('b');
		expect(staticData.__dataChanged).toBe(false);
		store.save();
		expect(staticData.__dataChanged).toBe(true);
		expect(JSON.parse(JSON.stringify(staticData))).toEqual({
			'node:Trigger': { recentEventKeys: { packed: 'a\nb', next: 0 } },
		});
	});

	it('takeUnseen drops repeats within a batch and across deliveries, but lets tests through', () => {
		const store = new RecentKeys();
		const body = loadFixture('batch-mixed');
		const first = parseWebhookPayload(body).events;
		expect(store.takeUnseen([...first, ...first])).toHaveLength(first.length);
		// redeliver() also adds message-text to every messaging/standby array and a live comment to
		// changes: each is new once, everything else is a repeat.
		const again = parseWebhookPayload(redeliver(body)).events;
		expect(store.takeUnseen(again).map((event) => event.dedupKey)).toEqual([
			`message:${mid(0)}`,
			'live_comment:18000000000000002',
		]);
		const test = parseWebhookPayload(loadFixture('dashboard-test-message')).events;
		expect(store.takeUnseen(test)).toHaveLength(1);
		expect(store.takeUnseen(test)).toHaveLength(1);
	});

	it('keeps exactly the newest 10,000 keys at the default limit', () => {
		const store = new RecentKeys();
		for (let i = 0; i < 50_000; i += 1) store.add(`message:${i}`);
		expect(store.size).toBe(10_000);
		expect(store.toArray()[0]).toBe('message:40000');
		expect(store.has('message:39999')).toBe(false);
	});
});
