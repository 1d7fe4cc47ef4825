import type { IDataObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { perProcessMap } from '../../nodes/InstagramMessaging/processMemory';
import { fingerprint } from '../../nodes/InstagramMessaging/transport/fingerprint';
import { numberOf, type TokenState } from '../../nodes/InstagramMessaging/transport/tokenRules';

export interface TokenAnswer {
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
/** A successful answer is reused this long, for requests that still carry the old token. */
const SUCCESS_REUSE_MS = 60_000;

interface RefreshEntry {
	inFlight?: Promise<TokenAnswer>;
	failures: number;
	retryAt: number;
	succeeded?: TokenAnswer;
}

/** Refreshes in this process, keyed by a fingerprint of the token being refreshed. */
const refreshes = perProcessMap<string, RefreshEntry>('tokenRefreshes', 1_000);

/**
 * One `ig_refresh_token` call for `token` (or none while a failed one backs off: undefined).
 * Concurrent items share one call, and a failed refresh is not tried again on every request.
 */
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

/** The refreshed state of `state`'s token, or undefined when Meta did not refresh it (or backs off). */
export async function refreshedState(
	helpers: IHttpRequestHelper,
	baseUrl: string,
	state: TokenState,
	now: number,
): Promise<TokenState | undefined> {
	const answer = await refreshOnce(helpers, baseUrl, state.token, now);
	return answer && stateFromAnswer(answer, now);
}
