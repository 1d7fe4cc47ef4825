import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { businessAccountId } from '../actions/businessAccount';
import { customerOf } from '../actions/conversation/common';
import { getConnection, graphRequest, nextCursor, pageData } from '../transport';

const PAGE_SIZE = 25;

/**
 * Conversations for the Conversation resource locator, newest activity first, named after the
 * customer's username. A numeric filter is taken as the customer's Instagram-scoped ID (`user_id`);
 * any other filter matches the username or ID within each page. Pages follow Meta's cursor.
 */
export async function searchConversations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const credentialType = this.getNodeParameter('authentication', 'instagramLoginApi') as string;
	const connection = await getConnection.call(this, credentialType);
	const query = (filter ?? '').trim();
	const qs: IDataObject = { platform: 'instagram', fields: 'id,updated_time,participants', limit: PAGE_SIZE };
	if (/^\d+$/.test(query)) qs.user_id = query;
	if (paginationToken) qs.after = paginationToken;

	const page = await graphRequest.call(this, connection, {
		method: 'GET',
		path: `/${connection.selfId}/conversations`,
		qs,
		rateClass: 'conversations',
	});
	const conversations = pageData(page);
	const accountId = conversations.length > 0 ? await businessAccountId.call(this, connection) : '';
	const needle = qs.user_id === undefined ? query.toLowerCase() : '';
	const results: INodeListSearchItems[] = [];
	for (const conversation of conversations) {
		const customer = customerOf(conversation, accountId);
		const username = customer?.username ? String(customer.username) : undefined;
		const customerId = customer?.id ? String(customer.id) : undefined;
		const haystack = `${username ?? ''} ${customerId ?? ''}`.toLowerCase();
		if (needle !== '' && !haystack.includes(needle)) continue;
		const item: INodeListSearchItems = {
			name: username ? `@${username}` : (customerId ?? String(conversation.id)),
			value: String(conversation.id),
		};
		if (customerId) item.description = `Customer ID ${customerId}`;
		results.push(item);
	}

	const next = nextCursor(page);
	return next ? { results, paginationToken: next } : { results };
}
