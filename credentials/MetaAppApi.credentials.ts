import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * The Meta app behind the webhooks: the trigger derives an app access token (`<app id>|<secret>`)
 * from it to manage the app's webhook subscription, and accepts signatures made with its secret.
 */
export class MetaAppApi implements ICredentialType {
	name = 'metaAppApi';

	displayName = 'Meta App (Webhooks) API';

	icon = {
		light: 'file:../nodes/InstagramMessaging/instagramMessaging.svg',
		dark: 'file:../nodes/InstagramMessaging/instagramMessaging.dark.svg',
	} as const;

	documentationUrl = 'https://developers.facebook.com/docs/graph-api/webhooks/subscriptions-edge';

	properties: INodeProperties[] = [
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			description: 'ID of the Meta app (App settings → Basic)',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Secret of the Meta app. For Instagram Login apps, the webhook signatures use the Instagram app secret instead: put that one in the Instagram credential.',
		},
		{
			displayName: 'Use Custom API Base URL',
			name: 'useCustomBaseUrl',
			type: 'boolean',
			default: false,
			description:
				'Whether to send API calls to another host than graph.facebook.com, for example the development sandbox. Never needed against Meta.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://127.0.0.1:18080',
			placeholder: 'http://127.0.0.1:18080',
			displayOptions: { show: { useCustomBaseUrl: [true] } },
			description: 'Scheme and host that stand in for https://graph.facebook.com',
		},
	];

	// The app token is `<app id>|<app secret>`: it travels in a header, never in a URL that proxies
	// and access logs would keep.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.appId}}|{{$credentials.appSecret}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.useCustomBaseUrl ? $credentials.baseUrl.replace(/\\/+$/, "") : "https://graph.facebook.com"}}',
			url: '=/v26.0/{{$credentials.appId}}/subscriptions',
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.code',
					value: 190,
					message:
						'Meta refused the app ID and app secret. Copy both from App settings → Basic of the Meta app (for an Instagram Login app, these are the Meta app values, not the Instagram app ID and secret).',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.code',
					value: 100,
					message: 'Meta does not know this app ID. Copy it from App settings → Basic of the Meta app.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.type',
					value: 'OAuthException',
					message: 'Meta refused the app credentials. Check the app ID and the app secret.',
				},
			},
		],
	};
}
