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
		description: `Scheme and host that calls go to instead of ${standsFor}: Meta's own host over HTTPS, or a stand-in on this machine (http://127.0.0.1:PORT, such as this package's sandbox). Keep the default.`,
	};
}

/**
 * Where a credential may send its token: Meta's Graph hosts over HTTPS, or loopback (the sandbox).
 * Anything else would let someone who may edit a shared credential, but not read its secrets,
 * receive the token on the next call.
 */
const ALLOWED_BASE_URL =
	/^(https:\/\/graph\.(instagram|facebook)\.com|https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:[0-9]{1,5})?)$/;
/** What the expression form resolves to for a refused URL: a host that can never resolve. */
const REFUSED_BASE_URL = 'https://api-base-url-must-be-meta-or-loopback.invalid';

export function isAllowedApiBaseUrl(url: string): boolean {
	return ALLOWED_BASE_URL.test(url);
}

export class ApiBaseUrlError extends Error {
	constructor(url: string) {
		super(
			`The credential's API Base URL "${url.slice(0, 100)}" is not Meta's host nor this machine: use https://graph.instagram.com, https://graph.facebook.com, or http://127.0.0.1:<port> for the sandbox`,
		);
		this.name = 'ApiBaseUrlError';
	}
}

/** Scheme and host for this credential's calls, without a trailing slash and without the version. */
export function apiBaseUrl(flavour: Flavour, credentials: ICredentialDataDecryptedObject): string {
	const custom = typeof credentials.apiBaseUrl === 'string' ? credentials.apiBaseUrl.trim() : '';
	const url = (custom || META_BASE_URL[flavour]).replace(/\/+$/, '');
	if (!isAllowedApiBaseUrl(url)) throw new ApiBaseUrlError(url);
	return url;
}

/**
 * The same rule as an n8n expression body, for credential tests and OAuth2 URLs (`source`:
 * `$credentials` or `$self`); a refused URL becomes a host that never resolves.
 */
export function apiBaseUrlExpression(flavour: Flavour, source: '$credentials' | '$self'): string {
	const url = `((${source}["apiBaseUrl"] || "").trim() || "${META_BASE_URL[flavour]}").replace(/\\/+$/, "")`;
	return `(${ALLOWED_BASE_URL.toString()}.test(${url}) ? ${url} : "${REFUSED_BASE_URL}")`;
}
