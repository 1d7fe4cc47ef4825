import {
	DAY_MS,
	HOUR_MS,
	isRefreshDue,
	refreshDueAt,
	refreshDueAtSpread,
	UNKNOWN_EXPIRY_SPREAD_MS,
} from '../../../nodes/InstagramMessaging/transport/tokenRules';

const T = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

describe('refresh rule: at least 24 h old and within 10 days of expiry (half its life for tokens under two days)', () => {
	it('a 60-day token is refreshed from day 50, not a millisecond earlier', () => {
		const state = { token: 't', issuedAt: T, expiresAt: T + 60 * DAY_MS };
		expect(refreshDueAt(state)).toBe(T + 50 * DAY_MS);
		expect(isRefreshDue(state, T + 50 * DAY_MS - 1)).toBe(false);
		expect(isRefreshDue(state, T + 50 * DAY_MS)).toBe(true);
		// Still due (and still attempted) after expiry: Meta then answers 190 and the node says reconnect.
		expect(isRefreshDue(state, T + 61 * DAY_MS)).toBe(true);
	});

	it('never before 24 h for a token that lives two days or more: 23 h 59 min old is too young', () => {
		const state = { token: 't', issuedAt: T, expiresAt: T + 2 * DAY_MS };
		// Half of a 2-day life is 1 day, so the expiry rule alone would say T + 24 h as well.
		expect(refreshDueAt(state)).toBe(T + DAY_MS);
		expect(isRefreshDue(state, T + 23 * HOUR_MS + 59 * MINUTE)).toBe(false);
		expect(isRefreshDue(state, T + DAY_MS - 1)).toBe(false);
		expect(isRefreshDue(state, T + DAY_MS)).toBe(true);
	});

	it('a token that lives less than two days (Meta issues none) is refreshed at half its life, before it expires', () => {
		const short = { token: 't', issuedAt: T, expiresAt: T + 20 * HOUR_MS };
		expect(refreshDueAt(short)).toBe(T + 10 * HOUR_MS);
		expect(refreshDueAt(short)).toBeLessThan(short.expiresAt);
	});

	it('a token of unknown expiry (pasted from the dashboard) is refreshed once 24 h after it was first seen', () => {
		const state = { token: 't', issuedAt: T };
		expect(isRefreshDue(state, T + 23 * HOUR_MS + 59 * MINUTE)).toBe(false);
		expect(isRefreshDue(state, T + 24 * HOUR_MS)).toBe(true);
	});

	it('past half its life for lifetimes of seconds (the sandbox)', () => {
		const state = { token: 't', issuedAt: T, expiresAt: T + 8_000 };
		expect(refreshDueAt(state)).toBe(T + 4_000);
		expect(isRefreshDue(state, T + 3_999)).toBe(false);
		expect(isRefreshDue(state, T + 4_000)).toBe(true);
	});

	it('the 10-day window starts exactly 10 days before expiry for long lifetimes', () => {
		const state = { token: 't', issuedAt: T, expiresAt: T + 30 * DAY_MS };
		expect(refreshDueAt(state)).toBe(T + 20 * DAY_MS);
	});
});

describe("each process's place in the refresh window (queue mode's workers)", () => {
	const T = 1_700_000_000_000;
	it('spreads over the first half of the time between the due moment and the expiry', () => {
		const state = { token: 't', issuedAt: T, expiresAt: T + 60 * DAY_MS };
		expect(refreshDueAtSpread(state, 0)).toBe(T + 50 * DAY_MS);
		expect(refreshDueAtSpread(state, 1)).toBe(T + 55 * DAY_MS);
		expect(isRefreshDue(state, T + 52 * DAY_MS, 0.5)).toBe(false);
		expect(isRefreshDue(state, T + 52.5 * DAY_MS, 0.5)).toBe(true);
	});

	it('a token of unknown expiry: within the hour after it is due', () => {
		const state = { token: 't', issuedAt: T };
		expect(refreshDueAtSpread(state, 1)).toBe(T + DAY_MS + UNKNOWN_EXPIRY_SPREAD_MS);
		expect(UNKNOWN_EXPIRY_SPREAD_MS).toBe(HOUR_MS);
	});
});
