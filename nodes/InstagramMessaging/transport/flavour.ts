import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';

import { apiBaseUrl, type Flavour } from './graphApi';

export type { Flavour } from './graphApi';

/** Credential type name → flavour. Every credential this package ships is listed here. */
export const CREDENTIAL_FLAVOUR: Record<string, Flavour> = {
	instagramLoginApi: 'instagramLogin',
	instagramLoginOAuth2Api: 'instagramLogin',
	facebookPageApi: 'facebookPage',
};

/**
 * Secret-free identity of the account behind a credential: the token the user pasted (stable
 * across refreshes, which live in hidden fields), or the OAuth app and user of an OAuth2
 * credential (its token data may be wrapped in `data[0]`).
 */
function accountIdentity(credentials: ICredentialDataDecryptedObject): string {
	if (typeof credentials.accessToken === 'string' && credentials.accessToken !== '')
		return credentials.accessToken;
	const raw = credentials.oauthTokenData;
	if (typeof raw === 'object' && raw !== null) {
		const data = raw as { data?: unknown; user_id?: unknown; access_token?: unknown };
		const entry = (Array.isArray(data.data) ? data.data[0] : data) as
			{ user_id?: unknown; access_token?: unknown } | undefined;
		const userId = entry?.user_id;
		if (userId !== undefined && userId !== null && userId !== '')
			return `${String(credentials.clientId ?? '')}|${String(userId)}`;
		if (typeof entry?.access_token === 'string') return entry.access_token;
	}
	return '';
}

export interface GraphConnection {
	credentialType: string;
	flavour: Flavour;
	/** Scheme and host, no trailing slash, no version: the Graph API version is added per call. */
	baseUrl: string;
	/** The node that stands for "this account" in paths: `me` works on both flavours. */
	selfId: string;
	/** Stable, secret-free key of the account behind the credential (for client-side rate limits). */
	accountKey: string;
	/**
	 * The credential as read once for this run, handed to n8n with every request so that n8n does
	 * not read and decrypt it again per call. n8n's token refresh updates this object in place.
	 */
	credentials?: ICredentialsDecrypted;
	/** When `credentials` was last read again because its token was due (`credentialCopy.ts`). */
	rereadAt?: number;
}

export function flavourOf(credentialType: string): Flavour {
	const flavour = CREDENTIAL_FLAVOUR[credentialType];
	if (!flavour) throw new Error(`Unknown credential type "${credentialType}"`);
	return flavour;
}

export function connectionFor(
	credentialType: string,
	credentials: ICredentialDataDecryptedObject,
): GraphConnection {
	const flavour = flavourOf(credentialType);
	const baseUrl = apiBaseUrl(flavour, credentials);
	const accountKey = createHash('sha256')
		.update(`${baseUrl}|${accountIdentity(credentials)}`)
		.digest('hex')
		.slice(0, 16);
	return { credentialType, flavour, baseUrl, selfId: 'me', accountKey };
}
