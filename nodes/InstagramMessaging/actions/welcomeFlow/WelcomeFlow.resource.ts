import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../node.type';
import * as create from './create.operation';
import * as deleteFlow from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export const operations: Record<string, OperationModule> = {
	create,
	get,
	getMany,
	update,
	delete: deleteFlow,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['welcomeFlow'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create the welcome message a Click-to-Direct ad opens the conversation with',
				action: 'Create a welcome flow',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a welcome flow no ad uses',
				action: 'Delete a welcome flow',
			},
			{ name: 'Get', value: 'get', description: 'Get one welcome flow', action: 'Get a welcome flow' },
			{
				name: 'Get Many',
				value: 'getMany',
				description: "List the account's welcome flows",
				action: 'Get many welcome flows',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Rename a welcome flow or replace its message (not while an ad uses it)',
				action: 'Update a welcome flow',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getMany.description,
	...update.description,
	...deleteFlow.description,
];
