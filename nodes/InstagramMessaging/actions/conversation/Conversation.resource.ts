import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../node.type';
import * as backfill from './backfill.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getMessages from './getMessages.operation';

export const operations: Record<string, OperationModule> = { backfill, get, getMany, getMessages };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversation'] } },
		options: [
			{
				name: 'Backfill',
				value: 'backfill',
				description:
					"Get every message since a time, across conversations, as items shaped like the trigger's events (oldest first, same dedup key)",
				action: 'Backfill messages as trigger events',
			},
			{
				name: 'Get',
				value: 'get',
				description:
					'Get one conversation with its customer and latest messages, by conversation or by customer ID',
				action: 'Get a conversation',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: "List the account's conversations, most recently active first",
				action: 'Get many conversations',
			},
			{
				name: 'Get Messages',
				value: 'getMessages',
				description: 'Get the messages of a conversation, newest first',
				action: 'Get messages of a conversation',
			},
		],
		default: 'getMany',
	},
	...backfill.description,
	...get.description,
	...getMany.description,
	...getMessages.description,
];
