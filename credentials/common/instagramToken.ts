import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { fingerprint } from '../../nodes/InstagramMessaging/transport/fingerprint';
import {
	isRefreshDueHere,
	storedTokenState,
	type TokenState,
} from '../../nodes/InstagramMessaging/transport/tokenRules';
import { refreshedState } from './tokenRefresh';

/**
 * Keeps an Instagram Login token alive in the access-token credential.
 *
 * n8n 2.41 runs a credential's `preAuthentication` before every request when the credential has
 * a hidden property with `typeOptions.expirable` whose value is `''`, and persists whatever it
 * returns into the stored credential (all n8n processes read it from the database). The
 * `refreshCheck` field below is that property: it is always `''`, so the check runs on every call;
 * it is cheap (no HTTP) until the token is due for a refresh.
 */

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

/**
 * The whole rule for the access-token credential (source = the pasted token):
 * - first sight of a source token: record it, no HTTP (its age is unknown; it is at most "now");
 * - not due in this process (`tokenRules.ts`, spread over the processes): nothing (no write);
 * - due: `ig_refresh_token`, one call per token at a time (concurrent items share it); success →
 *   persist the new token and its lifetime; failure → keep the current token and wait 1 min,
 *   2 min, … up to 1 h before the next try (an expired or revoked token then fails with Meta's 190,
 *   which the node turns into "reconnect").
 */
export async function maintainInstagramToken(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	options: { sourceToken: string; baseUrl: string; now: number },
): Promise<IDataObject> {
	const { sourceToken, baseUrl, now } = options;
	if (sourceToken === '') return {};
	const stored = storedTokenState(credentials, sourceToken);
	if (!stored) return persistState({ token: sourceToken, issuedAt: now }, sourceToken);
	if (!isRefreshDueHere(stored, now)) return {};
	const next = await refreshedState(helpers, baseUrl, stored, now);
	return next ? persistState(next, sourceToken) : {};
}
