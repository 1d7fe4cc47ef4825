/**
 * When an Instagram Login token is refreshed (instagram-api.md §1.2.5–1.2.6, §9): Meta refreshes
 * a long-lived token once it is at least 24 hours old and has not expired, and issues it for 60
 * days. No HTTP: the credentials refresh (`credentials/common/`), and the node reads a run's copy
 * of the credential again when its token comes due (`credentialCopy.ts`).
 */
import { createHash, randomBytes } from 'crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { perProcessMap } from '../processMemory';
import { fingerprint } from './fingerprint';

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

/** A token of unknown expiry is refreshed within this long after it is due. */
export const UNKNOWN_EXPIRY_SPREAD_MS = HOUR_MS;

/**
 * When one n8n process refreshes: `spread` (0 to 1, per process and token) places it in the first
 * half of the time between the due moment and the expiry. Several processes (queue mode's
 * workers) then do not reach a due token at the same moment: the first refreshes and n8n saves the
 * new token, and the others read it before they are due themselves. 0: the due moment.
 */
export function refreshDueAtSpread(state: TokenState, spread: number): number {
	const due = refreshDueAt(state);
	const span =
		state.expiresAt === undefined ? UNKNOWN_EXPIRY_SPREAD_MS : Math.max(0, state.expiresAt - due) / 2;
	return due + Math.floor(spread * span);
}

export function isRefreshDue(state: TokenState, now: number, spread = 0): boolean {
	return now >= refreshDueAtSpread(state, spread);
}

export function numberOf(value: unknown): number | undefined {
	const n =
		typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
	return Number.isFinite(n) ? n : undefined;
}

/**
 * The token state stored for `sourceToken` (what the user pasted), or undefined when there is
 * none yet or it belongs to an earlier source token.
 */
export function storedTokenState(
	credentials: ICredentialDataDecryptedObject,
	sourceToken: string,
): TokenState | undefined {
	const current = typeof credentials.currentToken === 'string' ? credentials.currentToken : '';
	const issuedAt = numberOf(credentials.tokenIssuedAt);
	if (current === '' || issuedAt === undefined || credentials.tokenSource !== fingerprint(sourceToken))
		return undefined;
	return { token: current, issuedAt, expiresAt: numberOf(credentials.tokenExpiresAt) };
}

const salts = perProcessMap<'salt', string>('refreshSpread', 1);

/**
 * This process's place among the processes that may refresh `token` (`refreshDueAtSpread`): drawn
 * from a salt of this process and the token, so that it holds for every check of one token here,
 * and two processes are apart by a new draw for each token.
 */
export function refreshSpread(token: string): number {
	let salt = salts.get('salt');
	if (salt === undefined) {
		salt = randomBytes(16).toString('hex');
		salts.set('salt', salt);
	}
	const digest = createHash('sha256').update(`${salt}|${token}`).digest();
	return digest.readUInt32BE(0) / 2 ** 32;
}

/** Whether this process should refresh `state`'s token now. */
export function isRefreshDueHere(state: TokenState, now: number): boolean {
	return isRefreshDue(state, now, refreshSpread(state.token));
}
