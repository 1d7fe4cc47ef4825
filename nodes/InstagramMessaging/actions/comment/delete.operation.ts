import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { graphRequest, type GraphConnection } from '../../transport';
import { assertNotLive, commentFromInput, commentIdParameter, commentIdProperty } from './common';

const properties: INodeProperties[] = [
	commentIdProperty,
	{
		displayName:
			"Only comments on the account's own posts and reels can be deleted, and not on a live video. A deleted comment cannot be restored.",
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['comment'], operation: ['delete'] } },
	properties,
);

/** `DELETE /{comment-id}` (IG Comment reference): `{ success: true }`. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const commentId = commentIdParameter(this, itemIndex);
	assertNotLive(this, itemIndex, commentFromInput(this, itemIndex, commentId), 'delete');
	const response = await graphRequest.call(this, connection, {
		method: 'DELETE',
		path: `/${commentId}`,
		itemIndex,
	});
	return { commentId, deleted: response.success === true };
}
