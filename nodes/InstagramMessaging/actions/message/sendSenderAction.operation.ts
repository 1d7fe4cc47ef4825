import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { recipientIdParameter } from '../validation';
import { recipientIdProperty } from './common';
import { sendToInstagram } from '../send';

const SENDER_ACTIONS = ['mark_seen', 'typing_off', 'typing_on'];

const properties: INodeProperties[] = [
	recipientIdProperty,
	{
		displayName: 'Action',
		name: 'senderAction',
		type: 'options',
		options: [
			{ name: 'Mark Seen', value: 'mark_seen', description: "Mark the customer's latest message as seen" },
			{ name: 'Typing Off', value: 'typing_off', description: 'Hide the typing indicator' },
			{ name: 'Typing On', value: 'typing_on', description: 'Show the typing indicator' },
		],
		default: 'typing_on',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendSenderAction'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const recipientId = recipientIdParameter(this, itemIndex);
	const senderAction = this.getNodeParameter('senderAction', itemIndex) as string;
	if (!SENDER_ACTIONS.includes(senderAction)) {
		throw new NodeOperationError(this.getNode(), `Action "${senderAction}" is not a sender action`, {
			itemIndex,
			description: 'Use typing_on, typing_off or mark_seen.',
		});
	}
	// Meta requires a sender action to be sent alone: recipient + sender_action, nothing else.
	const body: IDataObject = { recipient: { id: recipientId }, sender_action: senderAction };
	const result = await sendToInstagram.call(this, itemIndex, connection, body, { policy: false });
	return { recipientId: result.recipientId, senderAction, success: true };
}
