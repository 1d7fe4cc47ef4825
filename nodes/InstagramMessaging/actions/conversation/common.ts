import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	edgeList,
	isoTime,
	MESSAGE_FIELDS,
	messagesWithDetails,
	simplifyGraphMessage,
	toId,
} from '../../events';
import { customerIdDescription } from '../validation';

/** Conversation fields that are certain for Instagram (instagram-api.md §10, item 18). */
export const CONVERSATION_FIELDS = 'id,updated_time,participants';

/** `messages.limit(n){…}` field expansion: the latest messages in the same call. */
export function messagesExpansion(count: number): string {
	return `messages.limit(${count}){${MESSAGE_FIELDS}}`;
}

export const conversationLocatorProperty: INodeProperties = {
	displayName: 'Conversation',
	name: 'conversationId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The conversation (DM thread) with one customer',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a conversation...',
			typeOptions: {
				searchListMethod: 'searchConversations',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6...',
			hint: 'The ID of a conversation, for example the ID field of Conversation → Get Many',
		},
	],
};

export function returnAllProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

/** How many results the item asks for: its Limit, or undefined for Return All. */
export function requestedLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	return ctx.getNodeParameter('limit', itemIndex, 50) as number;
}

/** "Only the conversation with this customer", shared by Get Many's filters and Backfill's options. */
export const customerIdFilterOption: INodeProperties = {
	displayName: 'Customer ID',
	name: 'customerId',
	type: 'string',
	default: '',
	placeholder: '1111111111111111',
	description: `Only the conversation with this customer. ${customerIdDescription}.`,
};

export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a flat, simplified version of the response instead of the raw data',
};

/** The conversation id from the resource locator, refused when empty. */
export function conversationIdParameter(ctx: IExecuteFunctions, itemIndex: number): string {
	const id = String(
		ctx.getNodeParameter('conversationId', itemIndex, '', { extractValue: true }) ?? '',
	).trim();
	if (id === '') {
		throw new NodeOperationError(ctx.getNode(), 'Conversation is empty', {
			itemIndex,
			description:
				'Pick a conversation from the list or enter its ID, for example the ID field of Conversation → Get Many.',
		});
	}
	return id;
}

/** The participant that is not the business account: the customer. */
export function customerOf(conversation: IDataObject, accountId: string): IDataObject | undefined {
	const participants = edgeList(conversation.participants);
	return participants.find((p) => String(p.id ?? '') !== accountId) ?? undefined;
}

/** A conversation as a flat object: the customer's id and username instead of `participants`. */
export function simplifyConversation(conversation: IDataObject, accountId: string): IDataObject {
	const customer = customerOf(conversation, accountId);
	const out: IDataObject = {
		id: toId(conversation.id),
		updatedTime: isoTime(conversation.updated_time),
		customerId: toId(customer?.id),
		customerUsername: toId(customer?.username),
	};
	if (conversation.messages !== undefined) {
		// Meta gives details only for the 20 most recent messages; older ones are bare ids.
		out.messages = messagesWithDetails(edgeList(conversation.messages)).messages.map((message) =>
			simplifyGraphMessage(message, accountId),
		);
	}
	return out;
}
