import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	MESSAGE_FIELDS,
	MESSAGES_WITH_DETAILS,
	messagesWithDetails,
	simplifyGraphMessage,
} from '../../events';
import { graphRequestAllItems, type GraphConnection } from '../../transport';
import { businessAccountId } from '../businessAccount';
import {
	conversationIdParameter,
	conversationLocatorProperty,
	requestedLimit,
	returnAllProperties,
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
 * Meta gives those details only for the 20 most recent messages: nothing older is listed.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject[]> {
	const conversationId = conversationIdParameter(this, itemIndex);
	// Meta details only the 20 most recent messages: nothing older is worth a call.
	const wanted = requestedLimit(this, itemIndex) ?? MESSAGES_WITH_DETAILS;
	const limit = Math.min(wanted, MESSAGES_WITH_DETAILS);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;

	const listed = await graphRequestAllItems.call(
		this,
		connection,
		{
			path: `/${encodeURIComponent(conversationId)}/messages`,
			qs: { fields: MESSAGE_FIELDS },
			itemIndex,
			rateClass: 'conversations',
		},
		limit,
	);
	const detailed = messagesWithDetails(listed).messages;
	if (!simplify || detailed.length === 0) return detailed;
	const accountId = await businessAccountId.call(this, connection, itemIndex);
	return detailed.map((message) => simplifyGraphMessage(message, accountId));
}
