import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { messagesWithDetails } from '../../events';
import { graphRequest, type GraphConnection } from '../../transport';

/** Every message field the Conversations API documents (instagram-api.md §4.2). */
export const MESSAGE_FIELDS =
	'id,created_time,from,to,message,attachments,shares,story,reactions,is_unsupported';

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

export const customerIdDescription =
	'Instagram-scoped ID of the customer (not the username), for example the customerId field of the Instagram Messaging Trigger';

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

/** A customer IGSID parameter: digits only, named in the error. */
export function assertCustomerId(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	field = 'Customer ID',
): string {
	const id = String(value ?? '').trim();
	if (!/^\d+$/.test(id)) {
		throw new NodeOperationError(ctx.getNode(), `${field} "${id}" is not an Instagram-scoped ID`, {
			itemIndex,
			description:
				"Use the customer's Instagram-scoped ID (a long number such as 1111111111111111), for example {{ $json.customerId }} from the Instagram Messaging Trigger. Usernames do not work.",
		});
	}
	return id;
}

const accountIds = new WeakMap<object, Map<string, Promise<string>>>();

async function lookupAccountId(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
	connection: GraphConnection,
	itemIndex: number | undefined,
): Promise<string> {
	if (connection.flavour === 'facebookPage') {
		const credentials = await ctx.getCredentials(connection.credentialType);
		const configured = String(credentials.instagramAccountId ?? '').trim();
		if (configured !== '') return configured;
		const page = await graphRequest.call(ctx, connection, {
			method: 'GET',
			path: `/${connection.selfId}`,
			qs: { fields: 'instagram_business_account' },
			itemIndex,
		});
		const linked = (page.instagram_business_account as IDataObject | undefined)?.id;
		if (linked === undefined || linked === null || linked === '') {
			throw new NodeOperationError(ctx.getNode(), 'The Facebook Page has no linked Instagram account', {
				itemIndex,
				description:
					'Link an Instagram professional account to the Page (Meta Business Suite → Settings → Instagram accounts), or enter its ID as "Instagram Account ID" in the credential.',
			});
		}
		return String(linked);
	}
	const me = await graphRequest.call(ctx, connection, {
		method: 'GET',
		path: `/${connection.selfId}`,
		qs: { fields: 'user_id' },
		itemIndex,
	});
	const userId = me.user_id;
	if (userId === undefined || userId === null || userId === '') {
		throw new NodeOperationError(ctx.getNode(), 'Could not read the Instagram account ID of the credential', {
			itemIndex,
			description:
				'Meta did not return user_id for /me. Check that the credential holds an Instagram Login token (Instagram API with Instagram Login) with the instagram_business_basic permission.',
		});
	}
	return String(userId);
}

/**
 * The business Instagram account id (IG_ID, the id in webhooks and in `from.id` of its own
 * messages): `/me?fields=user_id` on Instagram Login, the credential's Instagram Account ID (or the
 * Page's linked account) on the Page setup. Looked up once per node run.
 */
export async function businessAccountId(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	connection: GraphConnection,
	itemIndex?: number,
): Promise<string> {
	let perRun = accountIds.get(this);
	if (!perRun) {
		perRun = new Map();
		accountIds.set(this, perRun);
	}
	let pending = perRun.get(connection.accountKey);
	if (!pending) {
		pending = lookupAccountId(this, connection, itemIndex);
		perRun.set(connection.accountKey, pending);
		pending.catch(() => perRun?.delete(connection.accountKey));
	}
	return await pending;
}

function dataOf(value: unknown): IDataObject[] {
	const data = (value as IDataObject | undefined)?.data;
	return Array.isArray(data) ? (data as IDataObject[]) : [];
}

/** The participant that is not the business account: the customer. */
export function customerOf(conversation: IDataObject, accountId: string): IDataObject | undefined {
	const participants = dataOf(conversation.participants);
	return participants.find((p) => String(p.id ?? '') !== accountId) ?? undefined;
}

function idOrNull(value: unknown): string | null {
	return value === undefined || value === null || value === '' ? null : String(value);
}

/** Graph's `2026-07-28T22:44:49+0000` → ISO 8601 in UTC; unparsable values are kept as they are. */
export function isoTime(value: unknown): string | null {
	if (value === undefined || value === null || value === '') return null;
	const ms = Date.parse(String(value));
	return Number.isFinite(ms) ? new Date(ms).toISOString() : String(value);
}

/** A message as a flat object; `direction` says whether the customer or the business wrote it. */
export function simplifyMessage(message: IDataObject, accountId: string): IDataObject {
	const from = (message.from ?? {}) as IDataObject;
	const to = dataOf(message.to)[0] ?? {};
	const attachments = dataOf(message.attachments).map((attachment) => {
		const image = attachment.image_data as IDataObject | undefined;
		const video = attachment.video_data as IDataObject | undefined;
		const mime = typeof attachment.mime_type === 'string' ? attachment.mime_type : '';
		const type = image ? 'image' : video ? 'video' : mime.startsWith('audio/') ? 'audio' : 'file';
		const url = image?.url ?? video?.url ?? attachment.file_url ?? null;
		return { type, url } as IDataObject;
	});
	const shares = dataOf(message.shares).map((share) => idOrNull(share.link));
	const story = (message.story ?? null) as IDataObject | null;
	const fromId = idOrNull(from.id);
	return {
		id: idOrNull(message.id),
		createdTime: isoTime(message.created_time),
		direction: fromId === null ? null : fromId === accountId ? 'outbound' : 'inbound',
		fromId,
		fromUsername: idOrNull(from.username),
		toId: idOrNull(to.id),
		toUsername: idOrNull(to.username),
		text: typeof message.message === 'string' && message.message !== '' ? message.message : null,
		attachments,
		sharedLinks: shares.filter((link): link is string => link !== null),
		storyMentionUrl: idOrNull((story?.mention as IDataObject | undefined)?.link),
		storyReplyUrl: idOrNull((story?.reply_to as IDataObject | undefined)?.link),
		reactions: dataOf(message.reactions),
		isUnsupported: message.is_unsupported === true,
	};
}

/** A conversation as a flat object: the customer's id and username instead of `participants`. */
export function simplifyConversation(conversation: IDataObject, accountId: string): IDataObject {
	const customer = customerOf(conversation, accountId);
	const out: IDataObject = {
		id: idOrNull(conversation.id),
		updatedTime: isoTime(conversation.updated_time),
		customerId: idOrNull(customer?.id),
		customerUsername: idOrNull(customer?.username),
	};
	if (conversation.messages !== undefined) {
		// Meta gives details only for the 20 most recent messages; older ones are bare ids.
		out.messages = messagesWithDetails(dataOf(conversation.messages)).messages.map((message) =>
			simplifyMessage(message, accountId),
		);
	}
	return out;
}
