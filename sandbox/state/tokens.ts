/** Tokens the sandbox's OAuth endpoints issued and their authorization codes (`graph/oauth.ts`). */
import { randomBytes } from 'crypto';

import { DAY_MS, HOUR_MS } from '../defaults';
import type { SandboxAccount } from '../types';

/** Kinds of token the sandbox issues (instagram-api.md §1.2.4–1.2.6, §1.3.3). */
export type IssuedTokenKind = 'short' | 'long' | 'user' | 'page';

/** A token issued by the sandbox's OAuth endpoints (or by a test), with its lifetime. */
export interface IssuedToken {
	token: string;
	kind: IssuedTokenKind;
	/** igUserId of the account the token acts as. */
	accountId: string;
	issuedAt: number;
	/** Absent = never expires. */
	expiresAt?: number;
	/** The token whose `ig_refresh_token` call issued this one. */
	refreshedFrom?: string;
}

/** Token lifetimes and rules; tests shrink them to seconds. */
export interface TokenSettings {
	/** Short-lived Instagram token from the code exchange (Meta: 1 h). */
	shortLivedMs: number;
	/** Long-lived token from ig_exchange_token / ig_refresh_token (Meta: 60 days). */
	longLivedMs: number;
	/** A token must be at least this old to be refreshed (Meta: 24 h). */
	refreshMinAgeMs: number;
	/** Authorization codes are valid this long and once (Meta: 1 h). */
	codeTtlMs: number;
	/** Shape of the code-exchange response: documented `{ data: [...] }` or the flat object. */
	tokenResponse: 'wrapped' | 'flat';
	/** `user_id` in the code-exchange response as a JSON number (Meta sometimes does) or a string. */
	userIdAsNumber: boolean;
}

export const DEFAULT_TOKEN_SETTINGS: TokenSettings = {
	shortLivedMs: HOUR_MS,
	longLivedMs: 60 * DAY_MS,
	refreshMinAgeMs: DAY_MS,
	codeTtlMs: HOUR_MS,
	tokenResponse: 'wrapped',
	userIdAsNumber: false,
};

/** An authorization code from `GET /oauth/authorize`. */
export interface AuthorizationCode {
	code: string;
	accountId: string;
	clientId: string;
	redirectUri: string;
	scope: string;
	issuedAt: number;
	used: boolean;
}

/** Issued tokens and codes; they survive `reset()`. */
export class TokenStore {
	private readonly issued = new Map<string, IssuedToken>();
	private readonly codes = new Map<string, AuthorizationCode>();
	settings: TokenSettings = { ...DEFAULT_TOKEN_SETTINGS };

	configure(settings: Partial<TokenSettings>): TokenSettings {
		this.settings = { ...this.settings, ...settings };
		return this.settings;
	}

	/** Remember a token issued outside the OAuth endpoints (e.g. the seeded Facebook user token). */
	remember(entry: IssuedToken): void {
		this.issued.set(entry.token, entry);
	}

	/** Issue a token; every issue gets a new, unique string so tests can prove rotation. */
	issue(
		account: SandboxAccount,
		kind: IssuedTokenKind,
		seq: number,
		now: number,
		lifetimeMs?: number,
	): IssuedToken {
		const prefix = account.flavour === 'instagram' ? 'IGAA' : 'EAAB';
		const token = `${prefix}-${kind}-${seq}-${randomBytes(12).toString('hex')}`;
		const entry: IssuedToken = { token, kind, accountId: account.igUserId, issuedAt: now };
		if (lifetimeMs !== undefined) entry.expiresAt = now + lifetimeMs;
		this.issued.set(token, entry);
		return entry;
	}

	issuedToken(token: string): IssuedToken | undefined {
		return this.issued.get(token);
	}

	issuedTokens(): IssuedToken[] {
		return [...this.issued.values()];
	}

	/** Expire a token now (as a password change or a lapsed 60 days would). */
	expire(token: string, at: number): void {
		const entry = this.issued.get(token);
		if (entry) entry.expiresAt = at;
	}

	addCode(code: AuthorizationCode): void {
		this.codes.set(code.code, code);
	}

	authorizationCode(code: string): AuthorizationCode | undefined {
		return this.codes.get(code);
	}
}
