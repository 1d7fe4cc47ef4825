/**
 * When an Instagram Login token is refreshed (instagram-api.md §1.2.5–1.2.6, §9): Meta refreshes
 * a long-lived token once it is at least 24 hours old and has not expired, and issues it for 60
 * days. Pure rules, no HTTP.
 */

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
/** Meta refreshes a token only once it is at least 24 h old (§1.2.6). */
export const MIN_REFRESH_AGE_MS = DAY_MS;
/** Refresh when the token enters its last 10 days (as Chatwoot does) … */
export const EXPIRY_WINDOW_MS = 10 * DAY_MS;

export interface TokenState {
	token: string;
	/** When the token was issued (ms), or when this credential first saw it (an upper bound). */
	issuedAt: number;
	/** When it expires (ms); undefined when unknown (a pasted dashboard token). */
	expiresAt?: number;
}

/**
 * The first moment a refresh is both allowed and useful: the token is at least 24 h old and
 * within 10 days of its expiry. With Meta's 60-day tokens that is day 50. A token whose expiry is
 * unknown is refreshed 24 h after it was first seen, which also tells us the real expiry. Only
 * tokens that live less than two days (Meta issues none; stand-ins issue tokens of seconds) are
 * refreshed at half their life, since waiting 24 h would outlive them.
 */
export function refreshDueAt(state: TokenState): number {
	if (state.expiresAt === undefined) return state.issuedAt + MIN_REFRESH_AGE_MS;
	const half = Math.floor((state.expiresAt - state.issuedAt) / 2);
	const earliest = state.issuedAt + Math.min(MIN_REFRESH_AGE_MS, half);
	return Math.max(earliest, state.expiresAt - Math.min(EXPIRY_WINDOW_MS, half));
}

export function isRefreshDue(state: TokenState, now: number): boolean {
	return now >= refreshDueAt(state);
}
