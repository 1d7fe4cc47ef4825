import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../node.type';
import * as getProfile from './getProfile.operation';

export const operations: Record<string, OperationModule> = { getProfile };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Get Profile',
				value: 'getProfile',
				description:
					"Get a customer's name, username, profile picture, follower count and follow status. Only works for people who have messaged the account.",
				action: 'Get a user profile',
			},
		],
		default: 'getProfile',
	},
	...getProfile.description,
];
