import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import {
	apiBaseUrl,
	apiBaseUrlExpression,
	apiBaseUrlProperty,
	GRAPH_API_VERSION,
	META_BASE_URL,
} from '../nodes/InstagramMessaging/transport/graphApi';
import { perProcessMap } from '../nodes/InstagramMessaging/processMemory';
import { instagramTestRules } from './common/credentialTests';
import { fingerprint } from '../nodes/InstagramMessaging/transport/fingerprint';
import { callTokenEndpoint, refreshedState, stateFromAnswer } from './common/tokenRefresh';
import { isRefreshDue, type TokenState } from '../nodes/InstagramMessaging/transport/tokenRules';

const SCOPES = 'instagram_business_basic,instagram_business_manage_messages';

/**
 * Instagram's login dialog and code exchange live on their own hosts; with another API Base URL
 * (a stand-in), both are expected on that host.
 */
function loginUrl(path: string, metaUrl: string): string {
	const base = apiBaseUrlExpression('instagramLogin', '$self');
	return `={{${base} === "${META_BASE_URL.instagramLogin}" ? "${metaUrl}" : ${base} + "${path}"}}`;
}

/**
 * The code exchange answers either `{ data: [ { access_token, user_id, permissions } ] }` (as
 * documented) or the flat object; `user_id` may be a JSON number above 2^53 (instagram-api.md
 * §1.2.4). n8n stores whichever came; this reads both, with ids as strings.
 */
export function normalizeTokenData(raw: unknown): IDataObject {
	const data = (typeof raw === 'object' && raw !== null ? raw : {}) as IDataObject;
	const wrapped = Array.isArray(data.data) ? (data.data[0] as IDataObject | undefined) : undefined;
	const entry = { ...data, ...(wrapped ?? {}) };
	delete entry.data;
	if (entry.user_id !== undefined && entry.user_id !== null) entry.user_id = String(entry.user_id);
	return entry;
}

/**
 * Long-lived tokens obtained from a connected short-lived token, per n8n process. n8n 2.41 gives
 * an OAuth2 credential no way to save a token that does not come from an OAuth refresh_token
 * (which Instagram does not have): `preAuthentication` runs on every request but its result is
 * not stored. So the 60-day token lives here and is refreshed here; see the credential docs.
 */
const exchanged = perProcessMap<string, TokenState>('exchangedTokens', 1_000);
const exchanging = perProcessMap<string, Promise<TokenState | undefined>>('tokenExchanges', 1_000);

/** One `ig_exchange_token` call per token at a time: concurrent requests share it. */
function exchangeOnce(
	key: string,
	exchange: () => Promise<TokenState | undefined>,
): Promise<TokenState | undefined> {
	let pending = exchanging.get(key);
	if (!pending) {
		pending = exchange().finally(() => exchanging.delete(key));
		exchanging.set(key, pending);
	}
	return pending;
}

export class InstagramLoginOAuth2Api implements ICredentialType {
	name = 'instagramLoginOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Instagram Login OAuth2 API';

	icon = {
		light: 'file:../nodes/InstagramMessaging/instagramMessaging.svg',
		dark: 'file:../nodes/InstagramMessaging/instagramMessaging.dark.svg',
	} as const;

	documentationUrl =
		'https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login';

	properties: INodeProperties[] = [
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: loginUrl('/oauth/authorize', 'https://www.instagram.com/oauth/authorize'),
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: loginUrl('/oauth/access_token', 'https://api.instagram.com/oauth/access_token'),
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: `={{"${SCOPES}" + ($self["privateReplies"] ? ",instagram_business_manage_comments" : "")}}`,
		},
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: '' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
		{
			displayName: 'Comments and Private Replies',
			name: 'privateReplies',
			type: 'boolean',
			default: false,
			description:
				'Whether to also ask for instagram_business_manage_comments, needed to answer comments with a private reply and to receive comment webhooks. Reconnect after changing it.',
		},
		{
			displayName:
				'Client ID and Client Secret are the Instagram app ID and Instagram app secret from Instagram → API setup with Instagram login (not the Meta app ones). The trigger also checks webhook signatures with this secret.',
			name: 'appNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName:
				'For workflows that run unattended, prefer the Instagram Login (Access Token) API credential: Instagram issues no refresh token, and n8n saves a renewed OAuth2 token only after a refresh-token refresh, so a token this credential renews is kept in memory and lost when n8n restarts (after 60 days you would have to reconnect). The access-token credential saves every renewal.',
			name: 'restartNotice',
			type: 'notice',
			default: '',
		},
		apiBaseUrlProperty('instagramLogin', 'www.instagram.com, api.instagram.com and graph.instagram.com'),
	];

	/**
	 * n8n 2.41 calls this before every request made with an OAuth2 credential and signs the
	 * request with the `oauthTokenData` it returns (without saving it). It reads the wrapped or
	 * flat code-exchange answer, swaps the 1-hour token for a 60-day one (`ig_exchange_token`) and
	 * refreshes that one with the same rule as the access-token credential.
	 */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const tokenData = normalizeTokenData(credentials.oauthTokenData);
		const shortToken = typeof tokenData.access_token === 'string' ? tokenData.access_token : '';
		if (shortToken === '') return { oauthTokenData: tokenData };
		const baseUrl = apiBaseUrl('instagramLogin', credentials);
		const key = fingerprint(`${baseUrl}|${shortToken}`);
		const now = Date.now();
		let state = exchanged.get(key);
		if (!state) {
			state = await exchangeOnce(key, async () => {
				const answer = await callTokenEndpoint(this, baseUrl, '/access_token', {
					grant_type: 'ig_exchange_token',
					client_secret: String(credentials.clientSecret ?? ''),
					access_token: shortToken,
				});
				return stateFromAnswer(answer, now);
			});
			if (state) exchanged.set(key, state);
		} else if (isRefreshDue(state, now)) {
			const next = await refreshedState(this, baseUrl, state, now);
			if (next) {
				state = next;
				exchanged.set(key, next);
			}
		}
		return { oauthTokenData: { ...tokenData, access_token: state?.token ?? shortToken } };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{${apiBaseUrlExpression('instagramLogin', '$credentials')}}}`,
			url: `/${GRAPH_API_VERSION}/me`,
			qs: { fields: 'user_id,username' },
			ignoreHttpStatusErrors: true,
		},
		rules: instagramTestRules('instagramLogin'),
	};
}
