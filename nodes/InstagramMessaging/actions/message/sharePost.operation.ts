import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { assertNumericId, recipientIdParameter } from '../validation';
import { recipientIdProperty } from './common';
import { sendPolicyProperties, sendToInstagram } from '../send';

const properties: INodeProperties[] = [
	recipientIdProperty,
	{
		displayName: 'Post ID',
		name: 'postId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '17900000000000002',
		description:
			'ID of a published post or reel of this account (not a link), for example from the Instagram media list. Posts of other accounts cannot be shared.',
	},
	...sendPolicyProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sharePost'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const recipientId = recipientIdParameter(this, itemIndex);
	const postId = assertNumericId(
		this,
		this.getNodeParameter('postId', itemIndex) as string,
		itemIndex,
		'Post ID',
	);
	const body: IDataObject = {
		recipient: { id: recipientId },
		message: { attachment: { type: 'MEDIA_SHARE', payload: { id: postId } } },
	};
	return await sendToInstagram.call(this, itemIndex, connection, body, { policy: true });
}
