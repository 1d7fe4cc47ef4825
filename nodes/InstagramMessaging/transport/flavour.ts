import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/**
 * Meta's two ways into Instagram DMs (instagram-api.md §1): Instagram API with Instagram Login
 * on graph.instagram.com, and Instagram messaging through a Facebook Page on graph.facebook.com.
 */
export type Flavour = 'instagramLogin' | 'facebookPage';

export const DEFAULT_BASE_URL: Record<Flavour, string> = {
	instagramLogin: 'https://graph.instagram.com',
	facebookPage: 'https://graph.facebook.com',
};

/** Credential type name → flavour. Every credential this package ships is listed here. */
export const CREDENTIAL_FLAVOUR: Record<string, Flavour> = {
	instagramLoginApi: 'instagramLogin',
	facebookPageApi: 'facebookPage',
};

export interface GraphConnection {
	credentialType: string;
	flavour: Flavour;
	/** Scheme and host, no trailing slash, no version: the Graph API version is added per call. */
	baseUrl: string;
	/** The node that stands for "this account" in paths: `me` works on both flavours. */
	selfId: string;
	/** Stable, secret-free key of the account behind the credential (for client-side rate limits). */
	accountKey: string;
}

export function flavourOf(credentialType: string): Flavour {
	const flavour = CREDENTIAL_FLAVOUR[credentialType];
	if (!flavour) throw new Error(`Unknown credential type "${credentialType}"`);
	return flavour;
}

/** The sandbox stands in for Meta through this override; against Meta it is never needed. */
export function resolveBaseUrl(flavour: Flavour, credentials: ICredentialDataDecryptedObject): string {
	const custom = credentials.useCustomBaseUrl === true ? String(credentials.baseUrl ?? '').trim() : '';
	return (custom || DEFAULT_BASE_URL[flavour]).replace(/\/+$/, '');
}

export function connectionFor(
	credentialType: string,
	credentials: ICredentialDataDecryptedObject,
): GraphConnection {
	const flavour = flavourOf(credentialType);
	const baseUrl = resolveBaseUrl(flavour, credentials);
	const accountKey = createHash('sha256')
		.update(`${baseUrl}|${String(credentials.accessToken ?? '')}`)
		.digest('hex')
		.slice(0, 16);
	return { credentialType, flavour, baseUrl, selfId: 'me', accountKey };
}
