import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/** Credential types the action node and the trigger accept, one per Meta setup. */
export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{
			name: 'Instagram Login (Access Token)',
			value: 'instagramLoginApi',
			description:
				'Instagram API with Instagram Login (graph.instagram.com), token from the Meta app dashboard',
		},
		{
			name: 'Instagram Login (OAuth2)',
			value: 'instagramLoginOAuth2Api',
			description:
				'Instagram API with Instagram Login (graph.instagram.com), connected with the Instagram login dialog',
		},
		{
			name: 'Facebook Page (Access Token)',
			value: 'facebookPageApi',
			description: 'Instagram messaging through a linked Facebook Page (graph.facebook.com)',
		},
	],
	default: 'instagramLoginApi',
};

export const credentialDescriptions: INodeCredentialDescription[] = [
	{
		name: 'instagramLoginApi',
		required: true,
		displayOptions: { show: { authentication: ['instagramLoginApi'] } },
	},
	{
		name: 'instagramLoginOAuth2Api',
		required: true,
		displayOptions: { show: { authentication: ['instagramLoginOAuth2Api'] } },
	},
	{
		name: 'facebookPageApi',
		required: true,
		displayOptions: { show: { authentication: ['facebookPageApi'] } },
	},
];
