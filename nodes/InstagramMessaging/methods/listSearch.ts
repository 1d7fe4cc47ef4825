import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { businessAccountId } from '../actions/businessAccount';
import { customerOf } from '../actions/conversation/common';
import { getConnection, graphRequest, nextCursor, pageData, type GraphConnection } from '../transport';

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

/** Where the account's media live: `/me` on Instagram Login, the Instagram account's id via a Page. */
async function mediaOwnerPath(ctx: ILoadOptionsFunctions, connection: GraphConnection): Promise<string> {
	return connection.flavour === 'facebookPage' ? `/${await businessAccountId.call(ctx, connection)}` : '/me';
}

function shortCaption(caption: unknown): string | undefined {
	if (typeof caption !== 'string' || caption.trim() === '') return undefined;
	const line = caption.trim().split('\n')[0];
	return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

function mediaItem(media: IDataObject, fallbackName: string): INodeListSearchItems {
	const id = String(media.id);
	const date = typeof media.timestamp === 'string' ? media.timestamp.slice(0, 10) : undefined;
	const kind = typeof media.media_product_type === 'string' ? media.media_product_type : media.media_type;
	const item: INodeListSearchItems = {
		name: shortCaption(media.caption) ?? `${fallbackName} ${date ?? id}`,
		value: id,
		description: [date, typeof kind === 'string' ? kind.toLowerCase() : undefined, `ID ${id}`]
			.filter((part) => part !== undefined)
			.join(' · '),
	};
	if (typeof media.permalink === 'string') item.url = media.permalink;
	return item;
}

async function searchAccountMedia(
	ctx: ILoadOptionsFunctions,
	edge: 'media' | 'stories',
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<INodeListSearchResult> {
	const credentialType = ctx.getNodeParameter('authentication', 'instagramLoginApi') as string;
	const connection = await getConnection.call(ctx, credentialType);
	if (edge === 'stories' && connection.flavour !== 'facebookPage') {
		throw new NodeOperationError(ctx.getNode(), 'Meta lists stories only through a Facebook Page', {
			description:
				'Instagram API with Instagram Login documents no story list. Choose By ID and use the story ID of a story reply (replyTo.storyId of a trigger item).',
		});
	}
	const qs: IDataObject = {
		fields: 'id,caption,media_type,media_product_type,permalink,timestamp',
		limit: PAGE_SIZE,
	};
	if (paginationToken) qs.after = paginationToken;
	const page = await graphRequest.call(ctx, connection, {
		method: 'GET',
		path: `${await mediaOwnerPath(ctx, connection)}/${edge}`,
		qs,
	});
	const needle = (filter ?? '').trim().toLowerCase();
	const results = pageData(page)
		.filter((media) => {
			if (needle === '') return true;
			const caption = typeof media.caption === 'string' ? media.caption.toLowerCase() : '';
			return caption.includes(needle) || String(media.id).includes(needle);
		})
		.map((media) => mediaItem(media, edge === 'media' ? 'Post' : 'Story'));
	const next = nextCursor(page);
	return next ? { results, paginationToken: next } : { results };
}

/**
 * The account's posts and reels, newest first (`GET /{ig-user-id}/media`, IG User Media: stories
 * are not included). Meta cannot search captions: a filter matches the caption or ID within each
 * page of 25.
 */
export async function searchMedia(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchAccountMedia(this, 'media', filter, paginationToken);
}

/** The account's current stories (`GET /{ig-user-id}/stories`, Page setup only; 24 h each, no Live). */
export async function searchStories(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchAccountMedia(this, 'stories', filter, paginationToken);
}
