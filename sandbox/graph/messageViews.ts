/** How the Conversations API shows a message: its fields, attachments, and the 20-message rule (§4.2). */
import { GraphError, graphErrors } from '../errors';
import type { Conversation, ConversationMessage } from '../contentTypes';
import type { JsonObject, JsonValue } from '../types';
import type { GraphContext } from './context';
import type { EdgeSpec } from './paging';

const MESSAGE_FIELDS = [
	'id',
	'created_time',
	'from',
	'to',
	'message',
	'attachments',
	'shares',
	'story',
	'reactions',
	'is_unsupported',
];

/** Graph's time format: `2026-07-28T22:44:49+0000` (seconds). */
export function graphTime(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

export function party(
	ctx: GraphContext,
	conversation: Conversation,
	side: 'business' | 'customer',
): JsonObject {
	if (side === 'business') return { username: ctx.account.username, id: ctx.account.igUserId };
	const customer = ctx.services.state.customer(conversation.accountId, conversation.customerId);
	const out: JsonObject = {};
	if (customer?.username !== undefined) out.username = customer.username;
	out.id = conversation.customerId;
	return out;
}

function attachmentUrl(attachment: JsonObject): string | undefined {
	const payload = attachment.payload;
	if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
	const url = (payload as JsonObject).url;
	return typeof url === 'string' ? url : undefined;
}

/** Webhook/Send-API style attachments → the Conversations API's message fields (§4.2). */
function renderAttachments(message: ConversationMessage): {
	attachments: JsonObject[];
	shares: JsonObject[];
	story?: JsonObject;
} {
	const attachments: JsonObject[] = [];
	const shares: JsonObject[] = [];
	let story: JsonObject | undefined;
	(message.attachments ?? []).forEach((value: JsonValue, index: number) => {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
		const type = typeof value.type === 'string' ? value.type : 'file';
		const url = attachmentUrl(value);
		const id = `${message.mid}_${index}`;
		if (type === 'image' || type === 'sticker') {
			attachments.push({
				id,
				image_data: {
					url: url ?? null,
					preview_url: url ?? null,
					...(type === 'sticker' ? { render_as_sticker: true } : {}),
				},
			});
		} else if (type === 'video') {
			attachments.push({ id, video_data: { url: url ?? null, preview_url: url ?? null } });
		} else if (type === 'audio') {
			attachments.push({ id, mime_type: 'audio/mpeg', file_url: url ?? null });
		} else if (type === 'share' || type === 'ig_reel' || type === 'reel' || type === 'ig_post') {
			shares.push({ id, link: url ?? null });
		} else if (type === 'story_mention') {
			story = { mention: { id, link: url ?? null } };
		} else if (type === 'file') {
			attachments.push({ id, file_url: url ?? null });
		} else {
			attachments.push({ id, generic_template: value.payload ?? null });
		}
	});
	return { attachments, shares, story };
}

/**
 * Meta: "you can only get details about the 20 most recent messages in the conversation. If you
 * query a message that is older than the last 20, you will see an error that the message has been
 * deleted" (Conversations API, Instagram Login; the Graph Conversation reference says the same).
 * Lists still carry the older messages' ids; the sandbox gives them their `created_time` too.
 */
export const MESSAGES_WITH_DETAILS = 20;

const DETAIL_FREE_FIELDS = ['id', 'created_time'];

/** Meta's answer for a message past the 20 newest (the code is not documented). */
export const olderThanTwenty = () =>
	new GraphError(400, {
		message: '(#100) This message has been deleted.',
		type: 'OAuthException',
		code: 100,
	});

export function hasDetails(conversation: Conversation, message: ConversationMessage): boolean {
	return newestFirst(conversation).indexOf(message) < MESSAGES_WITH_DETAILS;
}

export function renderMessage(
	ctx: GraphContext,
	conversation: Conversation,
	message: ConversationMessage,
	fields: EdgeSpec[],
	detailed = hasDetails(conversation, message),
): JsonObject {
	const inbound = message.direction === 'inbound';
	const rendered = renderAttachments(message);
	const out: JsonObject = {};
	for (const { name } of fields) {
		if (!MESSAGE_FIELDS.includes(name))
			throw graphErrors.nonexistingField(name, 'Message', ctx.account.flavour);
		if (!detailed && !DETAIL_FREE_FIELDS.includes(name)) continue;
		switch (name) {
			case 'id':
				out.id = message.mid;
				break;
			case 'created_time':
				out.created_time = graphTime(message.at);
				break;
			case 'from':
				out.from = party(ctx, conversation, inbound ? 'customer' : 'business');
				break;
			case 'to':
				out.to = { data: [party(ctx, conversation, inbound ? 'business' : 'customer')] };
				break;
			case 'message':
				// Meta returns an empty string for a message without text.
				out.message = message.text ?? '';
				break;
			case 'attachments':
				if (rendered.attachments.length > 0) out.attachments = { data: rendered.attachments };
				break;
			case 'shares':
				if (rendered.shares.length > 0) out.shares = { data: rendered.shares };
				break;
			case 'story':
				if (rendered.story) out.story = rendered.story;
				break;
			case 'is_unsupported':
				out.is_unsupported = false;
				break;
			default:
				// reactions: not modelled; fields with no data are omitted.
				break;
		}
	}
	out.id = message.mid;
	return out;
}

/** Newest first, as Meta lists them. */
export function newestFirst(conversation: Conversation): ConversationMessage[] {
	return conversation.messages
		.map((message, index) => ({ message, index }))
		.sort((x, y) => y.message.at - x.message.at || y.index - x.index)
		.map(({ message }) => message);
}

export function updatedAt(conversation: Conversation): number {
	return Math.max(0, ...conversation.messages.map((m) => m.at));
}
