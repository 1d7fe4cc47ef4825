import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { recipientIdParameter } from '../validation';
import { recipientIdProperty } from './common';
import { sendPolicyProperties, sendToInstagram } from '../send';

const properties: INodeProperties[] = [
	recipientIdProperty,
	{
		displayName: 'Sticker',
		name: 'sticker',
		type: 'options',
		options: [
			{ name: 'Heart', value: 'like_heart', description: 'The heart sticker, the only one Instagram sends' },
		],
		default: 'like_heart',
	},
	...sendPolicyProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendSticker'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const recipientId = recipientIdParameter(this, itemIndex);
	const body: IDataObject = {
		recipient: { id: recipientId },
		message: { attachment: { type: 'like_heart' } },
	};
	return await sendToInstagram.call(this, itemIndex, connection, body, { policy: true });
}
