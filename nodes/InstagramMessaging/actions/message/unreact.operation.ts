import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { recipientIdParameter, requiredTextParameter } from '../validation';
import { messageIdProperty, recipientIdProperty } from './common';
import { sendToInstagram } from '../send';

const properties: INodeProperties[] = [recipientIdProperty, messageIdProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['unreact'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const recipientId = recipientIdParameter(this, itemIndex);
	const messageId = requiredTextParameter(this, 'messageId', itemIndex, 'Message ID');
	const body: IDataObject = {
		recipient: { id: recipientId },
		sender_action: 'unreact',
		payload: { message_id: messageId },
	};
	const result = await sendToInstagram.call(this, itemIndex, connection, body, { policy: false });
	return { recipientId: result.recipientId, unreactedMessageId: messageId, success: true };
}
