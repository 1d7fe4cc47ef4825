import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { graphRequestAllItems, type GraphConnection } from '../../transport';
import { businessAccountId } from '../businessAccount';
import {
	CONVERSATION_FIELDS,
	customerIdFilterOption,
	requestedLimit,
	returnAllProperties,
	simplifyConversation,
	simplifyProperty,
} from './common';
import { assertCustomerId } from '../validation';

const properties: INodeProperties[] = [
	...returnAllProperties(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [customerIdFilterOption],
	},
	simplifyProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['getMany'] } },
	properties,
);

/**
 * `GET /{self}/conversations?platform=instagram` (instagram-api.md §4.1), newest activity first,
 * with cursor pagination. Conversations API calls are spaced to 2 per second per account.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject[]> {
	const limit = requestedLimit(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { customerId?: string };
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;

	const qs: IDataObject = { platform: 'instagram', fields: CONVERSATION_FIELDS };
	if (filters.customerId !== undefined && String(filters.customerId).trim() !== '') {
		qs.user_id = assertCustomerId(this, filters.customerId, itemIndex);
	}
	const conversations = await graphRequestAllItems.call(
		this,
		connection,
		{ path: `/${connection.selfId}/conversations`, qs, itemIndex, rateClass: 'conversations' },
		limit,
	);
	if (!simplify || conversations.length === 0) return conversations;
	const accountId = await businessAccountId.call(this, connection, itemIndex);
	return conversations.map((conversation) => simplifyConversation(conversation, accountId));
}
