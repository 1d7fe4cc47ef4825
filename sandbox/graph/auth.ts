import { graphErrors } from '../errors';
import type { RequestContext } from '../http';
import { optString } from '../http';
import type { SandboxState } from '../state';
import type { SandboxAccount } from '../types';

/** The access token from `Authorization: Bearer|OAuth <token>`, `?access_token=` or a body param. */
export function extractToken(req: RequestContext): string | undefined {
	const header = req.headers.authorization;
	if (typeof header === 'string') {
		const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim());
		if (m?.[1]) return m[1].trim();
	}
	const fromQuery = req.query.get('access_token');
	if (fromQuery) return fromQuery;
	return optString(req.body, 'access_token') || undefined;
}

/** Resolve the account a request acts as, or throw Meta's auth errors (2500/104, 190). */
export function authenticate(req: RequestContext, state: SandboxState, relativePath: string): SandboxAccount {
	const token = extractToken(req);
	if (!token) {
		throw relativePath === '/me' || relativePath.startsWith('/me/')
			? graphErrors.missingTokenMe()
			: graphErrors.missingToken();
	}
	const account = state.accountByToken(token);
	if (!account) throw graphErrors.invalidToken();
	return account;
}
