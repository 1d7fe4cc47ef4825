import { parseWebhookPayload } from '../../../nodes/InstagramMessaging/events';
import { ACCOUNT_ID, CUSTOMER_ID, DAY_MS, NOW, envelope, iso, loadFixture, mid } from './helpers';

const textItem = (n: number, timestamp: unknown = 1760000000000 + n) => ({
	sender: { id: CUSTOMER_ID },
	recipient: { id: ACCOUNT_ID },
	timestamp,
	message: { mid: mid(n % 100) + `-${n}`, text: `message ${n}` },
});

describe('parseWebhookPayload: envelope handling', () => {
	it.each([
		['null', null, 1],
		['undefined', undefined, 1],
		['a number', 42, 1],
		['a boolean', true, 1],
		['a non-JSON string', 'hello', 1],
		['an empty array', [], 0],
		['an empty object', {}, 1],
		['an envelope without entry', { object: 'instagram' }, 1],
		['entry that is an object', { object: 'instagram', entry: { id: ACCOUNT_ID } }, 1],
	])('returns no events for %s', (_label, body, skipped) => {
		const result = parseWebhookPayload(body, { now: NOW });
		expect(result.events).toEqual([]);
		expect(result.skipped).toBe(skipped);
	});

	it('parses every envelope of an array body', () => {
		const result = parseWebhookPayload([loadFixture('message-text'), loadFixture('seen')]);
		expect(result.object).toBe('instagram');
		expect(result.events.map((event) => event.eventType)).toEqual(['message', 'seen']);
		expect(result.skipped).toBe(0);
	});

	it('parses a JSON string body', () => {
		const result = parseWebhookPayload(JSON.stringify(loadFixture('message-text')));
		expect(result.events).toHaveLength(1);
		expect(result.events[0].text).toBe('Hi, is this still available?');
	});

	it('unwraps a request-shaped wrapper ({ body: envelope })', () => {
		const result = parseWebhookPayload([{ headers: {}, body: loadFixture('reaction-react') }]);
		expect(result.events.map((event) => event.eventType)).toEqual(['reaction']);
	});

	it('skips other objects by default but reports them', () => {
		const page = { ...loadFixture('message-text'), object: 'page' };
		const result = parseWebhookPayload(page);
		expect(result).toEqual({ object: 'page', events: [], skipped: 1 });
	});

	it('parses other objects when acceptObjects lists them', () => {
		const page = { ...loadFixture('message-text'), object: 'page' };
		const result = parseWebhookPayload(page, { acceptObjects: ['instagram', 'page'] });
		expect(result.object).toBe('page');
		expect(result.events).toHaveLength(1);
	});

	it('skips an envelope without object', () => {
		const body = loadFixture('message-text');
		delete body.object;
		expect(parseWebhookPayload(body)).toEqual({ object: null, events: [], skipped: 1 });
	});

	it('splits a batch of 1000 updates into 1000 events, across entries and containers', () => {
		const entries = Array.from({ length: 10 }, (_, e) => ({
			id: ACCOUNT_ID,
			time: 1760000000999,
			messaging: Array.from({ length: 60 }, (_, i) => textItem(e * 100 + i)),
			standby: Array.from({ length: 30 }, (_, i) => textItem(e * 100 + 60 + i)),
			changes: Array.from({ length: 10 }, (_, i) => ({
				field: 'comments',
				value: { id: `1800000000000${e * 100 + i}`, from: { id: CUSTOMER_ID }, text: 'hi' },
			})),
		}));
		const result = parseWebhookPayload({ object: 'instagram', entry: entries });
		expect(result.skipped).toBe(0);
		expect(result.events).toHaveLength(1000);
		expect(result.events.filter((event) => event.isStandby)).toHaveLength(300);
		expect(result.events.filter((event) => event.eventType === 'comment')).toHaveLength(100);
		expect(new Set(result.events.map((event) => event.dedupKey)).size).toBe(1000);
	});

	it('emits per entry messaging, then standby, then changes, then a field/value pair', () => {
		const body = {
			object: 'instagram',
			entry: [
				{
					id: ACCOUNT_ID,
					time: 1760000000999,
					field: 'mentions',
					value: { media_id: '17900000000000006' },
					changes: [{ field: 'comments', value: { id: '18000000000000001' } }],
					standby: [textItem(2)],
					messaging: [textItem(1)],
				},
			],
		};
		const events = parseWebhookPayload(body).events;
		expect(events.map((event) => event.source)).toEqual(['messaging', 'standby', 'changes', 'field']);
	});

	it('counts malformed entries, containers and items, and still emits the good ones', () => {
		const body = {
			object: 'instagram',
			entry: [
				null,
				5,
				{ id: ACCOUNT_ID, time: 1 }, // no container
				{ id: ACCOUNT_ID, messaging: 'not an array' },
				{ id: ACCOUNT_ID, messaging: [null, 7, {}, [], textItem(1)] },
				{ id: ACCOUNT_ID, changes: [null, { field: 'comments' }, { value: 'x' }, { value: {} }] },
			],
		};
		const result = parseWebhookPayload(body);
		expect(result.events).toHaveLength(1);
		expect(result.events[0].eventType).toBe('message');
		expect(result.skipped).toBe(4 + 4 + 4);
	});

	it('emits unknown for a messaging item without a recognised key, and for unknown change fields', () => {
		const body = envelope([
			{ sender: { id: CUSTOMER_ID }, recipient: { id: ACCOUNT_ID }, timestamp: 1760000000000 },
		]);
		(body.entry as Array<Record<string, unknown>>)[0].changes = [
			{ field: 'story_insights', value: { media_id: '1', impressions: 4 } },
			{ field: '__proto__', value: { a: 1 } },
			{ field: 'constructor', value: { a: 1 } },
		];
		const result = parseWebhookPayload(body);
		expect(result.events.map((event) => [event.eventType, event.source])).toEqual([
			['unknown', 'messaging'],
			['unknown', 'changes'],
			['unknown', 'changes'],
			['unknown', 'changes'],
		]);
		expect(result.events[1].raw).toEqual({
			field: 'story_insights',
			value: { media_id: '1', impressions: 4 },
		});
	});

	it('does not throw on cyclic or throwing input and counts it', () => {
		const item: Record<string, unknown> = textItem(1);
		item.self = item;
		(item.message as Record<string, unknown>).loop = item;
		const cyclic = parseWebhookPayload(
			envelope([item, { ...textItem(2), message: undefined, referral: item }]),
		);
		expect(cyclic.events.map((event) => event.eventType)).toEqual(['message', 'referral']);
		expect(cyclic.events[1].dedupKey).toMatch(/^referral:h:[0-9a-f]{24}$/);

		const hostile = Object.defineProperty({ sender: { id: '1' } }, 'message', {
			enumerable: true,
			get() {
				throw new Error('boom');
			},
		});
		const result = parseWebhookPayload(envelope([hostile, textItem(3)]));
		expect(result.events).toHaveLength(1);
		expect(result.skipped).toBe(1);
	});
});

describe('parseWebhookPayload: ids and times', () => {
	it('converts numeric ids to strings', () => {
		const body = envelope(
			[
				{
					sender: { id: 1111111111111111 },
					recipient: { id: Number('17841400000000001') },
					timestamp: 1760000000000,
					message: { mid: 123456, text: 'hi', reply_to: { mid: 42 } },
				},
			],
			{ accountId: Number('17841400000000001') },
		);
		const [event] = parseWebhookPayload(body).events;
		expect(event.senderId).toBe('1111111111111111');
		expect(event.customerId).toBe('1111111111111111');
		expect(event.accountId).toBe(String(Number('17841400000000001')));
		expect(typeof event.recipientId).toBe('string');
		expect(event.mid).toBe('123456');
		expect(event.replyTo).toEqual({ mid: '42' });
		expect(event.dedupKey).toBe('message:123456');
	});

	it('converts numeric ids in comments, handover and attachments', () => {
		const comments = parseWebhookPayload({
			object: 'instagram',
			entry: [
				{
					id: 17841400000000,
					time: 1760000007,
					changes: [{ field: 'mentions', value: { media_id: 17900000000000, comment_id: 18000000000000 } }],
				},
			],
		}).events[0];
		expect(comments.accountId).toBe('17841400000000');
		expect(comments.comment).toMatchObject({ id: '18000000000000', mediaId: '17900000000000' });

		const handover = parseWebhookPayload(
			envelope([
				{ ...textItem(1), message: undefined, pass_thread_control: { new_owner_app_id: 263902037430900 } },
			]),
		).events[0];
		expect(handover.handover?.newOwnerAppId).toBe('263902037430900');

		const reel = parseWebhookPayload(
			envelope([
				{
					...textItem(1),
					message: {
						mid: 'm',
						attachments: [{ type: 'ig_reel', payload: { reel_video_id: 17800000000000 } }],
					},
				},
			]),
		).events[0];
		expect(reel.attachments[0].reelVideoId).toBe('17800000000000');
	});

	it.each([
		['ms number', 1760000000000, 1760000000000],
		['seconds number', 1760000000, 1760000000000],
		['ms string', '1760000000000', 1760000000000],
		['seconds string', '1760000000', 1760000000000],
		['ISO string', '2025-10-09T08:53:20+0000', 1760000000000],
	])('reads a %s timestamp', (_label, timestamp, expectedMs) => {
		const [event] = parseWebhookPayload(envelope([textItem(1, timestamp)])).events;
		expect(event.timestampMs).toBe(expectedMs);
		expect(event.timestamp).toBe(iso(expectedMs));
		expect(event.windowExpiresAt).toBe(iso(expectedMs + DAY_MS));
	});

	it('falls back to entry.time, then to now, for an item without a usable time', () => {
		const withEntryTime = parseWebhookPayload(envelope([textItem(1, null)], { time: 1760000000 }), {
			now: NOW,
		});
		expect(withEntryTime.events[0].timestampMs).toBe(1760000000000);
		const body = envelope([textItem(1, 'garbage')]);
		delete (body.entry as Array<Record<string, unknown>>)[0].time;
		expect(parseWebhookPayload(body, { now: NOW }).events[0].timestampMs).toBe(NOW);
	});

	it('uses the real clock when now is not usable', () => {
		const body = envelope([textItem(1, null)]);
		delete (body.entry as Array<Record<string, unknown>>)[0].time;
		const before = Date.now();
		const [event] = parseWebhookPayload(body, { now: Number.NaN }).events;
		expect(event.timestampMs).toBeGreaterThanOrEqual(before);
		expect(event.timestampMs).toBeLessThanOrEqual(Date.now());
	});

	it('reads changes entry.time in seconds and in ms', () => {
		const seconds = loadFixture('comment');
		expect(parseWebhookPayload(seconds).events[0].timestampMs).toBe(1760000007000);
		const ms = loadFixture('comment') as { entry: Array<{ time: number }> };
		ms.entry[0].time = 1760000007123;
		expect(parseWebhookPayload(ms).events[0].timestampMs).toBe(1760000007123);
	});

	it('reads num_edit given as a string', () => {
		const body = loadFixture('message-edit') as {
			entry: Array<{ messaging: Array<{ message_edit: object }> }>;
		};
		body.entry[0].messaging[0].message_edit = { mid: mid(1), text: 'x', num_edit: '2' };
		const [event] = parseWebhookPayload(body).events;
		expect(event.edit).toEqual({ numEdit: 2 });
		expect(event.dedupKey).toBe(`message_edit:${mid(1)}:2`);
	});
});

describe('parseWebhookPayload: classification details', () => {
	it('takes the account id from the event when entry.id is missing', () => {
		const inbound = envelope([textItem(1)], { accountId: null });
		expect(parseWebhookPayload(inbound).events[0].accountId).toBe(ACCOUNT_ID);
		const echo = loadFixture('echo') as { entry: Array<{ id?: string }> };
		delete echo.entry[0].id;
		expect(parseWebhookPayload(echo).events[0].accountId).toBe(ACCOUNT_ID);
	});

	it('treats the account as the business side when it is the sender, even without is_echo', () => {
		const item = {
			sender: { id: ACCOUNT_ID },
			recipient: { id: CUSTOMER_ID },
			timestamp: 1,
			read: { mid: 'x' },
		};
		expect(parseWebhookPayload(envelope([item])).events[0].customerId).toBe(CUSTOMER_ID);
	});

	it('classifies a deleted echo as message_deleted with the customer as recipient', () => {
		const item = {
			sender: { id: ACCOUNT_ID },
			recipient: { id: CUSTOMER_ID },
			timestamp: 1760000000000,
			message: { mid: mid(10), is_deleted: true, is_echo: true },
		};
		const [event] = parseWebhookPayload(envelope([item])).events;
		expect(event).toMatchObject({ eventType: 'message_deleted', isEcho: true, customerId: CUSTOMER_ID });
		expect(event.windowExpiresAt).toBeNull();
	});

	it('accepts Messenger\u2019s policy-enforcement spelling', () => {
		const item = {
			recipient: { id: ACCOUNT_ID },
			timestamp: 1,
			'policy-enforcement': { action: 'warning', reason: 'r' },
		};
		expect(parseWebhookPayload(envelope([item])).events[0]).toMatchObject({
			eventType: 'policy_enforcement',
			policyEnforcement: { action: 'warning', reason: 'r' },
		});
	});

	it('marks dashboard tests for every messaging field, standby included, but not messaging_handover', () => {
		const change = (field: string, value: object) => ({
			object: 'instagram',
			entry: [{ id: ACCOUNT_ID, time: 1760000000, changes: [{ field, value }] }],
		});
		const reaction = {
			...textItem(1),
			message: undefined,
			reaction: { mid: 'm', action: 'react', emoji: 'x' },
		};
		expect(parseWebhookPayload(change('message_reactions', reaction)).events[0]).toMatchObject({
			eventType: 'reaction',
			isTest: true,
			isStandby: false,
			source: 'changes',
		});
		expect(parseWebhookPayload(change('standby', textItem(1))).events[0]).toMatchObject({
			eventType: 'message',
			isTest: true,
			isStandby: true,
		});
		expect(parseWebhookPayload(change('messaging_handover', textItem(1))).events[0].isTest).toBe(false);
	});

	it('reads a timestamp given as a string in seconds inside a dashboard test', () => {
		const value = {
			sender: { id: '12334' },
			recipient: { id: '23245' },
			timestamp: '1527459824',
			message: { mid: 'random_mid', text: 'random_text' },
		};
		const body = {
			object: 'instagram',
			entry: [{ id: '0', time: 1527459824, changes: [{ field: 'messages', value }] }],
		};
		const [event] = parseWebhookPayload(body).events;
		expect(event).toMatchObject({
			eventType: 'message',
			accountId: '0',
			customerId: '12334',
			isTest: true,
			timestampMs: 1527459824000,
		});
	});

	it('picks the most specific message kind', () => {
		const kindOf = (message: object) =>
			parseWebhookPayload(envelope([{ ...textItem(1), message: { mid: 'm', ...message } }])).events[0]
				.messageKind;
		const image = { type: 'image', payload: { url: 'u' } };
		expect(kindOf({ text: 'hi' })).toBe('text');
		expect(kindOf({})).toBe('text');
		expect(kindOf({ attachments: [image] })).toBe('attachment');
		expect(kindOf({ attachments: [image, { type: 'ig_post', payload: {} }] })).toBe('share');
		expect(kindOf({ attachments: [{ type: 'story_mention', payload: {} }, image] })).toBe('story_mention');
		expect(kindOf({ text: 'a', quick_reply: { payload: 'P' } })).toBe('quick_reply');
		expect(kindOf({ text: 'a', reply_to: { story: { id: '1' } } })).toBe('story_reply');
		expect(kindOf({ text: 'a', reply_to: { mid: 'x' } })).toBe('text');
	});

	it('drops malformed attachments and defaults type and payload', () => {
		const message = {
			mid: 'm',
			attachments: [null, 'x', { payload: 'nope' }, { type: 'video', payload: { url: 'u' } }],
		};
		const [event] = parseWebhookPayload(envelope([{ ...textItem(1), message }])).events;
		expect(event.attachments).toEqual([
			{ type: 'unknown', url: null, payload: {} },
			{ type: 'video', url: 'u', payload: { url: 'u' } },
		]);
	});

	it('sets window fields only for inbound messages, unsupported messages, postbacks and referrals', () => {
		const opening = ['message-text', 'message-unsupported', 'postback', 'referral', 'standby-message'];
		const closed = [
			'echo',
			'message-deleted',
			'message-edit',
			'reaction-react',
			'reaction-unreact',
			'seen',
			'optin',
			'handover-pass',
			'handover-app-roles',
			'policy-enforcement',
			'comment',
			'mention',
			'unknown',
		];
		for (const name of opening) {
			const [event] = parseWebhookPayload(loadFixture(name)).events;
			expect([name, event.windowExpiresAt]).toEqual([name, iso(event.timestampMs + DAY_MS)]);
			expect([name, event.humanAgentWindowExpiresAt]).toEqual([name, iso(event.timestampMs + 7 * DAY_MS)]);
		}
		for (const name of closed) {
			const [event] = parseWebhookPayload(loadFixture(name)).events;
			expect([name, event.windowExpiresAt, event.humanAgentWindowExpiresAt]).toEqual([name, null, null]);
		}
	});
});
