import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../node.type';
import * as deleteProfile from './delete.operation';
import * as get from './get.operation';
import * as setIceBreakers from './setIceBreakers.operation';
import * as setPersistentMenu from './setPersistentMenu.operation';

export const operations: Record<string, OperationModule> = {
	get,
	setIceBreakers,
	setPersistentMenu,
	delete: deleteProfile,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['messengerProfile'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Remove the ice breakers and/or the persistent menu in every locale',
				action: 'Delete messenger profile settings',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Read the current ice breakers and persistent menu, per locale',
				action: 'Get messenger profile settings',
			},
			{
				name: 'Set Ice Breakers',
				value: 'setIceBreakers',
				description:
					'Replace the questions a customer can tap to start a conversation (up to 4 per locale, a "default" locale is required)',
				action: 'Set ice breakers',
			},
			{
				name: 'Set Persistent Menu',
				value: 'setPersistentMenu',
				description:
					'Replace the menu shown in every conversation (postback and web link items, a "default" locale is required)',
				action: 'Set the persistent menu',
			},
		],
		default: 'get',
	},
	...get.description,
	...setIceBreakers.description,
	...setPersistentMenu.description,
	...deleteProfile.description,
];
