/**
 * Token life cycle (instagram-api.md §1.2.3–1.2.6, §1.3.3):
 * - `GET /oauth/authorize` (www.instagram.com): redirects to `redirect_uri?code=…&state=…#_`;
 * - `POST /oauth/access_token` (api.instagram.com): form-encoded only, single-use codes valid 1 h,
 *   Meta's non-Graph error shape, wrapped `{ data: [...] }` or flat answer (configurable);
 * - `GET /access_token?grant_type=ig_exchange_token` and
 *   `GET /refresh_access_token?grant_type=ig_refresh_token` (graph.instagram.com, unversioned);
 * - Graph `GET /me/accounts` and `GET /{page-id}`: `pages.ts`.
 * Lifetimes and the "at least 24 h old" rule live in `state.tokenSettings` so tests can use seconds.
 */
import { randomBytes } from 'crypto';

import { GraphError, graphErrors } from '../errors';
import type { HandlerResult, RequestContext } from '../http';
import { optString } from '../http';
import type { IssuedToken } from '../state';
import type { JsonObject, SandboxAccount } from '../types';
import { extractToken } from './auth';
import type { GraphServices } from './context';

/** api.instagram.com's error shape (not the Graph error object). */
function oauthError(message: string, code = 400, errorType = 'OAuthException'): HandlerResult {
	return { status: code, json: { error_type: errorType, code, error_message: message } };
}

function graphFail(error: GraphError): HandlerResult {
	return { status: error.status, json: error.toJSON(), headers: error.headers };
}

function isoSeconds(ms: number): string {
	return new Date(ms).toUTCString();
}

/** Meta's 190/463 for a token past its lifetime. */
export function expiredTokenError(expiresAt: number, now: number): GraphError {
	return new GraphError(400, {
		message: `Error validating access token: Session has expired on ${isoSeconds(expiresAt)}. The current time is ${isoSeconds(now)}.`,
		type: 'OAuthException',
		code: 190,
		error_subcode: 463,
	});
}

/** Throws 190/463 when the request carries an issued token that has expired. */
export function assertTokenAlive(req: RequestContext, services: GraphServices): void {
	const token = extractToken(req);
	if (!token) return;
	const issued = services.state.issuedToken(token);
	const now = services.clock.now();
	if (issued?.expiresAt !== undefined && now >= issued.expiresAt)
		throw expiredTokenError(issued.expiresAt, now);
}

function instagramAccountByAppId(
	services: GraphServices,
	clientId: string | undefined,
): SandboxAccount | undefined {
	return services.state
		.accounts()
		.find((account) => account.flavour === 'instagram' && account.instagramAppId === clientId);
}

function authorize(req: RequestContext, services: GraphServices): HandlerResult {
	const q = req.query;
	const clientId = q.get('client_id') ?? undefined;
	const redirectUri = q.get('redirect_uri');
	const account = instagramAccountByAppId(services, clientId);
	if (!account) return oauthError('Invalid platform app', 400);
	if (!redirectUri) return oauthError('Missing required parameter: redirect_uri', 400);
	if (q.get('response_type') !== 'code') return oauthError('Invalid response_type', 400);
	const scope = q.get('scope') ?? '';
	const scopes = scope.split(/[,\s]+/).filter(Boolean);
	if (!scopes.includes('instagram_business_basic'))
		return oauthError('Invalid scope: instagram_business_basic is required', 400);
	const target = new URL(redirectUri);
	if (q.get('deny') === '1') {
		target.searchParams.set('error', 'access_denied');
		target.searchParams.set('error_reason', 'user_denied');
		target.searchParams.set('error_description', 'The user denied your request');
	} else {
		const code = `AQ${randomBytes(24).toString('base64url')}`;
		services.state.addCode({
			code,
			accountId: account.igUserId,
			clientId: clientId ?? '',
			redirectUri,
			scope: scopes.join(','),
			issuedAt: services.clock.now(),
			used: false,
		});
		target.searchParams.set('code', code);
	}
	const state = q.get('state');
	if (state !== null) target.searchParams.set('state', state);
	// Meta appends `#_` to the redirect; it is not part of the code (§1.2.3).
	return { status: 302, headers: { Location: `${target.toString()}#_` }, text: '' };
}

function exchangeCode(req: RequestContext, services: GraphServices): HandlerResult {
	const type = String(req.headers['content-type'] ?? '').toLowerCase();
	// api.instagram.com reads form fields only; a JSON body reads as "no client_id" (§1.2.4).
	if (!type.includes('application/x-www-form-urlencoded'))
		return oauthError('Missing required field client_id');
	const body = req.body;
	const clientId = optString(body, 'client_id');
	if (!clientId) return oauthError('Missing required field client_id');
	const account = instagramAccountByAppId(services, clientId);
	if (!account || account.flavour !== 'instagram') return oauthError('Invalid platform app');
	if (optString(body, 'client_secret') !== account.instagramAppSecret) {
		return oauthError('Error validating client secret.');
	}
	if (optString(body, 'grant_type') !== 'authorization_code') return oauthError('Unsupported grant_type');
	const { state, clock } = services;
	const code = state.authorizationCode(optString(body, 'code') ?? '');
	const now = clock.now();
	if (
		!code ||
		code.used ||
		code.clientId !== clientId ||
		now - code.issuedAt >= state.tokenSettings.codeTtlMs
	) {
		return oauthError('Matching code was not found or was already used');
	}
	if (optString(body, 'redirect_uri') !== code.redirectUri) {
		return oauthError(
			'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
		);
	}
	code.used = true;
	const issued = state.issueToken(code.accountId, 'short', now, state.tokenSettings.shortLivedMs);
	const appScopedId = state.account(code.accountId);
	const userId = appScopedId.flavour === 'instagram' ? appScopedId.id : appScopedId.igUserId;
	const entry: JsonObject = {
		access_token: issued.token,
		user_id: state.tokenSettings.userIdAsNumber ? Number(userId) : userId,
		permissions: code.scope,
	};
	return { status: 200, json: state.tokenSettings.tokenResponse === 'wrapped' ? { data: [entry] } : entry };
}

function tokenAnswer(issued: IssuedToken): HandlerResult {
	const expiresIn =
		issued.expiresAt === undefined ? 0 : Math.round((issued.expiresAt - issued.issuedAt) / 1000);
	return { status: 200, json: { access_token: issued.token, token_type: 'bearer', expires_in: expiresIn } };
}

/** Resolve the token of a token-endpoint call, or answer with Meta's 190 errors. */
function liveToken(
	services: GraphServices,
	token: string | undefined,
): { issued?: IssuedToken; account: SandboxAccount } | HandlerResult {
	if (!token) return graphFail(graphErrors.missingToken());
	const { state, clock } = services;
	const issued = state.issuedToken(token);
	const account = state.accountByToken(token);
	if (!account) return graphFail(graphErrors.invalidToken());
	const now = clock.now();
	if (issued?.expiresAt !== undefined && now >= issued.expiresAt)
		return graphFail(expiredTokenError(issued.expiresAt, now));
	return { issued, account };
}

function exchangeLongLived(req: RequestContext, services: GraphServices): HandlerResult {
	const q = req.query;
	if (q.get('grant_type') !== 'ig_exchange_token') {
		return graphFail(graphErrors.invalidParameter('grant_type must be ig_exchange_token'));
	}
	const resolved = liveToken(services, q.get('access_token') ?? undefined);
	if ('status' in resolved) return resolved;
	const { issued, account } = resolved;
	if (account.flavour !== 'instagram') return graphFail(graphErrors.invalidToken());
	if (q.get('client_secret') !== account.instagramAppSecret) {
		return graphFail(
			new GraphError(400, { message: 'Error validating client secret.', type: 'OAuthException', code: 101 }),
		);
	}
	if (issued?.kind !== 'short') {
		return graphFail(
			graphErrors.invalidParameter('Only a short-lived access token can be exchanged for a long-lived one'),
		);
	}
	const { state, clock } = services;
	return tokenAnswer(
		state.issueToken(account.igUserId, 'long', clock.now(), state.tokenSettings.longLivedMs),
	);
}

function refreshLongLived(req: RequestContext, services: GraphServices): HandlerResult {
	const q = req.query;
	if (q.get('grant_type') !== 'ig_refresh_token') {
		return graphFail(graphErrors.invalidParameter('grant_type must be ig_refresh_token'));
	}
	const resolved = liveToken(services, q.get('access_token') ?? undefined);
	if ('status' in resolved) return resolved;
	const { issued, account } = resolved;
	if (account.flavour !== 'instagram') return graphFail(graphErrors.invalidToken());
	const { state, clock } = services;
	const now = clock.now();
	// Seeded dashboard tokens count as long-lived and old enough; issued ones follow the rules.
	if (issued?.kind === 'short') {
		return graphFail(
			graphErrors.invalidParameter(
				'A short-lived access token cannot be refreshed; exchange it for a long-lived one first',
			),
		);
	}
	if (issued && now - issued.issuedAt < state.tokenSettings.refreshMinAgeMs) {
		return graphFail(
			graphErrors.invalidParameter('The access token must be at least 24 hours old to be refreshed'),
		);
	}
	const refreshed = state.issueToken(account.igUserId, 'long', now, state.tokenSettings.longLivedMs);
	refreshed.refreshedFrom = q.get('access_token') ?? undefined;
	return tokenAnswer(refreshed);
}

const TOKEN_PATH_RE = /^(?:\/v\d+\.\d+)?\/(access_token|refresh_access_token)$/;

/** Whether `handleOAuthRequest` answers `req` (the OAuth and token endpoints). */
export function isOAuthRequest(req: RequestContext): boolean {
	if (req.path === '/oauth/authorize') return req.method === 'GET';
	return req.path === '/oauth/access_token' || (req.method === 'GET' && TOKEN_PATH_RE.test(req.path));
}

/** The unversioned OAuth and token endpoints; `undefined` for every other request. */
export function handleOAuthRequest(req: RequestContext, services: GraphServices): HandlerResult | undefined {
	if (req.method === 'GET' && req.path === '/oauth/authorize') return authorize(req, services);
	if (req.path === '/oauth/access_token') {
		return req.method === 'POST' ? exchangeCode(req, services) : oauthError('Unsupported method', 405);
	}
	const m = TOKEN_PATH_RE.exec(req.path);
	if (m && req.method === 'GET')
		return m[1] === 'access_token' ? exchangeLongLived(req, services) : refreshLongLived(req, services);
	return undefined;
}
