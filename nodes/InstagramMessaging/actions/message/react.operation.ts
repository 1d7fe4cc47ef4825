import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { recipientIdParameter, requiredTextParameter } from '../validation';
import { messageIdProperty, recipientIdProperty } from './common';
import { sendToInstagram } from '../send';

const properties: INodeProperties[] = [
	recipientIdProperty,
	messageIdProperty,
	{
		displayName: 'Reaction',
		name: 'reaction',
		type: 'string',
		default: 'love',
		description:
			'"love" (the heart), or any single emoji on Instagram Login. Reacting again with another emoji replaces the reaction.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['react'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const recipientId = recipientIdParameter(this, itemIndex);
	const messageId = requiredTextParameter(this, 'messageId', itemIndex, 'Message ID');
	const reaction = requiredTextParameter(this, 'reaction', itemIndex, 'Reaction');
	const body: IDataObject = {
		recipient: { id: recipientId },
		sender_action: 'react',
		payload: { message_id: messageId, reaction },
	};
	const result = await sendToInstagram.call(this, itemIndex, connection, body, { policy: false });
	return { recipientId: result.recipientId, reactedToMessageId: messageId, reaction, success: true };
}
