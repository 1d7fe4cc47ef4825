import type { IDataObject } from 'n8n-workflow';

import {
	DisclosureStore,
	disclosureReason,
	withDisclosure,
} from '../../../nodes/InstagramMessaging/policy/disclosure';

const HOUR = 3_600_000;
const LAPSE = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);

describe('disclosure rule', () => {
	it('discloses on the first automated message of a thread', () => {
		expect(disclosureReason({}, T0, LAPSE)).toBe('firstMessage');
	});

	it('does not repeat it while the conversation goes on', () => {
		expect(disclosureReason({ disclosedAt: T0, lastBotAt: T0 + HOUR }, T0 + 2 * HOUR, LAPSE)).toBeNull();
	});

	it('discloses again after the lapse — measured from the last automated message, edge excluded', () => {
		const thread = { disclosedAt: T0, lastBotAt: T0 + HOUR };
		expect(disclosureReason(thread, T0 + HOUR + LAPSE, LAPSE)).toBeNull();
		expect(disclosureReason(thread, T0 + HOUR + LAPSE + 1, LAPSE)).toBe('afterLapse');
	});

	it('discloses again when a person held the thread after the last disclosure', () => {
		expect(disclosureReason({ disclosedAt: T0, lastBotAt: T0, humanAt: T0 + 1 }, T0 + 2, LAPSE)).toBe(
			'afterHuman',
		);
		expect(
			disclosureReason({ disclosedAt: T0 + 5, lastBotAt: T0 + 5, humanAt: T0 + 1 }, T0 + 6, LAPSE),
		).toBeNull();
	});

	it('prepends the wording once', () => {
		expect(withDisclosure('Hi!', "You're chatting with an automated assistant.")).toBe(
			"You're chatting with an automated assistant.\n\nHi!",
		);
		expect(
			withDisclosure(
				"You're chatting with an automated assistant.\n\nHi!",
				"You're chatting with an automated assistant.",
			),
		).toBe("You're chatting with an automated assistant.\n\nHi!");
		expect(withDisclosure('Hi!', '  ')).toBe('Hi!');
	});
});

describe('DisclosureStore (workflow static data)', () => {
	it('records bot and human activity per thread as plain JSON', () => {
		const staticData: IDataObject = {};
		const store = DisclosureStore.in(staticData);
		store.recordBot('a|1', T0, true);
		store.recordBot('a|1', T0 + HOUR, false);
		store.recordHuman('a|1', T0 + 2 * HOUR);
		expect(JSON.parse(JSON.stringify(staticData))).toEqual({
			instagramDisclosure: { 'a|1': { lastBotAt: T0 + HOUR, disclosedAt: T0, humanAt: T0 + 2 * HOUR } },
		});
		expect(disclosureReason(DisclosureStore.in(staticData).get('a|1'), T0 + 3 * HOUR, LAPSE)).toBe(
			'afterHuman',
		);
	});

	it('repairs malformed state and stays bounded, dropping the least recently active threads', () => {
		const staticData: IDataObject = { instagramDisclosure: 'garbage' };
		const store = DisclosureStore.in(staticData);
		for (let i = 0; i < 5_010; i++) store.recordBot(`acct|${i}`, T0 + i, true);
		store.recordBot('acct|3', T0 + 99_999, false); // touched again: kept
		store.recordBot('acct|new', T0, true);
		expect(store.size).toBe(5_000);
		expect(store.get('acct|0')).toEqual({});
		expect(store.get('acct|3').lastBotAt).toBe(T0 + 99_999);
		expect(store.get('acct|new').disclosedAt).toBe(T0);
	});
});
