/**
 * The Conversations API (instagram-api.md §4.1–4.4), both flavours:
 *
 * - `GET /vX/{me|IG_ID|PAGE_ID}/conversations` — `platform`, `user_id`, `fields` (with field
 *   expansion `messages.limit(n){…}`), `limit`, `after`/`before` cursors; newest activity first
 * - `GET /vX/{conversation-id}?fields=…`, `GET /vX/{conversation-id}/messages` — newest first
 * - `GET /vX/{message-id}?fields=…`
 * - `GET /vX/{IGSID}?fields=…` — the User Profile API (`profiles.ts`), on the same `/:id` route
 *
 * Conversations API calls count against 2 calls/s per account (§7.4; `SandboxState`
 * `setConversationsRateLimit`), answered with Meta's throttling error 613 when exceeded; accounts
 * flagged `messagingNotAvailable` get 36103 (§4.4).
 */
import { GraphError, graphErrors } from '../errors';
import type { HandlerResult } from '../http';
import { accountSelfIds, conversationIdFor } from '../state';
import type { Conversation, ConversationMessage, JsonObject, JsonValue } from '../types';
import type { GraphContext, GraphRoute } from './context';
import { parseFields } from './fields';
import type { FieldSpec } from './fields';
import { profileResult } from './profiles';

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;

const CONVERSATION_FIELDS = ['id', 'updated_time', 'participants', 'messages'];
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

export const conversationErrors = {
	/** §7.2: "Calls to this API exceeded the rate limit". */
	throttled: () =>
		new GraphError(400, {
			message: '(#613) Calls to this api have exceeded the rate limit.',
			type: 'OAuthException',
			code: 613,
		}),
	/** §4.4: messaging not (yet) available for this account. */
	notAvailable: () =>
		new GraphError(400, {
			message: '(#36103) Instagram messaging is not available for this account.',
			type: 'OAuthException',
			code: 36103,
			is_transient: false,
		}),
	invalidCursor: () => graphErrors.invalidParameter('Invalid cursor'),
};

/** Graph's time format: `2026-07-28T22:44:49+0000` (seconds). */
export function graphTime(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

/** A requested edge with modifiers: `messages.limit(20){id,from}` → name, limit, subfields. */
interface EdgeSpec {
	name: string;
	limit?: number;
	subfields: FieldSpec[];
}

function edgeSpec(field: FieldSpec): EdgeSpec {
	const [name = '', ...modifiers] = field.name.split('.');
	const spec: EdgeSpec = { name: name.trim(), subfields: field.subfields };
	for (const modifier of modifiers) {
		const m = /^(\w+)\(([^)]*)\)$/.exec(modifier.trim());
		if (!m)
			throw graphErrors.invalidParameter(
				`Syntax error "Expected end of string instead of \\".\\"" at character ${name.length}: ${field.name}`,
			);
		if (m[1] === 'limit') spec.limit = Number(m[2]);
	}
	return spec;
}

function requestedFields(ctx: GraphContext, defaults: string[]): EdgeSpec[] {
	const parsed = parseFields(ctx.req.query.get('fields'));
	return parsed ? parsed.map(edgeSpec) : defaults.map((name) => ({ name, subfields: [] }));
}

/** Every Conversations API call: counted against the rate limit, then the eligibility check. */
function conversationsCall(ctx: GraphContext): void {
	const { state } = ctx.services;
	const accountId = ctx.account.igUserId;
	if (!state.takeConversationsCall(accountId)) throw conversationErrors.throttled();
	if (state.accountOptions(accountId).messagingNotAvailable) throw conversationErrors.notAvailable();
}

function limitOf(raw: string | null | undefined, fallback = DEFAULT_LIMIT): number {
	if (raw === null || raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0)
		throw graphErrors.invalidParameter('Param limit must be a non-negative integer');
	return Math.min(n, MAX_LIMIT);
}

function encodeCursor(offset: number): string {
	return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
	const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
	if (!m) throw conversationErrors.invalidCursor();
	return Number(m[1]);
}

/** `{ data, paging }` for one page of a list, Graph style; `next` is a full URL without the token. */
function paged(
	ctx: GraphContext,
	items: JsonObject[],
	window: { limit: number; after?: string | null; before?: string | null },
	nextPath: string,
	nextQuery: Record<string, string>,
): JsonObject {
	const { limit } = window;
	let offset = 0;
	if (window.after) offset = decodeCursor(window.after);
	else if (window.before) offset = Math.max(0, decodeCursor(window.before) - limit);
	const data = items.slice(offset, offset + limit);
	const result: JsonObject = { data };
	if (data.length === 0) return result;
	const after = encodeCursor(offset + data.length);
	const paging: JsonObject = { cursors: { before: encodeCursor(offset), after } };
	const host = ctx.req.headers.host ?? '127.0.0.1';
	const link = (cursor: Record<string, string>) =>
		`http://${host}/${ctx.version}${nextPath}?${new URLSearchParams({ ...nextQuery, limit: String(limit), ...cursor }).toString()}`;
	if (offset + data.length < items.length) paging.next = link({ after });
	if (offset > 0) paging.previous = link({ before: encodeCursor(offset) });
	result.paging = paging;
	return result;
}

function party(ctx: GraphContext, conversation: Conversation, side: 'business' | 'customer'): JsonObject {
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
const olderThanTwenty = () =>
	new GraphError(400, {
		message: '(#100) This message has been deleted.',
		type: 'OAuthException',
		code: 100,
	});

function hasDetails(conversation: Conversation, message: ConversationMessage): boolean {
	return newestFirst(conversation).indexOf(message) < MESSAGES_WITH_DETAILS;
}

function renderMessage(
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
function newestFirst(conversation: Conversation): ConversationMessage[] {
	return conversation.messages
		.map((message, index) => ({ message, index }))
		.sort((x, y) => y.message.at - x.message.at || y.index - x.index)
		.map(({ message }) => message);
}

function updatedAt(conversation: Conversation): number {
	return Math.max(0, ...conversation.messages.map((m) => m.at));
}

function messagesPage(
	ctx: GraphContext,
	conversation: Conversation,
	fields: EdgeSpec[],
	window: { limit: number; after?: string | null; before?: string | null },
): JsonObject {
	const id = conversationIdFor(conversation.accountId, conversation.customerId);
	const items = newestFirst(conversation).map((m, index) =>
		renderMessage(ctx, conversation, m, fields, index < MESSAGES_WITH_DETAILS),
	);
	const query: Record<string, string> = {};
	if (fields.length > 0) query.fields = fields.map((f) => f.name).join(',');
	return paged(ctx, items, window, `/${id}/messages`, query);
}

function renderConversation(ctx: GraphContext, conversation: Conversation, fields: EdgeSpec[]): JsonObject {
	const id = conversationIdFor(conversation.accountId, conversation.customerId);
	const out: JsonObject = {};
	for (const field of fields) {
		if (!CONVERSATION_FIELDS.includes(field.name))
			throw graphErrors.nonexistingField(field.name, 'Conversation', ctx.account.flavour);
		if (field.name === 'id') out.id = id;
		if (field.name === 'updated_time') out.updated_time = graphTime(updatedAt(conversation));
		if (field.name === 'participants') {
			out.participants = {
				data: [party(ctx, conversation, 'business'), party(ctx, conversation, 'customer')],
			};
		}
		if (field.name === 'messages') {
			const subfields =
				field.subfields.length > 0
					? field.subfields.map(edgeSpec)
					: [
							{ name: 'id', subfields: [] },
							{ name: 'created_time', subfields: [] },
						];
			out.messages = messagesPage(ctx, conversation, subfields, {
				limit: Math.min(field.limit ?? DEFAULT_LIMIT, MAX_LIMIT),
			});
		}
	}
	out.id = id;
	return out;
}

function listConversations(ctx: GraphContext, params: Record<string, string>): HandlerResult {
	const { account, services, req } = ctx;
	const pathId = params.id ?? '';
	if (pathId !== 'me' && !accountSelfIds(account).includes(pathId))
		throw graphErrors.unsupportedRequest('GET', pathId);
	const platform = req.query.get('platform');
	if (platform === null && account.flavour === 'facebookPage') {
		throw graphErrors.invalidParameter(
			'The parameter platform is required for Instagram conversations on a Page',
		);
	}
	if (platform !== null && platform !== 'instagram' && platform !== 'messenger') {
		throw graphErrors.invalidParameter('Param platform must be one of {MESSENGER, INSTAGRAM}');
	}
	conversationsCall(ctx);
	const fields = requestedFields(ctx, ['id', 'updated_time']);
	const userId = req.query.get('user_id');
	const conversations =
		platform === 'messenger'
			? []
			: services.state
					.listConversations(account.igUserId)
					.filter((c) => c.messages.length > 0 && (userId === null || c.customerId === userId))
					.sort((x, y) => updatedAt(y) - updatedAt(x) || x.customerId.localeCompare(y.customerId));
	const items = conversations.map((c) => renderConversation(ctx, c, fields));
	const query: Record<string, string> = {};
	for (const key of ['platform', 'user_id', 'fields']) {
		const value = req.query.get(key);
		if (value !== null) query[key] = value;
	}
	const window = {
		limit: limitOf(req.query.get('limit')),
		after: req.query.get('after'),
		before: req.query.get('before'),
	};
	return { status: 200, json: paged(ctx, items, window, `/${pathId}/conversations`, query) };
}

function conversationMessages(ctx: GraphContext, params: Record<string, string>): HandlerResult {
	const id = params.id ?? '';
	const conversation = ctx.services.state.conversationById(ctx.account.igUserId, id);
	if (!conversation) throw graphErrors.unsupportedRequest('GET', id);
	conversationsCall(ctx);
	const fields = requestedFields(ctx, ['id', 'created_time']);
	const window = {
		limit: limitOf(ctx.req.query.get('limit')),
		after: ctx.req.query.get('after'),
		before: ctx.req.query.get('before'),
	};
	return { status: 200, json: messagesPage(ctx, conversation, fields, window) };
}

/** `GET /{id}`: a conversation, a message, or a customer's profile — whatever the id names. */
function getNode(ctx: GraphContext, params: Record<string, string>): HandlerResult {
	const id = params.id ?? '';
	const { state } = ctx.services;
	const accountId = ctx.account.igUserId;
	const conversation = state.conversationById(accountId, id);
	if (conversation) {
		conversationsCall(ctx);
		return { status: 200, json: renderConversation(ctx, conversation, requestedFields(ctx, ['id'])) };
	}
	const found = state.findMessage(accountId, id);
	if (found) {
		conversationsCall(ctx);
		if (!hasDetails(found.conversation, found.message)) throw olderThanTwenty();
		return {
			status: 200,
			json: renderMessage(
				ctx,
				found.conversation,
				found.message,
				requestedFields(ctx, ['id', 'created_time']),
			),
		};
	}
	const profile = profileResult(ctx, id);
	if (profile) return profile;
	throw graphErrors.unsupportedRequest('GET', id);
}

export const conversationsRoutes: GraphRoute[] = [
	{ method: 'GET', path: '/:id/conversations', handler: listConversations },
	{ method: 'GET', path: '/:id/messages', handler: conversationMessages },
	{ method: 'GET', path: '/:id', handler: getNode },
];
