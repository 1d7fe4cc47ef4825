import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	apiBaseUrl,
	apiBaseUrlExpression,
	apiBaseUrlProperty,
	GRAPH_API_VERSION,
} from '../nodes/InstagramMessaging/transport/graphApi';
import { instagramTestRules } from './common/credentialTests';
import { effectiveToken, maintainInstagramToken, tokenStateProperties } from './common/instagramToken';

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
		apiBaseUrlProperty('instagramLogin'),
		...tokenStateProperties,
	];

	/**
	 * Runs before every request (the hidden `refreshCheck` field is expirable and always empty): when
	 * the token is due (`nodes/InstagramMessaging/transport/tokenRules.ts`), it is refreshed with `ig_refresh_token` and n8n
	 * stores the new token in this credential.
	 */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		return await maintainInstagramToken(this, credentials, {
			sourceToken: String(credentials.accessToken ?? '').trim(),
			baseUrl: apiBaseUrl('instagramLogin', credentials),
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
			baseURL: `={{${apiBaseUrlExpression('instagramLogin', '$credentials')}}}`,
			url: `/${GRAPH_API_VERSION}/me`,
			qs: { fields: 'user_id,username' },
			ignoreHttpStatusErrors: true,
		},
		rules: instagramTestRules('instagramLogin'),
	};
}
