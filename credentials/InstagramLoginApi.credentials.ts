import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

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
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.useCustomBaseUrl ? $credentials.baseUrl.replace(/\\/+$/, "") : "https://graph.instagram.com"}}',
			url: '/v26.0/me',
			qs: { fields: 'user_id,username' },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.code',
					value: 190,
					message: 'The access token is invalid or has expired. Generate a new one in the Meta app dashboard.',
				},
			},
		],
	};
}
