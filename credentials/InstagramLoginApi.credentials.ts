import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { instagramTestRules } from './common/credentialTests';
import {
	effectiveToken,
	instagramBaseUrl,
	maintainInstagramToken,
	refreshRulesOf,
	tokenStateProperties,
} from './common/instagramToken';

export class InstagramLoginApi implements ICredentialType {
	name = 'instagramLoginApi';

	displayName = 'Instagram Login (Access Token) API';

	icon = {
		light: 'file:../nodes/InstagramMessaging/instagramMessaging.svg',
		dark: 'file:../nodes/InstagramMessaging/instagramMessaging.dark.svg',
	} as const;

	documentationUrl =
		'https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/get-started';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Long-lived Instagram user access token, generated in the Meta app dashboard under Instagram → API setup with Instagram login',
		},
		{
			displayName: 'Instagram App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The Instagram app secret (not the Meta app secret) from Instagram → API setup with Instagram login. The trigger uses it to verify that webhooks really come from Meta.',
		},
		{
			displayName: 'Use Custom API Base URL',
			name: 'useCustomBaseUrl',
			type: 'boolean',
			default: false,
			description:
				'Whether to send API calls to another host than graph.instagram.com, for example the development sandbox. Never needed against Meta.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://127.0.0.1:18080',
			placeholder: 'http://127.0.0.1:18080',
			displayOptions: { show: { useCustomBaseUrl: [true] } },
			description: 'Scheme and host that stand in for https://graph.instagram.com',
		},
		{
			displayName: 'Refresh Minimum Token Age (Seconds)',
			name: 'refreshMinAgeSeconds',
			type: 'number',
			default: 86400,
			displayOptions: { show: { useCustomBaseUrl: [true] } },
			description:
				'How old a token must be before it is refreshed. Meta requires 24 hours (86400); only a test stand-in accepts less.',
		},
		...tokenStateProperties,
	];

	/**
	 * Runs before every request (the hidden `refreshCheck` field is expirable and always empty): once
	 * the token is at least 24 h old and within 10 days of expiry (or past half its life), it is
	 * refreshed with `ig_refresh_token` and n8n stores the new token in this credential.
	 */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		return await maintainInstagramToken(this, credentials, {
			sourceToken: String(credentials.accessToken ?? '').trim(),
			baseUrl: instagramBaseUrl(credentials),
			rules: refreshRulesOf(credentials),
			now: Date.now(),
		});
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token = effectiveToken(credentials, String(credentials.accessToken ?? '').trim());
		return { ...requestOptions, headers: { ...requestOptions.headers, Authorization: `Bearer ${token}` } };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.useCustomBaseUrl ? $credentials.baseUrl.replace(/\\/+$/, "") : "https://graph.instagram.com"}}',
			url: '/v26.0/me',
			qs: { fields: 'user_id,username' },
			ignoreHttpStatusErrors: true,
		},
		rules: instagramTestRules('instagramLogin'),
	};
}
