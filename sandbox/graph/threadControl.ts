/**
 * Conversation Routing (Meta's "Conversation Control APIs", Jul 2026; docs/meta-fidelity.md):
 * `POST /{page}/pass_thread_control | take_thread_control | release_thread_control |
 * request_thread_control` and `GET /{page}/thread_owner?recipient=<IGSID>`, served for the Facebook
 * Page setup only: Meta documents them on graph.facebook.com with a Page token and nowhere on
 * graph.instagram.com. The ownership model: `state/threadOwnership.ts`.
 */
import { graphErrors } from '../errors';
import type { HandlerResult } from '../http';
import { formToObject, isJsonObject, optString, withoutSecrets } from '../http';
import { appIdOf } from '../state/accountApps';
import { INSTAGRAM_INBOX_APP_ID } from '../state/threadOwnership';
import type { JsonObject } from '../types';
import type { ThreadControlAction } from '../webhooks/handover';
import type { GraphContext, GraphRoute } from './context';

/** A thread falls idle 24 h after the customer's last message (Conversation Routing for Instagram). */
const THREAD_OWNERSHIP_MS = 24 * 60 * 60 * 1000;

/** Page setup only; on graph.instagram.com Meta documents no thread-control edge. */
function assertSelf(ctx: GraphContext, pathId: string, method: string, edge: string): void {
	const { account } = ctx;
	if (account.flavour === 'instagram') throw graphErrors.unknownPath(`/${edge}`);
	if (pathId !== 'me' && pathId !== account.pageId) throw graphErrors.unsupportedRequest(method, pathId);
}

function recipientOf(ctx: GraphContext, params: JsonObject): string {
	const recipient = params.recipient;
	const id = isJsonObject(recipient) ? optString(recipient, 'id') : undefined;
	if (!id) throw graphErrors.invalidParameter('The parameter recipient is required');
	if (!ctx.services.state.customer(ctx.account.igUserId, id)) throw graphErrors.noMatchingUser();
	return id;
}

function metadataOf(params: JsonObject): string | undefined {
	const metadata = params.metadata;
	if (metadata === undefined) return undefined;
	if (typeof metadata !== 'string') throw graphErrors.invalidParameter('Param metadata must be a string');
	if (metadata.length > 1000)
		throw graphErrors.invalidParameter('Param metadata must be at most 1000 characters long');
	return metadata;
}

function controlRoute(action: ThreadControlAction): GraphRoute {
	return {
		method: 'POST',
		path: `/:id/${action}_thread_control`,
		handler: (ctx, params): HandlerResult => {
			assertSelf(ctx, params.id ?? '', 'POST', `${action}_thread_control`);
			if (ctx.req.bodyError) throw graphErrors.invalidParameter(`Invalid request body: ${ctx.req.bodyError}`);
			const body = withoutSecrets({ ...formToObject(ctx.req.query), ...ctx.req.body });
			const customerId = recipientOf(ctx, body);
			const metadata = metadataOf(body);
			const { state, clock } = ctx.services;
			const self = appIdOf(ctx.account);
			const now = clock.now();
			if (action === 'pass') {
				const target = optString(body, 'target_app_id') ?? INSTAGRAM_INBOX_APP_ID;
				if (!/^\d+$/.test(target))
					throw graphErrors.invalidParameter('Param target_app_id must be a valid app id');
				state.threads.pass(ctx.account, customerId, self, target, metadata, now);
			} else if (action === 'take') state.threads.take(ctx.account, customerId, self, metadata, now);
			else if (action === 'release') state.threads.release(ctx.account, customerId, self, metadata, now);
			else state.threads.request(ctx.account, customerId, self, metadata, now);
			return { status: 200, json: { success: true } };
		},
	};
}

/**
 * Meta: the owner or the default app gets `app_id` and `expiration`; another app gets only
 * `expiration` while the thread is held; an idle thread gives an empty answer.
 */
function getThreadOwner(ctx: GraphContext, params: Record<string, string>): HandlerResult {
	assertSelf(ctx, params.id ?? '', 'GET', 'thread_owner');
	const customerId = ctx.req.query.get('recipient');
	if (!customerId) throw graphErrors.invalidParameter('The parameter recipient is required');
	if (!ctx.services.state.customer(ctx.account.igUserId, customerId)) throw graphErrors.noMatchingUser();
	const threads = ctx.services.state.threads;
	const owner = threads.owner(ctx.account, customerId);
	if (owner === null) return { status: 200, json: { data: [] } };
	const self = appIdOf(ctx.account);
	const since = threads.ownedSince(ctx.account, customerId) ?? ctx.services.clock.now();
	const expiration = Math.floor((since + THREAD_OWNERSHIP_MS) / 1000);
	const seesOwner = owner === self || threads.primary(ctx.account) === self;
	const threadOwner = seesOwner ? { app_id: owner, expiration } : { expiration };
	return { status: 200, json: { data: [{ thread_owner: threadOwner }] } };
}

export const threadControlRoutes: GraphRoute[] = [
	controlRoute('pass'),
	controlRoute('take'),
	controlRoute('release'),
	controlRoute('request'),
	{ method: 'GET', path: '/:id/thread_owner', handler: getThreadOwner },
];
