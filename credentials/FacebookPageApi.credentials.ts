import { createHmac } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

export class FacebookPageApi implements ICredentialType {
	name = 'facebookPageApi';

	displayName = 'Instagram via Facebook Page API';

	icon = {
		light: 'file:../nodes/InstagramMessaging/instagramMessaging.svg',
		dark: 'file:../nodes/InstagramMessaging/instagramMessaging.dark.svg',
	} as const;

	documentationUrl = 'https://developers.facebook.com/docs/messenger-platform/instagram/overview';

	properties: INodeProperties[] = [
		{
			displayName: 'Page Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Access token of the Facebook Page linked to the Instagram professional account, with instagram_basic, instagram_manage_messages, pages_manage_metadata and pages_show_list',
		},
		{
			displayName: 'Page ID',
			name: 'pageId',
			type: 'string',
			default: '',
			required: true,
			description: 'ID of the Facebook Page linked to the Instagram account',
		},
		{
			displayName: 'Instagram Account ID',
			name: 'instagramAccountId',
			type: 'string',
			default: '',
			description:
				'ID of the Instagram professional account (the ID in webhooks). Found through the Page when left empty.',
		},
		{
			displayName: 'Meta App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'App secret from App settings → Basic of the Meta app. The trigger uses it to verify webhook signatures; it also signs calls with appsecret_proof when enabled.',
		},
		{
			displayName: 'Add Proof to Calls (appsecret_proof)',
			name: 'addProof',
			type: 'boolean',
			default: false,
			description:
				'Whether to add appsecret_proof to every call, required when the Meta app has "Require App Secret" turned on',
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

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token = String(credentials.accessToken ?? '');
		const headers = { ...requestOptions.headers, Authorization: `Bearer ${token}` };
		if (credentials.addProof !== true || !credentials.appSecret) {
			return { ...requestOptions, headers };
		}
		// appsecret_proof = HMAC-SHA256 of the access token keyed with the app secret (instagram-api.md §8.5).
		const proof = createHmac('sha256', String(credentials.appSecret)).update(token).digest('hex');
		return { ...requestOptions, headers, qs: { ...requestOptions.qs, appsecret_proof: proof } };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.useCustomBaseUrl ? $credentials.baseUrl.replace(/\\/+$/, "") : "https://graph.facebook.com"}}',
			url: '=/v26.0/{{$credentials.pageId}}',
			qs: { fields: 'id,name,instagram_business_account' },
		},
	};
}
