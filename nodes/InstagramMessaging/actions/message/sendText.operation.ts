import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { assertTextFits, recipientIdParameter } from '../validation';
import { recipientIdProperty } from './common';
import { sendPolicyProperties, sendToInstagram } from '../send';

const properties: INodeProperties[] = [
	recipientIdProperty,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'Message text, at most 1000 UTF-8 bytes. Links get a preview.',
	},
	...sendPolicyProperties,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Reply To Message ID',
				name: 'replyToMid',
				type: 'string',
				default: '',
				description:
					'ID of a message in the thread to quote, for example the mid field of the Instagram Messaging Trigger. Works with both Meta setups (Instagram Login since September 2026).',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendText'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const recipientId = recipientIdParameter(this, itemIndex);
	const text = this.getNodeParameter('text', itemIndex) as string;
	const options = this.getNodeParameter('options', itemIndex, {}) as { replyToMid?: string };
	assertTextFits(this, text, itemIndex);

	const body: IDataObject = { recipient: { id: recipientId }, message: { text } };
	if (options.replyToMid) body.reply_to = { mid: options.replyToMid };
	return await sendToInstagram.call(this, itemIndex, connection, body, { policy: true });
}
