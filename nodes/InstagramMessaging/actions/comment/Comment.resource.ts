import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../node.type';
import * as deleteComment from './delete.operation';
import * as getMany from './getMany.operation';
import * as hide from './hide.operation';
import * as reply from './reply.operation';
import * as unhide from './unhide.operation';

export const operations: Record<string, OperationModule> = {
	reply,
	hide,
	unhide,
	delete: deleteComment,
	getMany,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['comment'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: "Delete a comment on one of the account's posts or reels",
				action: 'Delete a comment',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get the comments on a post or reel',
				action: 'Get many comments',
			},
			{
				name: 'Hide',
				value: 'hide',
				description: 'Hide a comment from everyone but its author',
				action: 'Hide a comment',
			},
			{
				name: 'Reply',
				value: 'reply',
				description: 'Reply publicly in the comment thread',
				action: 'Reply to a comment',
			},
			{
				name: 'Unhide',
				value: 'unhide',
				description: 'Show a hidden comment again',
				action: 'Unhide a comment',
			},
		],
		default: 'reply',
	},
	...reply.description,
	...hide.description,
	...unhide.description,
	...deleteComment.description,
	...getMany.description,
];
