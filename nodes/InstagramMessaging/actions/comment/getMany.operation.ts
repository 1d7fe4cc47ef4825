import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { graphRequestAllItems, type GraphConnection } from '../../transport';
import { requestedLimit, returnAllProperties } from '../conversation/common';
import { assertNumericId } from '../validation';
import { COMMENT_FIELDS, mediaLocatorProperty, simplifyComment } from './common';

const properties: INodeProperties[] = [
	mediaLocatorProperty,
	...returnAllProperties(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Replies',
				name: 'includeReplies',
				type: 'boolean',
				default: false,
				description: 'Whether to add the replies of each comment under "replies"',
			},
		],
	},
	{
		displayName:
			'Instagram returns top-level comments, newest first, and no comments on ads (non-organic comments); comments on a live video only during the broadcast',
		name: 'getManyNotice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['comment'], operation: ['getMany'] } },
	properties,
);

/** `GET /{media-id}/comments` (IG Media Comments: top-level comments, at most 50 per page). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject[]> {
	const mediaId = assertNumericId(
		this,
		this.getNodeParameter('mediaId', itemIndex, '', { extractValue: true }) as string,
		itemIndex,
		'Post or Reel',
	);
	const options = this.getNodeParameter('options', itemIndex, {}) as { includeReplies?: boolean };
	const fields =
		options.includeReplies === true ? `${COMMENT_FIELDS},replies{${COMMENT_FIELDS}}` : COMMENT_FIELDS;
	const comments = await graphRequestAllItems.call(
		this,
		connection,
		{ path: `/${mediaId}/comments`, qs: { fields }, itemIndex },
		requestedLimit(this, itemIndex),
	);
	return comments.map((comment) => simplifyComment(comment, mediaId));
}
