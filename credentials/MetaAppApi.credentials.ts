import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import {
	apiBaseUrlExpression,
	apiBaseUrlProperty,
	GRAPH_API_VERSION,
} from '../nodes/InstagramMessaging/transport/graphApi';
import { metaAppTestRules } from './common/credentialTests';

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
		apiBaseUrlProperty('facebookPage'),
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
			baseURL: `={{${apiBaseUrlExpression('facebookPage', '$credentials')}}}`,
			url: `=/${GRAPH_API_VERSION}/{{$credentials.appId}}/subscriptions`,
			ignoreHttpStatusErrors: true,
		},
		rules: metaAppTestRules(),
	};
}
