import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { graphRequest, type GraphConnection } from '../../transport';
import { assertTextFits } from '../validation';
import { assertNotLive, commentFromInput, commentIdParameter, commentIdProperty } from './common';

const properties: INodeProperties[] = [
	commentIdProperty,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		description: 'The public reply, shown under the comment to everyone who can see the post',
	},
	{
		displayName:
			'A public reply is posted in the comment thread. Instagram adds a reply to a reply to the thread of its top-level comment, and refuses replies to hidden comments and to Live comments (answer those with Message → Send Private Reply).',
		name: 'replyNotice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['comment'], operation: ['reply'] } },
	properties,
);

/**
 * `POST /{comment-id}/replies?message=…` (IG Comment Replies; Meta's reference sends `message` as
 * a query parameter). The comment is read first (`hidden`, `parent_id`): a hidden comment is
 * refused with what to do, and a reply to a reply says which thread it went to.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const commentId = commentIdParameter(this, itemIndex);
	const text = this.getNodeParameter('text', itemIndex) as string;
	if (text.trim() === '') {
		throw new NodeOperationError(this.getNode(), 'The reply text is empty', {
			itemIndex,
			description: 'Fill in Text with the reply to post under the comment.',
		});
	}
	assertTextFits(this, text, itemIndex);
	assertNotLive(this, itemIndex, commentFromInput(this, itemIndex, commentId), 'publicly reply to');
	const comment = await graphRequest.call(this, connection, {
		method: 'GET',
		path: `/${commentId}`,
		qs: { fields: 'id,hidden,parent_id' },
		itemIndex,
	});
	if (comment.hidden === true) {
		throw new NodeOperationError(
			this.getNode(),
			'The comment is hidden: Instagram does not allow replies to it',
			{
				itemIndex,
				description:
					'Unhide it first (Comment → Unhide), or answer the person privately with Message → Send Private Reply.',
			},
		);
	}
	const response = await graphRequest.call(this, connection, {
		method: 'POST',
		path: `/${commentId}/replies`,
		qs: { message: text },
		idempotent: false,
		uncertainOutcome: 'The reply may have been posted',
		itemIndex,
	});
	const parentId = comment.parent_id === undefined ? undefined : String(comment.parent_id);
	return {
		id: String(response.id ?? ''),
		commentId,
		// Meta adds a reply to a reply to the top-level comment's thread.
		threadCommentId: parentId ?? commentId,
		text,
	};
}
