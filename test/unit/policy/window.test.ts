import {
	decideWindow,
	type Author,
	type MessagingType,
} from '../../../nodes/InstagramMessaging/policy/window';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function decide(author: Author, ageMs: number | undefined, messagingType: MessagingType = 'RESPONSE') {
	return decideWindow({
		author,
		messagingType,
		lastCustomerMessageAt: ageMs === undefined ? undefined : NOW - ageMs,
		now: NOW,
	});
}

describe('messaging window policy', () => {
	it.each<[Author, number]>([
		['bot', 0],
		['bot', DAY],
		['human', 0],
		['human', DAY],
	])('%s at %d ms: allowed untagged inside 24 h (edge included)', (author, age) => {
		expect(decide(author, age)).toEqual({ allowed: true, messagingType: 'RESPONSE' });
	});

	it('bot 1 ms after 24 h: refused with an explanation of HUMAN_AGENT', () => {
		const decision = decide('bot', DAY + 1);
		expect(decision).toMatchObject({
			allowed: false,
			message: 'Outside the 24-hour messaging window: the customer last wrote 24 hours ago',
		});
		expect(decision.allowed === false && decision.description).toContain('HUMAN_AGENT');
	});

	it('bot at 25 h: refused', () => {
		expect(decide('bot', 25 * HOUR)).toMatchObject({ allowed: false });
	});

	it.each([DAY + 1, 3 * DAY, 7 * DAY])('human at %d ms: tagged HUMAN_AGENT automatically', (age) => {
		expect(decide('human', age)).toEqual({ allowed: true, messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
	});

	it.each<Author>(['human', 'bot'])('%s 1 ms after 7 days: refused', (author) => {
		expect(decide(author, 7 * DAY + 1)).toMatchObject({
			allowed: false,
			message: 'Outside the messaging window: the customer last wrote 7 days ago, more than 7 days ago',
		});
	});

	it('never tags a bot message, even when asked to', () => {
		for (const age of [undefined, 0, 3 * DAY]) {
			const decision = decide('bot', age, 'MESSAGE_TAG');
			expect(decision.allowed).toBe(false);
			expect(decision).not.toHaveProperty('tag');
		}
	});

	it('a person may ask for the tag inside 24 h', () => {
		expect(decide('human', HOUR, 'MESSAGE_TAG')).toEqual({
			allowed: true,
			messagingType: 'MESSAGE_TAG',
			tag: 'HUMAN_AGENT',
		});
	});

	it('keeps UPDATE inside the window', () => {
		expect(decide('bot', HOUR, 'UPDATE')).toEqual({ allowed: true, messagingType: 'UPDATE' });
	});

	it('lets the message through untagged when the last message time is unknown (Meta enforces)', () => {
		expect(decide('bot', undefined)).toEqual({ allowed: true, messagingType: 'RESPONSE' });
		expect(decide('human', undefined)).toEqual({ allowed: true, messagingType: 'RESPONSE' });
	});

	it('treats a clock skew (customer message in the future) as just now', () => {
		expect(decide('bot', -5 * 60_000)).toEqual({ allowed: true, messagingType: 'RESPONSE' });
	});
});
