import type { ICredentialDataDecryptedObject, INodeProperties } from 'n8n-workflow';

/**
 * Meta's two ways into Instagram DMs (instagram-api.md §1): Instagram API with Instagram Login
 * on graph.instagram.com, and Instagram messaging through a Facebook Page on graph.facebook.com.
 */
export type Flavour = 'instagramLogin' | 'facebookPage';

/**
 * One pinned Graph API version for every call, the credential tests included (instagram-api.md
 * §1.4). v26.0 shipped on 29 July 2026 and stays callable for about two years; bump it here and
 * nowhere else.
 */
export const GRAPH_API_VERSION = 'v26.0';

export const META_BASE_URL: Record<Flavour, string> = {
	instagramLogin: 'https://graph.instagram.com',
	facebookPage: 'https://graph.facebook.com',
};

/** The one field that points a credential at another host than Meta's (a proxy, or a stand-in). */
export function apiBaseUrlProperty(flavour: Flavour, standsFor = META_BASE_URL[flavour]): INodeProperties {
	const metaHost = META_BASE_URL[flavour];
	return {
		displayName: 'API Base URL',
		name: 'apiBaseUrl',
		type: 'string',
		default: metaHost,
		placeholder: metaHost,
		description: `Scheme and host that calls go to instead of ${standsFor}. Keep the default unless your calls must go through a proxy or a stand-in such as this package's sandbox.`,
	};
}

/** Scheme and host for this credential's calls, without a trailing slash and without the version. */
export function apiBaseUrl(flavour: Flavour, credentials: ICredentialDataDecryptedObject): string {
	const custom = typeof credentials.apiBaseUrl === 'string' ? credentials.apiBaseUrl.trim() : '';
	return (custom || META_BASE_URL[flavour]).replace(/\/+$/, '');
}

/** The same rule as an n8n expression body, for credential tests and OAuth2 URLs (`source`: `$credentials` or `$self`). */
export function apiBaseUrlExpression(flavour: Flavour, source: '$credentials' | '$self'): string {
	return `((${source}["apiBaseUrl"] || "").trim() || "${META_BASE_URL[flavour]}").replace(/\\/+$/, "")`;
}
