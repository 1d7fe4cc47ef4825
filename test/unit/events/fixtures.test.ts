import { readFileSync } from 'fs';
import { join } from 'path';

import { parseWebhookPayload, toItemJson } from '../../../nodes/InstagramMessaging/events';
import type { InstagramEvent } from '../../../nodes/InstagramMessaging/events';
import {
	ACCOUNT_ID,
	CUSTOMER_ID,
	DAY_MS,
	FIXTURES_DIR,
	NOW,
	fixtureNames,
	iso,
	loadFixture,
	mid,
} from './helpers';

const cdn = (n: number) => `https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=${n}&signature=AbCdEf${n}`;

/** Inbound customer event with the window fields derived from its timestamp. */
const inbound = (timestampMs: number, opensWindow: boolean) => ({
	accountId: ACCOUNT_ID,
	senderId: CUSTOMER_ID,
	recipientId: ACCOUNT_ID,
	customerId: CUSTOMER_ID,
	timestampMs,
	timestamp: iso(timestampMs),
	isEcho: false,
	isStandby: false,
	isTest: false,
	source: 'messaging',
	windowExpiresAt: opensWindow ? iso(timestampMs + DAY_MS) : null,
	humanAgentWindowExpiresAt: opensWindow ? iso(timestampMs + 7 * DAY_MS) : null,
});

const attachmentMessage = (n: number, messageKind: string, attachments: object[]) => ({
	eventType: 'message',
	messageKind,
	...inbound(1760000000000 + n * 1000, true),
	mid: mid(n),
	text: null,
	attachments,
	dedupKey: `message:${mid(n)}`,
});

const commentAt = (seconds: number) => ({
	accountId: ACCOUNT_ID,
	timestampMs: seconds * 1000,
	timestamp: iso(seconds * 1000),
	mid: null,
	recipientId: null,
	windowExpiresAt: null,
	humanAgentWindowExpiresAt: null,
	isTest: false,
});

const handover = (fields: object) => ({
	previousOwnerAppId: null,
	newOwnerAppId: null,
	requestedOwnerAppId: null,
	callerAppId: null,
	metadata: null,
	appRoles: null,
	...fields,
});

/** Expected events (in order) for every fixture; `toMatchObject`, so only listed fields are checked. */
const EXPECTED: Record<string, object[]> = {
	'message-text': [
		{
			eventType: 'message',
			messageKind: 'text',
			...inbound(1760000000000, true),
			mid: mid(0),
			text: 'Hi, is this still available?',
			attachments: [],
			dedupKey: `message:${mid(0)}`,
		},
	],
	'attachment-image': [
		attachmentMessage(12, 'attachment', [{ type: 'image', url: cdn(12), payload: { url: cdn(12) } }]),
	],
	'attachment-video': [
		attachmentMessage(13, 'attachment', [{ type: 'video', url: cdn(13), payload: { url: cdn(13) } }]),
	],
	'attachment-audio': [
		attachmentMessage(14, 'attachment', [{ type: 'audio', url: cdn(14), payload: { url: cdn(14) } }]),
	],
	'attachment-file': [
		attachmentMessage(15, 'attachment', [{ type: 'file', url: cdn(15), payload: { url: cdn(15) } }]),
	],
	'attachment-share': [
		attachmentMessage(16, 'share', [{ type: 'share', url: cdn(16), payload: { url: cdn(16) } }]),
	],
	'attachment-story-mention': [
		attachmentMessage(3, 'story_mention', [{ type: 'story_mention', url: cdn(3), payload: { url: cdn(3) } }]),
	],
	'attachment-reel': [
		attachmentMessage(17, 'share', [
			{ type: 'reel', url: cdn(17), title: 'Behind the scenes', reelVideoId: '17800000000000002' },
		]),
	],
	'attachment-ig-reel': [
		attachmentMessage(2, 'share', [
			{ type: 'ig_reel', url: cdn(2), title: 'caption text #tags', reelVideoId: '17800000000000001' },
		]),
	],
	'attachment-ig-post': [
		attachmentMessage(18, 'share', [
			{ type: 'ig_post', url: cdn(18), title: 'New collection', igPostMediaId: '17900000000000003' },
		]),
	],
	'attachment-ephemeral': [
		attachmentMessage(19, 'attachment', [{ type: 'ephemeral', url: null, payload: {} }]),
	],
	'attachment-sticker': [
		attachmentMessage(20, 'attachment', [{ type: 'image', url: cdn(20), stickerId: '369239263222822' }]),
	],
	'attachment-multiple-images': [
		attachmentMessage(1, 'attachment', [
			{ type: 'image', url: cdn(1) },
			{ type: 'image', url: cdn(21) },
		]),
	],
	'message-text-with-image': [
		{
			...attachmentMessage(24, 'attachment', [{ type: 'image', url: cdn(24) }]),
			text: 'Do you have this in blue?',
		},
	],
	'message-story-reply': [
		{
			eventType: 'message',
			messageKind: 'story_reply',
			...inbound(1760000004000, true),
			text: 'Love this!',
			replyTo: { storyId: '17900000000000001', storyUrl: cdn(4) },
		},
	],
	'message-reply-to': [
		{ eventType: 'message', messageKind: 'text', mid: mid(5), text: 'Yes, size M', replyTo: { mid: mid(1) } },
	],
	'message-quick-reply': [
		{
			eventType: 'message',
			messageKind: 'quick_reply',
			text: 'Track my order',
			quickReplyPayload: 'TRACK_ORDER',
			...inbound(1760000006000, true),
		},
	],
	'message-referral-ad': [
		{
			eventType: 'message',
			messageKind: 'text',
			text: 'Is this in stock?',
			referral: {
				ref: 'spring_sale',
				source: 'ADS',
				type: 'OPEN_THREAD',
				adId: '120000000000000001',
				productId: null,
				adsContextData: { ad_title: 'Spring sale' },
			},
		},
	],
	'message-referral-product': [
		{
			eventType: 'message',
			referral: {
				ref: null,
				source: null,
				type: null,
				adId: null,
				productId: '5500000000000001',
				adsContextData: null,
			},
		},
	],
	'message-deleted': [
		{
			eventType: 'message_deleted',
			messageKind: null,
			mid: mid(5),
			...inbound(1760000010000, false),
			dedupKey: `message_deleted:${mid(5)}`,
		},
	],
	'message-unsupported': [
		{ eventType: 'message_unsupported', messageKind: null, mid: mid(9), ...inbound(1760000011000, true) },
	],
	echo: [
		{
			eventType: 'echo',
			messageKind: null,
			accountId: ACCOUNT_ID,
			senderId: ACCOUNT_ID,
			recipientId: CUSTOMER_ID,
			customerId: CUSTOMER_ID,
			mid: mid(10),
			text: "Thanks, we'll ship today",
			isEcho: true,
			isSelf: false,
			windowExpiresAt: null,
			humanAgentWindowExpiresAt: null,
			dedupKey: `echo:${mid(10)}`,
		},
	],
	'echo-self': [
		{ eventType: 'echo', isEcho: true, isSelf: true, customerId: '9999999999999999', windowExpiresAt: null },
	],
	'message-edit': [
		{
			eventType: 'message_edit',
			mid: mid(1),
			text: 'Hi, is the blue one still available?',
			edit: { numEdit: 1 },
			...inbound(1760000005000, false),
			dedupKey: `message_edit:${mid(1)}:1`,
		},
	],
	'reaction-react': [
		{
			eventType: 'reaction',
			mid: mid(10),
			reaction: { mid: mid(10), action: 'react', reaction: 'love', emoji: '\u2764\ufe0f' },
			...inbound(1760000001000, false),
			dedupKey: `reaction:${mid(10)}:\u2764\ufe0f:1760000001000`,
		},
	],
	'reaction-unreact': [
		{
			eventType: 'unreaction',
			mid: mid(10),
			reaction: { mid: mid(10), action: 'unreact', reaction: null, emoji: null },
			...inbound(1760000001500, false),
		},
	],
	seen: [{ eventType: 'seen', mid: mid(10), ...inbound(1760000003000, false), dedupKey: `seen:${mid(10)}` }],
	postback: [
		{
			eventType: 'postback',
			mid: mid(11),
			text: null,
			postback: {
				title: 'Where is my order?',
				payload: 'ICEBREAKER_ORDER_STATUS',
				mid: mid(11),
				referral: null,
			},
			referral: null,
			...inbound(1760000002000, true),
		},
	],
	'postback-referral': [
		{
			eventType: 'postback',
			postback: {
				title: 'Get started',
				payload: 'ICEBREAKER_GET_STARTED',
				mid: mid(26),
				referral: { ref: 'qr_store_berlin', source: 'SHORTLINKS', type: 'OPEN_THREAD' },
			},
			referral: { ref: 'qr_store_berlin', source: 'SHORTLINKS', type: 'OPEN_THREAD' },
		},
	],
	referral: [
		{
			eventType: 'referral',
			mid: null,
			referral: {
				ref: 'qr_store_berlin',
				source: 'SHORTLINKS',
				type: 'OPEN_THREAD',
				adId: null,
				productId: null,
			},
			...inbound(1760000004000, true),
		},
	],
	optin: [
		{
			eventType: 'optin',
			...inbound(1760000013000, false),
			optin: {
				type: 'notification_messages',
				payload: 'SPRING_SALE_UPDATES',
				title: 'Spring sale updates',
				ref: null,
				notificationMessagesToken: '8431000000000001',
				notificationMessagesStatus: 'RESUME NOTIFICATIONS',
				notificationMessagesTimezone: 'Europe/Berlin',
				tokenExpiryTimestamp: 1767776000000,
				userTokenStatus: 'NOT_REFRESHED',
			},
		},
	],
	'handover-pass': [
		{
			eventType: 'handover_pass',
			...inbound(1760000006000, false),
			handover: handover({
				previousOwnerAppId: '1234567890',
				newOwnerAppId: '1217981644879628',
				metadata: 'escalated by bot',
			}),
		},
	],
	'handover-take': [
		{
			eventType: 'handover_take',
			handover: handover({
				previousOwnerAppId: '1217981644879628',
				newOwnerAppId: '1234567890',
				metadata: 'bot resumes',
			}),
		},
	],
	'handover-request': [
		{
			eventType: 'handover_request',
			handover: handover({ requestedOwnerAppId: '1234567890', metadata: 'customer asked for the bot' }),
		},
	],
	'handover-metadata': [
		{
			eventType: 'handover_metadata',
			handover: handover({ callerAppId: '1217981644879628', metadata: 'order 4711' }),
		},
	],
	'handover-app-roles': [
		{
			eventType: 'app_roles',
			senderId: null,
			recipientId: ACCOUNT_ID,
			customerId: null,
			handover: handover({
				appRoles: { '1234567890': ['primary_receiver'], '1217981644879628': ['secondary_receiver'] },
			}),
		},
	],
	'policy-enforcement': [
		{
			eventType: 'policy_enforcement',
			customerId: null,
			policyEnforcement: { action: 'block', reason: 'The app violated the messaging policy.' },
			windowExpiresAt: null,
		},
	],
	'standby-message': [
		{
			eventType: 'message',
			messageKind: 'text',
			text: 'Hello? Anyone there?',
			...inbound(1760000015000, true),
			isStandby: true,
			source: 'standby',
		},
	],
	'changes-messaging-handover': [
		{
			eventType: 'handover_pass',
			source: 'changes',
			isTest: false,
			customerId: CUSTOMER_ID,
			timestampMs: 1760000016000,
			handover: handover({
				previousOwnerAppId: '1234567890',
				newOwnerAppId: '1217981644879628',
				metadata: 'escalated by bot',
			}),
		},
	],
	comment: [
		{
			eventType: 'comment',
			messageKind: null,
			...commentAt(1760000007),
			senderId: CUSTOMER_ID,
			customerId: CUSTOMER_ID,
			text: 'How much is this?',
			comment: {
				id: '18000000000000001',
				text: 'How much is this?',
				parentId: '18000000000000000',
				mediaId: '17900000000000002',
				mediaProductType: 'FEED',
				fromUsername: 'jane.doe',
				adId: null,
				originalMediaId: null,
			},
			isSelf: false,
			source: 'changes',
			dedupKey: 'comment:18000000000000001',
		},
	],
	'comment-ad': [
		{
			eventType: 'comment',
			comment: {
				id: '18000000000000005',
				mediaId: '17900000000000007',
				mediaProductType: 'AD',
				adId: '120000000000000002',
				originalMediaId: '17900000000000002',
			},
		},
	],
	'comment-self': [
		{
			eventType: 'comment',
			isSelf: true,
			senderId: ACCOUNT_ID,
			customerId: null,
			comment: { id: '18000000000000006', fromUsername: 'acme.store' },
		},
	],
	'live-comment': [
		{
			eventType: 'live_comment',
			...commentAt(1760000019),
			customerId: CUSTOMER_ID,
			text: 'Hello from Berlin',
			comment: {
				id: '18000000000000002',
				mediaId: '17900000000000004',
				mediaProductType: null,
				parentId: null,
			},
			dedupKey: 'live_comment:18000000000000002',
		},
	],
	mention: [
		{
			eventType: 'mention',
			...commentAt(1760000020),
			customerId: CUSTOMER_ID,
			text: '@acme.store look at this',
			comment: { id: '18000000000000003', mediaId: '17900000000000005', fromUsername: 'jane.doe' },
			dedupKey: 'mention:17900000000000005:18000000000000003',
		},
	],
	'mention-page': [
		{
			eventType: 'mention',
			...commentAt(1760000021),
			senderId: null,
			customerId: null,
			text: null,
			comment: {
				id: '18000000000000004',
				text: null,
				parentId: null,
				mediaId: '17900000000000006',
				mediaProductType: null,
				fromUsername: null,
				adId: null,
				originalMediaId: null,
			},
			dedupKey: 'mention:17900000000000006:18000000000000004',
		},
	],
	'field-value-comment': [
		{
			eventType: 'comment',
			...commentAt(1760000022),
			source: 'field',
			customerId: CUSTOMER_ID,
			comment: { id: '18000000000000007', text: 'Nice!' },
			raw: { field: 'comments', value: { id: '18000000000000007' } },
		},
	],
	'dashboard-test-message': [
		{
			eventType: 'message',
			messageKind: 'text',
			...inbound(1760000023000, true),
			source: 'changes',
			isTest: true,
			text: 'This is a test message',
			raw: { field: 'messages' },
		},
	],
	unknown: [
		{
			eventType: 'unknown',
			messageKind: null,
			mid: null,
			...inbound(1760000024000, false),
			raw: { response_feedback: { feedback: 'good' } },
		},
	],
	'batch-mixed': [
		{ eventType: 'message', mid: mid(27), accountId: ACCOUNT_ID, source: 'messaging' },
		{ eventType: 'reaction', mid: mid(10), reaction: { emoji: '\u{1f44d}' } },
		{ eventType: 'seen', mid: mid(28) },
		{ eventType: 'message', mid: mid(29), isStandby: true, source: 'standby' },
		{
			eventType: 'comment',
			comment: { id: '18000000000000008', mediaProductType: 'REELS' },
			timestampMs: 1760000030500,
			source: 'changes',
		},
		{
			eventType: 'message',
			mid: mid(30),
			accountId: '17841400000000002',
			customerId: '2222222222222222',
		},
		{
			eventType: 'echo',
			mid: mid(31),
			accountId: '17841400000000002',
			senderId: '17841400000000002',
			customerId: '2222222222222222',
		},
	],
};

const ITEM_KEYS = [
	'eventType',
	'messageKind',
	'accountId',
	'senderId',
	'recipientId',
	'customerId',
	'timestamp',
	'timestampMs',
	'mid',
	'text',
	'attachments',
	'replyTo',
	'quickReplyPayload',
	'postback',
	'reaction',
	'referral',
	'edit',
	'comment',
	'handover',
	'optin',
	'policyEnforcement',
	'entryPoint',
	'isEcho',
	'isSelf',
	'isStandby',
	'isTest',
	'source',
	'windowExpiresAt',
	'humanAgentWindowExpiresAt',
	'dedupKey',
];

function parseFixture(name: string): InstagramEvent[] {
	const result = parseWebhookPayload(loadFixture(name), { now: NOW });
	expect(result.object).toBe('instagram');
	expect(result.skipped).toBe(0);
	return result.events;
}

describe('fixtures → events', () => {
	it('has an expectation for every fixture file, and every expectation has a file', () => {
		expect(Object.keys(EXPECTED).sort()).toEqual(fixtureNames());
	});

	it('lists every fixture in the README', () => {
		const readme = readFileSync(join(FIXTURES_DIR, 'README.md'), 'utf8');
		for (const name of fixtureNames()) expect(readme).toContain(`\`${name}.json\``);
	});

	it.each(Object.entries(EXPECTED))('%s', (name, expected) => {
		const events = parseFixture(name);
		expect(events).toHaveLength(expected.length);
		events.forEach((event, index) => expect(event).toMatchObject(expected[index]));
	});

	it('parses a text message into the complete item', () => {
		const [event] = parseFixture('message-text');
		expect(toItemJson(event, { includeRaw: false })).toEqual({
			eventType: 'message',
			messageKind: 'text',
			accountId: ACCOUNT_ID,
			senderId: CUSTOMER_ID,
			recipientId: ACCOUNT_ID,
			customerId: CUSTOMER_ID,
			timestamp: '2025-10-09T08:53:20.000Z',
			timestampMs: 1760000000000,
			mid: mid(0),
			text: 'Hi, is this still available?',
			attachments: [],
			replyTo: null,
			quickReplyPayload: null,
			postback: null,
			reaction: null,
			referral: null,
			edit: null,
			comment: null,
			handover: null,
			optin: null,
			policyEnforcement: null,
			entryPoint: {
				type: 'direct_message',
				mediaId: null,
				mediaProductType: null,
				permalink: null,
				caption: null,
				commentId: null,
				storyId: null,
				storyUrl: null,
				adId: null,
				adTitle: null,
				ref: null,
			},
			isEcho: false,
			isSelf: false,
			isStandby: false,
			isTest: false,
			source: 'messaging',
			windowExpiresAt: '2025-10-10T08:53:20.000Z',
			humanAgentWindowExpiresAt: '2025-10-16T08:53:20.000Z',
			dedupKey: `message:${mid(0)}`,
		});
	});

	it('gives every event of every fixture the same keys in the same order', () => {
		for (const name of fixtureNames()) {
			for (const event of parseFixture(name)) {
				expect(Object.keys(toItemJson(event, { includeRaw: false }))).toEqual(ITEM_KEYS);
				expect(Object.keys(toItemJson(event, { includeRaw: true }))).toEqual([...ITEM_KEYS, 'raw']);
			}
		}
	});

	it('keeps the original messaging item as raw', () => {
		const body = loadFixture('message-quick-reply') as { entry: Array<{ messaging: unknown[] }> };
		const [event] = parseWebhookPayload(body).events;
		expect(event.raw).toEqual(body.entry[0].messaging[0]);
		expect(toItemJson(event, { includeRaw: true }).raw).toEqual(body.entry[0].messaging[0]);
		expect(toItemJson(event, { includeRaw: false })).not.toHaveProperty('raw');
	});

	it('keeps the original change object as raw', () => {
		const body = loadFixture('comment') as { entry: Array<{ changes: unknown[] }> };
		const [event] = parseWebhookPayload(body).events;
		expect(event.raw).toEqual(body.entry[0].changes[0]);
	});

	it('gives every fixture event a unique dedup key', () => {
		const namesByKey = new Map<string, string[]>();
		for (const name of fixtureNames()) {
			for (const { dedupKey } of parseFixture(name)) {
				namesByKey.set(dedupKey, [...(namesByKey.get(dedupKey) ?? []), name]);
			}
		}
		const shared = [...namesByKey.entries()].filter(([, names]) => names.length > 1);
		expect(shared).toEqual([]);
	});
});
