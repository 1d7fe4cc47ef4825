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
import type { Conversation } from '../contentTypes';
import type { JsonObject } from '../types';
import type { GraphContext, GraphRoute } from './context';
import {
	graphTime,
	hasDetails,
	MESSAGES_WITH_DETAILS,
	newestFirst,
	olderThanTwenty,
	party,
	renderMessage,
	updatedAt,
} from './messageViews';
import { DEFAULT_LIMIT, edgeSpec, limitOf, MAX_LIMIT, paged, requestedFields } from './paging';
import type { EdgeSpec } from './paging';
import { profileResult } from './profiles';

const CONVERSATION_FIELDS = ['id', 'updated_time', 'participants', 'messages'];

export const conversationErrors = {
	/** §4.4: messaging not (yet) available for this account. */
	notAvailable: () =>
		new GraphError(400, {
			message: '(#36103) Instagram messaging is not available for this account.',
			type: 'OAuthException',
			code: 36103,
			is_transient: false,
		}),
};

/** Every Conversations API call: counted against the rate limit, then the eligibility check. */
function conversationsCall(ctx: GraphContext): void {
	const { state } = ctx.services;
	const accountId = ctx.account.igUserId;
	if (!state.takeConversationsCall(accountId)) throw graphErrors.throttled();
	if (state.accountOptions(accountId).messagingNotAvailable) throw conversationErrors.notAvailable();
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
