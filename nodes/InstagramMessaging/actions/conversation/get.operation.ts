import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { MESSAGES_WITH_DETAILS } from '../../events';
import { graphRequest, pageData, type GraphConnection } from '../../transport';
import { businessAccountId } from '../businessAccount';
import {
	CONVERSATION_FIELDS,
	conversationIdParameter,
	conversationLocatorProperty,
	messagesExpansion,
	simplifyConversation,
	simplifyProperty,
} from './common';
import { assertCustomerId, customerIdDescription } from '../validation';

const properties: INodeProperties[] = [
	{
		displayName: 'Find By',
		name: 'findBy',
		type: 'options',
		options: [
			{
				name: 'Conversation',
				value: 'conversation',
				description: 'A conversation picked from the list or given by its ID',
			},
			{
				name: 'Customer ID',
				value: 'customer',
				description: 'The conversation with a customer, by their Instagram-scoped ID',
			},
		],
		default: 'conversation',
		description: 'How to identify the conversation',
	},
	{
		...conversationLocatorProperty,
		displayOptions: { show: { findBy: ['conversation'] } },
	},
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '1111111111111111',
		description: customerIdDescription,
		displayOptions: { show: { findBy: ['customer'] } },
	},
	{
		displayName: 'Latest Messages',
		name: 'messageCount',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: 20,
		description:
			'How many of the newest messages to include, newest first (0 = none). Meta returns details only for the 20 most recent messages of a conversation, so at most 20 are included.',
	},
	simplifyProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['get'] } },
	properties,
);

/**
 * One conversation with its participants and latest messages, in a single Conversations API call
 * (field expansion `messages.limit(n){…}`, instagram-api.md §4.2).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const findBy = this.getNodeParameter('findBy', itemIndex, 'conversation') as string;
	const messageCount = this.getNodeParameter('messageCount', itemIndex, 20) as number;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const fields =
		messageCount > 0
			? `${CONVERSATION_FIELDS},${messagesExpansion(Math.min(Math.floor(messageCount), MESSAGES_WITH_DETAILS))}`
			: CONVERSATION_FIELDS;

	let conversation: IDataObject;
	if (findBy === 'customer') {
		const customerId = assertCustomerId(this, this.getNodeParameter('customerId', itemIndex), itemIndex);
		const response = await graphRequest.call(this, connection, {
			method: 'GET',
			path: `/${connection.selfId}/conversations`,
			qs: { platform: 'instagram', user_id: customerId, fields },
			rateClass: 'conversations',
			itemIndex,
		});
		const found = pageData(response)[0];
		if (!found) {
			throw new NodeOperationError(this.getNode(), `No conversation with customer ${customerId}`, {
				itemIndex,
				description:
					'Instagram has no conversation between this account and that Instagram-scoped ID. The ID may belong to another business account, or conversations in the Requests folder that were inactive for 30 days are no longer returned.',
			});
		}
		conversation = found;
	} else {
		const conversationId = conversationIdParameter(this, itemIndex);
		conversation = await graphRequest.call(this, connection, {
			method: 'GET',
			path: `/${encodeURIComponent(conversationId)}`,
			qs: { fields },
			rateClass: 'conversations',
			itemIndex,
		});
	}
	if (!simplify) return conversation;
	const accountId = await businessAccountId.call(this, connection, itemIndex);
	return simplifyConversation(conversation, accountId);
}
