import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { MESSAGE_FIELDS, simplifyGraphMessage } from '../../events';
import { graphRequest, type GraphConnection } from '../../transport';
import { businessAccountId } from '../businessAccount';
import { requiredTextParameter } from '../validation';
import { messageIdProperty } from './common';

const properties: INodeProperties[] = [
	{
		...messageIdProperty,
		description:
			'ID of the message, for example the mid field of the Instagram Messaging Trigger or the messageId of a send. Meta returns details only for the 20 most recent messages of a conversation.',
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			'Whether to return a flat, simplified version of the response instead of the raw data (the same shape as Conversation → Get Messages)',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const messageId = requiredTextParameter(this, 'messageId', itemIndex, 'Message ID');
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const raw = await graphRequest.call(this, connection, {
		method: 'GET',
		path: `/${encodeURIComponent(messageId)}`,
		qs: { fields: MESSAGE_FIELDS },
		rateClass: 'conversations',
		itemIndex,
	});
	if (!simplify) return raw;
	return simplifyGraphMessage(raw, await businessAccountId.call(this, connection, itemIndex));
}
