import { createHash } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';

/**
 * Keeps an Instagram Login token alive (instagram-api.md §1.2.5–1.2.6, §9).
 *
 * n8n 2.41 runs a credential's `preAuthentication` before every request when the credential has
 * a hidden property with `typeOptions.expirable` whose value is `''`, and persists whatever it
 * returns into the stored credential (all n8n processes read it from the database). The
 * `refreshCheck` field below is that property: it is always `''`, so the check runs on every call;
 * it is cheap (no HTTP) until the token is due for a refresh.
 */

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
/** Meta refreshes a token only once it is at least 24 h old (§1.2.6). */
export const DEFAULT_MIN_AGE_MS = DAY_MS;
/** Refresh when the token enters its last 10 days (as Chatwoot does) … */
export const EXPIRY_WINDOW_MS = 10 * DAY_MS;

export interface TokenState {
	token: string;
	/** When the token was issued (ms), or when this credential first saw it (an upper bound). */
	issuedAt: number;
	/** When it expires (ms); undefined when unknown (a pasted dashboard token). */
	expiresAt?: number;
}

export interface RefreshRules {
	minAgeMs: number;
}

/**
 * The first moment a refresh is both allowed and useful: the token is at least `minAgeMs` old
 * and within 10 days of its expiry — or past half its life, for short lifetimes (tests, the
 * sandbox). With Meta's 60-day tokens that is day 50. An unknown expiry refreshes as soon as
 * Meta allows it, which also tells us the real expiry.
 */
export function refreshDueAt(state: TokenState, rules: RefreshRules): number {
	const earliest = state.issuedAt + rules.minAgeMs;
	if (state.expiresAt === undefined) return earliest;
	const lifetime = state.expiresAt - state.issuedAt;
	const window = Math.min(EXPIRY_WINDOW_MS, Math.floor(lifetime / 2));
	return Math.max(earliest, state.expiresAt - window);
}

export function isRefreshDue(state: TokenState, now: number, rules: RefreshRules): boolean {
	return now >= refreshDueAt(state, rules);
}

/** Not the token: a stable, one-way fingerprint to notice when the user pasted a new one. */
export function fingerprint(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

function numberOf(value: unknown): number | undefined {
	const n =
		typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
	return Number.isFinite(n) ? n : undefined;
}

/** Hidden fields of a token-keeping credential. `refreshCheck` is the expirable one. */
export const tokenStateProperties = [
	{
		displayName: 'Refresh Check',
		name: 'refreshCheck',
		type: 'hidden' as const,
		typeOptions: { expirable: true },
		default: '',
	},
	{
		displayName: 'Current Token',
		name: 'currentToken',
		type: 'hidden' as const,
		typeOptions: { password: true },
		default: '',
	},
	{ displayName: 'Token Source', name: 'tokenSource', type: 'hidden' as const, default: '' },
	{ displayName: 'Token Issued At', name: 'tokenIssuedAt', type: 'hidden' as const, default: '' },
	{ displayName: 'Token Expires At', name: 'tokenExpiresAt', type: 'hidden' as const, default: '' },
];

/**
 * The token state stored for `sourceToken` (what the user pasted, or what OAuth produced), or
 * undefined when there is none yet or it belongs to an earlier source token.
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

/** The token requests are signed with: the refreshed one when it descends from the current source. */
export function effectiveToken(credentials: ICredentialDataDecryptedObject, sourceToken: string): string {
	return storedTokenState(credentials, sourceToken)?.token ?? sourceToken;
}

/** The credential fields that record `state` for `sourceToken`. */
export function persistState(state: TokenState, sourceToken: string): IDataObject {
	return {
		refreshCheck: '',
		currentToken: state.token,
		tokenSource: fingerprint(sourceToken),
		tokenIssuedAt: String(state.issuedAt),
		tokenExpiresAt: state.expiresAt === undefined ? '' : String(state.expiresAt),
	};
}

interface TokenAnswer {
	ok: boolean;
	token?: string;
	expiresInSeconds?: number;
	errorCode?: number;
}

function readTokenAnswer(response: unknown): TokenAnswer {
	const full = (typeof response === 'object' && response !== null ? response : {}) as {
		statusCode?: number;
		body?: unknown;
	};
	let body = full.body;
	if (typeof body === 'string') {
		try {
			body = JSON.parse(body) as unknown;
		} catch {
			body = {};
		}
	}
	const data = (typeof body === 'object' && body !== null ? body : {}) as IDataObject;
	const status = full.statusCode ?? 0;
	if (status >= 200 && status < 300 && typeof data.access_token === 'string' && data.access_token !== '') {
		return { ok: true, token: data.access_token, expiresInSeconds: numberOf(data.expires_in) };
	}
	const error = (data.error ?? {}) as IDataObject;
	return { ok: false, errorCode: numberOf(error.code) };
}

/**
 * Calls a graph.instagram.com token endpoint. Never throws and never returns the URL or the
 * error text (both contain the token or the secret).
 */
export async function callTokenEndpoint(
	helpers: IHttpRequestHelper,
	baseUrl: string,
	path: '/access_token' | '/refresh_access_token',
	qs: IDataObject,
): Promise<TokenAnswer> {
	const options: IHttpRequestOptions = {
		method: 'GET',
		url: `${baseUrl}${path}`,
		qs,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	try {
		return readTokenAnswer(await helpers.helpers.httpRequest(options));
	} catch {
		return { ok: false };
	}
}

export function stateFromAnswer(answer: TokenAnswer, now: number): TokenState | undefined {
	if (!answer.ok || answer.token === undefined) return undefined;
	const expiresAt =
		answer.expiresInSeconds !== undefined && answer.expiresInSeconds > 0
			? now + answer.expiresInSeconds * 1000
			: undefined;
	return { token: answer.token, issuedAt: now, expiresAt };
}

/** After a failed refresh, the next try waits this long, doubling per failure up to the cap. */
export const REFRESH_BACKOFF_MS = 60_000;
export const REFRESH_BACKOFF_MAX_MS = 60 * 60_000;

/**
 * One `ig_refresh_token` call for `token` (or none while a failed one backs off: undefined).
 * Refreshes in this process are keyed by a fingerprint of the token being refreshed: concurrent
 * items share one call, and a failed refresh is not tried again on every request.
 */
const refreshes = new Map<
	string,
	{ inFlight?: Promise<TokenAnswer>; failures: number; retryAt: number; succeeded?: TokenAnswer }
>();
/** Forgets the refreshes of this process (tests simulate a fresh process with it). */
export function forgetTokenRefreshes(): void {
	refreshes.clear();
}

/** A successful answer is reused this long, for requests that still carry the old token. */
const SUCCESS_REUSE_MS = 60_000;

export async function refreshOnce(
	helpers: IHttpRequestHelper,
	baseUrl: string,
	token: string,
	now: number,
): Promise<TokenAnswer | undefined> {
	const key = fingerprint(token);
	let entry = refreshes.get(key);
	if (entry?.inFlight) return await entry.inFlight;
	if (entry?.succeeded && now < entry.retryAt) return entry.succeeded;
	if (entry && now < entry.retryAt) return undefined;
	if (refreshes.size > 1_000) refreshes.clear();
	entry ??= { failures: 0, retryAt: 0 };
	refreshes.set(key, entry);
	const current = entry;
	current.inFlight = callTokenEndpoint(helpers, baseUrl, '/refresh_access_token', {
		grant_type: 'ig_refresh_token',
		access_token: token,
	});
	try {
		const answer = await current.inFlight;
		if (answer.ok) {
			current.succeeded = answer;
			current.retryAt = now + SUCCESS_REUSE_MS;
		} else {
			current.failures += 1;
			current.retryAt =
				now + Math.min(REFRESH_BACKOFF_MAX_MS, REFRESH_BACKOFF_MS * 2 ** (current.failures - 1));
		}
		return answer;
	} finally {
		current.inFlight = undefined;
	}
}

/**
 * The whole rule, shared by the access-token credential (source = the pasted token):
 * - first sight of a source token: record it, no HTTP (its age is unknown; it is at most "now");
 * - not due: nothing (no write);
 * - due: `ig_refresh_token`, one call per token at a time (concurrent items share it); success →
 *   persist the new token and its lifetime; failure → keep the current token and wait 1 min,
 *   2 min, … up to 1 h before the next try (an expired or revoked token then fails with Meta's 190,
 *   which the node turns into "reconnect").
 */
export async function maintainInstagramToken(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	options: { sourceToken: string; baseUrl: string; rules: RefreshRules; now: number },
): Promise<IDataObject> {
	const { sourceToken, baseUrl, rules, now } = options;
	if (sourceToken === '') return {};
	const stored = storedTokenState(credentials, sourceToken);
	if (!stored) return persistState({ token: sourceToken, issuedAt: now }, sourceToken);
	if (!isRefreshDue(stored, now, rules)) return {};
	const answer = await refreshOnce(helpers, baseUrl, stored.token, now);
	if (answer === undefined) return {};
	const next = stateFromAnswer(answer, now);
	return next ? persistState(next, sourceToken) : {};
}

/** Minimum token age before a refresh: Meta's 24 h, or a shorter one against the sandbox. */
export function refreshRulesOf(credentials: ICredentialDataDecryptedObject): RefreshRules {
	const custom =
		credentials.useCustomBaseUrl === true ? numberOf(credentials.refreshMinAgeSeconds) : undefined;
	return { minAgeMs: custom !== undefined && custom >= 0 ? custom * 1000 : DEFAULT_MIN_AGE_MS };
}

export function instagramBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const custom = credentials.useCustomBaseUrl === true ? String(credentials.baseUrl ?? '').trim() : '';
	return (custom || 'https://graph.instagram.com').replace(/\/+$/, '');
}
