import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { hasMessageDetails } from '../../events';
import { graphRequestAllItems, type GraphConnection } from '../../transport';
import {
	businessAccountId,
	conversationIdParameter,
	conversationLocatorProperty,
	MESSAGE_FIELDS,
	returnAllProperties,
	simplifyMessage,
	simplifyProperty,
} from './common';

const properties: INodeProperties[] = [
	conversationLocatorProperty,
	...returnAllProperties(),
	simplifyProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['getMessages'] } },
	properties,
);

/**
 * `GET /{conversation-id}/messages` (instagram-api.md §4.2), newest first, with cursor pagination.
 * Each message carries id, time, sender, recipient, text, attachments, shares, story, reactions.
 * Meta gives those details only for the 20 most recent messages: listing ends where they end.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject[]> {
	const conversationId = conversationIdParameter(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;

	const messages = await graphRequestAllItems.call(
		this,
		connection,
		{
			path: `/${encodeURIComponent(conversationId)}/messages`,
			qs: { fields: MESSAGE_FIELDS },
			itemIndex,
			rateClass: 'conversations',
		},
		limit,
		(message) => !hasMessageDetails(message),
	);
	if (!simplify || messages.length === 0) return messages;
	const accountId = await businessAccountId.call(this, connection, itemIndex);
	return messages.map((message) => simplifyMessage(message, accountId));
}
