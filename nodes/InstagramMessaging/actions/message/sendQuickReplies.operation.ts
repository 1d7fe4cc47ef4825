import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { assertTextFits, recipientIdParameter } from '../validation';
import { quickRepliesOf, quickRepliesProperty, recipientIdProperty } from './common';
import { sendPolicyProperties, sendToInstagram } from '../send';

const properties: INodeProperties[] = [
	recipientIdProperty,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		description: 'The question shown above the choices, at most 1000 UTF-8 bytes',
	},
	quickRepliesProperty,
	...sendPolicyProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendQuickReplies'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const recipientId = recipientIdParameter(this, itemIndex);
	const text = this.getNodeParameter('text', itemIndex) as string;
	assertTextFits(this, text, itemIndex);
	const quickReplies = quickRepliesOf(this, itemIndex);
	const body: IDataObject = {
		recipient: { id: recipientId },
		message: { text, quick_replies: quickReplies },
	};
	return await sendToInstagram.call(this, itemIndex, connection, body, { policy: true });
}
