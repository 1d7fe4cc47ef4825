/**
 * The account's media and the comments on them, both setups (Comment Moderation; IG User Media;
 * IG User Stories; IG Media Comments; IG Comment Replies; IG Comment — docs/meta-fidelity.md,
 * "Entry points"):
 * - `GET /{ig-user-id|me}/media`: posts and reels, newest first (no stories);
 * - `GET /{ig-user-id}/stories`: the last 24 h of stories, documented for the Page setup only;
 * - `GET /{media-id}/comments`: top-level comments, newest first, at most 50 per page;
 * - `GET /{comment-id}`, `POST /{comment-id}/replies?message=`, `POST /{comment-id}?hide=`,
 *   `DELETE /{comment-id}`. Meta: a reply to a reply is added to the top-level comment; no reply
 *   to a hidden comment; nothing of this on Live; only the media owner deletes. Meta documents no
 *   error codes for these refusals: the sandbox answers (#100) with Meta-style words.
 */
import { GraphError, graphErrors } from '../errors';
import type { SandboxComment, SandboxMedia } from '../contentTypes';
import type { HandlerResult } from '../http';
import { accountSelfIds } from '../state';
import type { JsonObject } from '../types';
import type { GraphContext, GraphRoute } from './context';
import { parseFields, type FieldSpec } from './fields';
import { graphTime } from './messageViews';
import { limitOf, paged } from './paging';

const STORY_LIFETIME_MS = 24 * 60 * 60 * 1000;
const MAX_COMMENTS_PER_PAGE = 50;

const commentErrors = {
	hidden: () => graphErrors.invalidParameter('Cannot reply to a hidden comment'),
	live: (action: string) =>
		graphErrors.invalidParameter(`Comments on live video IG Media are not supported for ${action}`),
	notOwner: () =>
		new GraphError(400, {
			message: '(#200) A comment can only be deleted by the owner of the media it was made on',
			type: 'OAuthException',
			code: 200,
		}),
} as const;

function ownsPath(ctx: GraphContext, id: string): boolean {
	return id === 'me' || id === ctx.account.igUserId || accountSelfIds(ctx.account).includes(id);
}

function commentOf(ctx: GraphContext, id: string): SandboxComment {
	const comment = ctx.services.state.comment(id);
	// Meta cannot tell a deleted comment from one that never was, or one of another account.
	if (comment === undefined || comment.accountId !== ctx.account.igUserId) {
		throw graphErrors.unsupportedRequest(ctx.req.method, id);
	}
	return comment;
}

function isLive(ctx: GraphContext, comment: SandboxComment): boolean {
	return comment.live === true || ctx.services.state.media(comment.mediaId)?.live === true;
}

function mediaView(media: SandboxMedia): JsonObject {
	const productType = media.productType ?? 'FEED';
	return {
		id: media.id,
		caption: media.caption ?? '',
		media_type: productType === 'REELS' ? 'VIDEO' : 'IMAGE',
		media_product_type: productType,
		permalink: `https://www.instagram.com/${productType === 'REELS' ? 'reel' : 'p'}/${media.id}/`,
		timestamp: graphTime(media.at),
	};
}

function commentView(ctx: GraphContext, comment: SandboxComment, fields: FieldSpec[]): JsonObject {
	const customer = ctx.services.state.customer(comment.accountId, comment.from);
	const username = comment.byAccount ? ctx.account.username : (comment.fromUsername ?? customer?.username);
	const all: Record<string, () => JsonObject[string]> = {
		id: () => comment.id,
		text: () => comment.text,
		timestamp: () => graphTime(comment.at),
		username: () => username ?? null,
		from: () => ({ id: comment.from, username: username ?? null }),
		hidden: () => comment.hidden === true,
		like_count: () => 0,
		parent_id: () => comment.parentId ?? null,
		media: () => ({ id: comment.mediaId }),
		replies: () => {
			const sub = fields.find((f) => f.name === 'replies')?.subfields ?? [];
			const replies = ctx.services.state
				.listComments(comment.accountId)
				.filter((reply) => reply.parentId === comment.id)
				.sort((x, y) => x.at - y.at);
			return {
				data: replies.map((reply) =>
					commentView(ctx, reply, sub.length > 0 ? sub : [{ name: 'id', subfields: [] }]),
				),
			};
		},
	};
	const out: JsonObject = {};
	for (const field of fields) {
		const value = all[field.name];
		if (value === undefined) throw graphErrors.nonexistingField(field.name, 'IGComment', ctx.account.flavour);
		out[field.name] = value();
	}
	if (comment.parentId === undefined) delete out.parent_id;
	if (out.id === undefined) out.id = comment.id;
	return out;
}

function listMedia(ctx: GraphContext, params: Record<string, string>, stories: boolean): HandlerResult {
	const id = params.id ?? '';
	if (!ownsPath(ctx, id)) throw graphErrors.unsupportedRequest('GET', id);
	// IG User Stories is documented for Instagram API with Facebook Login only.
	if (stories && ctx.account.flavour === 'instagram') throw graphErrors.unknownPath('/stories');
	const now = ctx.services.clock.now();
	const media = ctx.services.state
		.listMedia(ctx.account.igUserId)
		.filter((m) => (m.productType === 'STORY') === stories && !m.live)
		.filter((m) => !stories || now - m.at <= STORY_LIFETIME_MS);
	const items = media.map((m) => mediaNode(ctx, m));
	const query: Record<string, string> = {};
	const requested = ctx.req.query.get('fields');
	if (requested !== null) query.fields = requested;
	const window = { limit: limitOf(ctx.req.query.get('limit')), after: ctx.req.query.get('after') };
	return { status: 200, json: paged(ctx, items, window, `/${id}/${stories ? 'stories' : 'media'}`, query) };
}

function listComments(ctx: GraphContext, params: Record<string, string>): HandlerResult {
	const mediaId = params.id ?? '';
	const media = ctx.services.state.media(mediaId);
	if (media === undefined || media.accountId !== ctx.account.igUserId) {
		throw graphErrors.unsupportedRequest('GET', mediaId);
	}
	const fields = parseFields(ctx.req.query.get('fields')) ?? [
		{ name: 'timestamp', subfields: [] },
		{ name: 'text', subfields: [] },
		{ name: 'id', subfields: [] },
	];
	const comments = ctx.services.state
		.listComments(ctx.account.igUserId)
		.filter((c) => c.mediaId === mediaId && c.parentId === undefined)
		.sort((x, y) => y.at - x.at || y.id.localeCompare(x.id))
		.map((c) => commentView(ctx, c, fields));
	const query: Record<string, string> = {};
	const requested = ctx.req.query.get('fields');
	if (requested !== null) query.fields = requested;
	const limit = Math.min(limitOf(ctx.req.query.get('limit')), MAX_COMMENTS_PER_PAGE);
	const window = { limit, after: ctx.req.query.get('after') };
	return { status: 200, json: paged(ctx, comments, window, `/${mediaId}/comments`, query) };
}

function paramOf(ctx: GraphContext, name: string): string | undefined {
	const fromQuery = ctx.req.query.get(name);
	if (fromQuery !== null) return fromQuery;
	const value = (ctx.req.body as JsonObject | undefined)?.[name];
	return typeof value === 'string' || typeof value === 'boolean' ? String(value) : undefined;
}

function reply(ctx: GraphContext, params: Record<string, string>): HandlerResult {
	const comment = commentOf(ctx, params.id ?? '');
	const message = paramOf(ctx, 'message');
	if (message === undefined || message.trim() === '')
		throw graphErrors.invalidParameter('The parameter message is required');
	if (isLive(ctx, comment)) throw commentErrors.live('replies');
	if (comment.hidden === true) throw commentErrors.hidden();
	const { state, clock } = ctx.services;
	const target = comment.parentId === undefined ? comment : (state.comment(comment.parentId) ?? comment);
	const stored = state.addReply(target, message, clock.now(), ctx.account.igUserId);
	return { status: 200, json: { id: stored.id } };
}

function hide(ctx: GraphContext, params: Record<string, string>): HandlerResult {
	const comment = commentOf(ctx, params.id ?? '');
	const value = paramOf(ctx, 'hide');
	if (value !== 'true' && value !== 'false')
		throw graphErrors.invalidParameter('Param hide must be a boolean');
	if (isLive(ctx, comment)) throw commentErrors.live('hiding');
	// "Comments made by media object owners on their own media objects will always be displayed."
	comment.hidden = value === 'true' && comment.byAccount !== true;
	return { status: 200, json: { success: true } };
}

function remove(ctx: GraphContext, params: Record<string, string>): HandlerResult {
	const comment = commentOf(ctx, params.id ?? '');
	if (isLive(ctx, comment)) throw commentErrors.live('deleting');
	if (ctx.services.state.media(comment.mediaId)?.accountId !== ctx.account.igUserId)
		throw commentErrors.notOwner();
	ctx.services.state.deleteComment(comment.id);
	return { status: 200, json: { success: true } };
}

export const commentRoutes: GraphRoute[] = [
	{ method: 'GET', path: '/:id/media', handler: (ctx, params) => listMedia(ctx, params, false) },
	{ method: 'GET', path: '/:id/stories', handler: (ctx, params) => listMedia(ctx, params, true) },
	{ method: 'GET', path: '/:id/comments', handler: listComments },
	{ method: 'POST', path: '/:id/replies', handler: reply },
	{ method: 'POST', path: '/:id', handler: hide },
	{ method: 'DELETE', path: '/:id', handler: remove },
];

function mediaNode(ctx: GraphContext, media: SandboxMedia): JsonObject {
	const view = mediaView(media);
	const fields = parseFields(ctx.req.query.get('fields')) ?? [{ name: 'id', subfields: [] }];
	const out: JsonObject = { id: media.id };
	for (const field of fields) {
		if (!(field.name in view)) throw graphErrors.nonexistingField(field.name, 'IGMedia', ctx.account.flavour);
		out[field.name] = view[field.name] ?? null;
	}
	return out;
}

/**
 * `GET /{comment-id}` and `GET /{media-id}` share the catch-all `GET /:id`: the account's comments
 * and media are answered here (another account's: Meta's "does not exist" for this token), the
 * rest passes on.
 */
export function withCommentNode(routes: GraphRoute[]): GraphRoute[] {
	return routes.map((route) =>
		route.method === 'GET' && route.path === '/:id'
			? {
					...route,
					handler: (ctx, params) => {
						const media = ctx.services.state.media(params.id ?? '');
						if (media !== undefined) {
							if (media.accountId !== ctx.account.igUserId)
								throw graphErrors.unsupportedRequest('GET', media.id);
							return { status: 200, json: mediaNode(ctx, media) };
						}
						const comment = ctx.services.state.comment(params.id ?? '');
						if (comment === undefined || comment.accountId !== ctx.account.igUserId)
							return route.handler(ctx, params);
						const fields = parseFields(ctx.req.query.get('fields')) ?? [
							{ name: 'id', subfields: [] },
							{ name: 'text', subfields: [] },
							{ name: 'timestamp', subfields: [] },
						];
						return { status: 200, json: commentView(ctx, comment, fields) };
					},
				}
			: route,
	);
}
