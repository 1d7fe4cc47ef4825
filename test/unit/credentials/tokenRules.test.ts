import {
	DAY_MS,
	DEFAULT_MIN_AGE_MS,
	HOUR_MS,
	isRefreshDue,
	refreshDueAt,
} from '../../../credentials/common/instagramToken';

const T = Date.UTC(2026, 0, 1);
const rules = { minAgeMs: DEFAULT_MIN_AGE_MS };
const MINUTE = 60_000;

describe('refresh rule: at least 24 h old and within 10 days of expiry (or past half its life)', () => {
	it('a 60-day token is refreshed from day 50, not a millisecond earlier', () => {
		const state = { token: 't', issuedAt: T, expiresAt: T + 60 * DAY_MS };
		expect(refreshDueAt(state, rules)).toBe(T + 50 * DAY_MS);
		expect(isRefreshDue(state, T + 50 * DAY_MS - 1, rules)).toBe(false);
		expect(isRefreshDue(state, T + 50 * DAY_MS, rules)).toBe(true);
		// Still due (and still attempted) after expiry: Meta then answers 190 and the node says reconnect.
		expect(isRefreshDue(state, T + 61 * DAY_MS, rules)).toBe(true);
	});

	it('never before 24 h: 23 h 59 min old is too young even when the token expires soon', () => {
		const state = { token: 't', issuedAt: T, expiresAt: T + 2 * DAY_MS };
		// Half of a 2-day life is 1 day, so the expiry rule alone would say T + 24 h as well.
		expect(refreshDueAt(state, rules)).toBe(T + DAY_MS);
		expect(isRefreshDue(state, T + 23 * HOUR_MS + 59 * MINUTE, rules)).toBe(false);
		expect(isRefreshDue(state, T + DAY_MS - 1, rules)).toBe(false);
		expect(isRefreshDue(state, T + DAY_MS, rules)).toBe(true);
		const short = { token: 't', issuedAt: T, expiresAt: T + 20 * HOUR_MS };
		expect(refreshDueAt(short, rules)).toBe(T + DAY_MS);
	});

	it('a token of unknown expiry (pasted from the dashboard) is refreshed once 24 h after it was first seen', () => {
		const state = { token: 't', issuedAt: T };
		expect(isRefreshDue(state, T + 23 * HOUR_MS + 59 * MINUTE, rules)).toBe(false);
		expect(isRefreshDue(state, T + 24 * HOUR_MS, rules)).toBe(true);
	});

	it('past half its life for short lifetimes (the sandbox uses seconds)', () => {
		const state = { token: 't', issuedAt: T, expiresAt: T + 8_000 };
		expect(refreshDueAt(state, { minAgeMs: 1_000 })).toBe(T + 4_000);
		expect(isRefreshDue(state, T + 3_999, { minAgeMs: 1_000 })).toBe(false);
		expect(isRefreshDue(state, T + 4_000, { minAgeMs: 1_000 })).toBe(true);
		expect(refreshDueAt(state, { minAgeMs: 5_000 })).toBe(T + 5_000);
	});

	it('the 10-day window starts exactly 10 days before expiry for long lifetimes', () => {
		const state = { token: 't', issuedAt: T, expiresAt: T + 30 * DAY_MS };
		expect(refreshDueAt(state, rules)).toBe(T + 20 * DAY_MS);
	});
});
