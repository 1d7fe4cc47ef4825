import { parseWebhookPayload } from '../../../nodes/InstagramMessaging/events';
import type { EntryPointType } from '../../../nodes/InstagramMessaging/events';
import { DAY_MS, fixtureNames, loadFixture, NOW } from './helpers';

function entries(name: string): Array<EntryPointType | null> {
	return parseWebhookPayload(loadFixture(name), { now: NOW }).events.map((e) => e.entryPoint?.type ?? null);
}

function only(name: string) {
	const [event] = parseWebhookPayload(loadFixture(name), { now: NOW }).events;
	return event;
}

/** How the customer got here, per fixture and event (Meta's shapes: docs/meta-fidelity.md, "Entry points"). */
const EXPECTED: Record<string, Array<EntryPointType | null>> = {
	'attachment-audio': ['direct_message'],
	'attachment-ephemeral': ['direct_message'],
	'attachment-file': ['direct_message'],
	'attachment-ig-post': ['direct_message'],
	'attachment-ig-reel': ['direct_message'],
	'attachment-image': ['direct_message'],
	'attachment-multiple-images': ['direct_message'],
	'attachment-reel': ['direct_message'],
	'attachment-share': ['direct_message'],
	'attachment-sticker': ['direct_message'],
	'attachment-story-mention': ['story_mention'],
	'attachment-video': ['direct_message'],
	'batch-mixed': [
		'direct_message',
		'direct_message',
		null,
		'direct_message',
		'comment',
		'direct_message',
		null,
	],
	'changes-messaging-handover': [null],
	'comment-ad': ['comment'],
	'comment-self': [null],
	comment: ['comment'],
	'dashboard-test-message': ['direct_message'],
	'echo-self': [null],
	echo: [null],
	'field-value-comment': ['comment'],
	'handover-app-roles': [null],
	'handover-metadata': [null],
	'handover-pass': [null],
	'handover-request': [null],
	'handover-take': [null],
	'live-comment': ['live_comment'],
	'mention-page': ['mention'],
	mention: ['mention'],
	'message-deleted': [null],
	'message-edit': ['direct_message'],
	'message-quick-reply': ['direct_message'],
	'message-referral-ad': ['ad'],
	'message-referral-product': ['shop'],
	'message-reply-to': ['direct_message'],
	'message-story-reply': ['story_reply'],
	'message-text-with-image': ['direct_message'],
	'message-text': ['direct_message'],
	'message-unsupported': ['direct_message'],
	optin: [null],
	'policy-enforcement': [null],
	'postback-referral': ['link'],
	postback: ['postback'],
	'reaction-react': ['direct_message'],
	'reaction-unreact': ['direct_message'],
	referral: ['link'],
	seen: [null],
	'standby-message': ['direct_message'],
	unknown: [null],
};

describe('entry points', () => {
	it('has an expectation for every fixture', () => {
		expect(Object.keys(EXPECTED).sort()).toEqual(fixtureNames());
	});

	it.each(Object.entries(EXPECTED))('%s', (name, expected) => {
		expect(entries(name)).toEqual(expected);
	});

	it('a comment names the post or reel and the comment', () => {
		expect(only('comment').entryPoint).toEqual({
			type: 'comment',
			mediaId: '17900000000000002',
			mediaProductType: 'FEED',
			permalink: null,
			caption: null,
			commentId: '18000000000000001',
			storyId: null,
			storyUrl: null,
			adId: null,
			adTitle: null,
			ref: null,
		});
		expect(only('comment-ad').entryPoint).toMatchObject({ type: 'comment', adId: expect.any(String) });
	});

	it('a story reply names the story; a story mention its media URL', () => {
		expect(only('message-story-reply').entryPoint).toMatchObject({
			type: 'story_reply',
			storyId: '17900000000000001',
			storyUrl: expect.stringContaining('lookaside.fbsbx.com'),
		});
		expect(only('attachment-story-mention').entryPoint).toMatchObject({
			type: 'story_mention',
			storyId: null,
			storyUrl: expect.stringContaining('lookaside.fbsbx.com'),
		});
	});

	it('an ig.me link carries its ref, in a new thread (postback) and an existing one (referral)', () => {
		expect(only('referral').entryPoint).toMatchObject({ type: 'link', ref: 'qr_store_berlin' });
		expect(only('postback-referral').entryPoint).toMatchObject({ type: 'link', ref: 'qr_store_berlin' });
	});

	it('the first message after a Click-to-Direct ad: ad id, title, ref, and a window of up to 7 days', () => {
		const event = only('message-referral-ad');
		expect(event.entryPoint).toMatchObject({
			type: 'ad',
			adId: '120000000000000001',
			ref: 'spring_sale',
			adTitle: expect.any(String),
		});
		expect(Date.parse(event.windowExpiresAt ?? '') - event.timestampMs).toBe(7 * DAY_MS);
		// A message without the ad referral keeps Meta's 24 hours.
		const plain = only('message-text');
		expect(Date.parse(plain.windowExpiresAt ?? '') - plain.timestampMs).toBe(DAY_MS);
	});

	it("an ig.me link in a message of a new thread is a link, and Meta's source value does not matter", () => {
		const fixture = loadFixture('message-referral-ad') as {
			entry: Array<{ messaging: Array<{ message: { referral: Record<string, unknown> } }> }>;
		};
		fixture.entry[0].messaging[0].message.referral = { ref: 'bio', source: 'SHORTLINK', type: 'OPEN_THREAD' };
		const [event] = parseWebhookPayload(fixture, { now: NOW }).events;
		expect(event.entryPoint).toMatchObject({ type: 'link', ref: 'bio', adId: null });
		expect(Date.parse(event.windowExpiresAt ?? '') - event.timestampMs).toBe(DAY_MS);
	});
});
