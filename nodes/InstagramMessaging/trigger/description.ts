import type { INodeProperties } from 'n8n-workflow';

import { authenticationProperty } from '../actions/authentication';
import { EVENT_TYPES } from '../events';

export const triggerProperties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName:
			'Paste the production webhook URL above and the verify token below into Meta\'s app dashboard (Instagram → API setup with Instagram login → Configure webhooks), then subscribe the account to the messaging fields.',
		name: 'manualNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Verify Token',
		name: 'verifyToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description:
			'Any secret string you choose. Meta sends it back when it verifies the callback URL; requests with another token are refused.',
	},
	{
		displayName: 'Trigger On',
		name: 'events',
		type: 'multiOptions',
		options: EVENT_TYPES.map(({ name, value, description }) => ({ name, value, description })),
		default: ['message'],
		required: true,
		description: 'Which Instagram events start the workflow',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Raw Event',
				name: 'includeRaw',
				type: 'boolean',
				default: false,
				description: 'Whether to add the event exactly as Meta sent it under "raw"',
			},
		],
	},
];
