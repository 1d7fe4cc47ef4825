/**
 * Webhook subscriptions (docs/meta-fidelity.md):
 * - app level: `GET|POST|DELETE /vX/{app-id}/subscriptions` with the Meta app's access token
 *   `<app id>|<app secret>` (Meta's Subscriptions edge documents the Meta app; the Instagram app
 *   id of Instagram Login is refused); one callback per object per app; the fields must be ones
 *   Meta lists for the app's setup; POST verifies the callback with Meta's GET handshake first and
 *   fails with (#2200) when it does not answer the challenge;
 * - account level: `GET|POST|DELETE /vX/{me|IG_ID|PAGE_ID}/subscribed_apps` with the account's
 *   token (Instagram Login user token, or Page token).
 * Deliveries then go to the subscribed callback (SandboxState.webhook), signed with the account's
 * secret (A: Instagram app secret, B: Meta app secret).
 */
import { GraphError, graphErrors } from '../errors';
import type { HandlerResult } from '../http';
import { formToObject, withoutSecrets } from '../http';
import { accountSelfIds } from '../state';
import type { AppSubscription } from '../state';
import type { JsonObject, JsonValue } from '../types';
import { INSTAGRAM_FIELDS, PAGE_SUBSCRIBED_FIELDS } from '../webhooks/fields';
import { verifyCallbackUrl } from '../webhooks/sender';
import { extractToken } from './auth';
import type { GraphContext, GraphRoute } from './context';

const OBJECTS = ['instagram', 'page', 'user', 'permissions', 'application'];

function params(ctx: GraphContext): JsonObject {
	return withoutSecrets({ ...formToObject(ctx.req.query), ...ctx.req.body });
}

function fieldList(value: JsonValue | undefined): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	const names = list
		.map((v) =>
			typeof v === 'string'
				? v
				: typeof v === 'object' && v !== null && !Array.isArray(v)
					? v.name
					: undefined,
		)
		.filter((v): v is string => typeof v === 'string')
		.map((v) => v.trim())
		.filter((v) => v !== '');
	return [...new Set(names)];
}

const appTokenRequired = () =>
	new GraphError(400, {
		message: '(#15) This method must be called with an app access_token.',
		type: 'OAuthException',
		code: 15,
	});

const verificationFailed = (status: number, detail: string) =>
	new GraphError(400, {
		message: `(#2200) callback verification failed with the following errors: HTTP Status Code = ${status}; HTTP Message = ${detail}`,
		type: 'OAuthException',
		code: 2200,
	});

/**
 * Meta refuses a field it does not list, naming the allowed ones (wording as for
 * `subscribed_fields`, restfb/restfb#1210).
 */
function assertKnownFields(fields: string[], allowed: readonly string[], param: string): void {
	fields.forEach((field, index) => {
		if (!allowed.includes(field))
			throw graphErrors.invalidParameter(
				`Param ${param}[${index}] must be one of {${allowed.join(', ')}} - got "${field}"`,
			);
	});
}

/** The Meta app behind the app token, which must be the app in the path. */
function appFor(ctx: GraphContext, appId: string) {
	const { state } = ctx.services;
	// The Instagram app of Instagram Login is not a node of the Subscriptions edge.
	if (state.accounts().some((a) => a.flavour === 'instagram' && a.instagramAppId === appId))
		throw graphErrors.unsupportedRequest(ctx.req.method, appId);
	const app = state.appByToken(extractToken(ctx.req) ?? '');
	if (!app) throw appTokenRequired();
	if (app.appId !== appId) throw graphErrors.unsupportedRequest(ctx.req.method, appId);
	return app;
}

function view(sub: AppSubscription): JsonObject {
	return {
		object: sub.object,
		callback_url: sub.callbackUrl,
		active: sub.active,
		fields: sub.fields.map((name) => ({ name, version: 'v26.0' })),
	};
}

function getAppSubscriptions(ctx: GraphContext, p: Record<string, string>): HandlerResult {
	const app = appFor(ctx, p.id);
	return { status: 200, json: { data: ctx.services.state.appSubscriptions(app.appId).map(view) } };
}

async function postAppSubscription(ctx: GraphContext, p: Record<string, string>): Promise<HandlerResult> {
	const app = appFor(ctx, p.id);
	const body = params(ctx);
	const object = typeof body.object === 'string' ? body.object : '';
	if (!OBJECTS.includes(object))
		throw graphErrors.invalidParameter(
			'The parameter object is required and must be one of ' + OBJECTS.join(', '),
		);
	const callbackUrl = typeof body.callback_url === 'string' ? body.callback_url : '';
	if (callbackUrl === '') throw graphErrors.invalidParameter('The parameter callback_url is required');
	const fields = fieldList(body.fields);
	if (fields.length === 0) throw graphErrors.invalidParameter('The parameter fields is required');
	const flavour = ctx.services.state.flavourOfSubscriptionApp(app.appId);
	if (object === 'instagram' && flavour) assertKnownFields(fields, INSTAGRAM_FIELDS[flavour], 'fields');
	const verifyToken = typeof body.verify_token === 'string' ? body.verify_token : '';
	const { state, clock } = ctx.services;
	const existing = state.appSubscription(app.appId, object);
	// Meta verifies a new or changed callback before accepting it (§2.2).
	if (!existing || existing.callbackUrl !== callbackUrl || existing.verifyToken !== verifyToken) {
		const log = {
			seq: state.nextSeq(),
			at: clock.now(),
			kind: 'verify' as const,
			method: 'GET' as const,
			url: callbackUrl,
			status: undefined as number | undefined,
			error: undefined as string | undefined,
		};
		state.deliveries.push(log);
		let result;
		try {
			result = await verifyCallbackUrl(callbackUrl, verifyToken, { timeoutMs: 10_000 });
			log.status = result.status;
		} catch (error) {
			log.error = error instanceof Error ? error.message : String(error);
			throw verificationFailed(0, log.error);
		}
		if (!result.ok)
			throw verificationFailed(result.status, result.status === 200 ? 'challenge mismatch' : 'Forbidden');
	}
	state.setAppSubscription(app.appId, {
		object,
		callbackUrl,
		verifyToken,
		fields,
		includeValues: body.include_values === true || body.include_values === 'true',
		active: true,
	});
	// The Subscriptions edge's sample answer carries the string.
	return { status: 200, json: { success: 'true' } };
}

function deleteAppSubscription(ctx: GraphContext, p: Record<string, string>): HandlerResult {
	const app = appFor(ctx, p.id);
	const body = params(ctx);
	const object = typeof body.object === 'string' ? body.object : undefined;
	const fields = fieldList(body.fields);
	const { state } = ctx.services;
	const existing = object ? state.appSubscription(app.appId, object) : undefined;
	if (object && existing && fields.length > 0) {
		const remaining = existing.fields.filter((f) => !fields.includes(f));
		if (remaining.length > 0) state.setAppSubscription(app.appId, { ...existing, fields: remaining });
		else state.deleteAppSubscription(app.appId, object);
	} else state.deleteAppSubscription(app.appId, object);
	return { status: 200, json: { success: true } };
}

/** The account in the path must be the token's own account (`me`, its IG id or its Page id). */
function accountNode(ctx: GraphContext, id: string) {
	const { account } = ctx;
	if (ctx.services.state.anyAppByToken(extractToken(ctx.req) ?? '')) {
		throw graphErrors.invalidParameter(
			'This endpoint requires a user or Page access token, not an app access token',
		);
	}
	if (id !== 'me' && !accountSelfIds(account).includes(id) && id !== account.igUserId) {
		throw graphErrors.unsupportedRequest(ctx.req.method, id);
	}
	return { account, app: ctx.services.state.appOf(account) };
}

/**
 * A Page lists each installed app as Meta's sample does (category, link, name, id,
 * subscribed_fields); on graph.instagram.com Meta shows no sample: the sandbox answers with the
 * Instagram app id and no name, as production code that talks to it expects (docs/meta-fidelity.md).
 */
function getSubscribedApps(ctx: GraphContext, p: Record<string, string>): HandlerResult {
	const { account, app } = accountNode(ctx, p.id);
	const { state } = ctx.services;
	const ids = [app.appId, ...state.otherSubscribedApps(account.igUserId)];
	const data = ids.flatMap((id) => {
		const fields = state.accountSubscription(account.igUserId, id);
		if (!fields) return [];
		return account.flavour === 'instagram'
			? [{ id, subscribed_fields: fields }]
			: [
					{
						category: 'Business',
						link: 'https://example.com/app',
						name: `App ${id}`,
						id,
						subscribed_fields: fields,
					},
				];
	});
	return { status: 200, json: { data } };
}

function postSubscribedApps(ctx: GraphContext, p: Record<string, string>): HandlerResult {
	const { account, app } = accountNode(ctx, p.id);
	const fields = fieldList(params(ctx).subscribed_fields);
	if (fields.length === 0) throw graphErrors.invalidParameter('The parameter subscribed_fields is required.');
	assertKnownFields(
		fields,
		account.flavour === 'instagram' ? INSTAGRAM_FIELDS.instagram : PAGE_SUBSCRIBED_FIELDS,
		'subscribed_fields',
	);
	ctx.services.state.setAccountSubscription(account.igUserId, app.appId, fields);
	return { status: 200, json: account.flavour === 'instagram' ? { success: true } : { success: 'true' } };
}

function deleteSubscribedApps(ctx: GraphContext, p: Record<string, string>): HandlerResult {
	const { account, app } = accountNode(ctx, p.id);
	ctx.services.state.setAccountSubscription(account.igUserId, app.appId, undefined);
	return { status: 200, json: { success: true } };
}

export const subscriptionsRoutes: GraphRoute[] = [
	{ method: 'GET', path: '/:id/subscriptions', handler: getAppSubscriptions },
	{ method: 'POST', path: '/:id/subscriptions', handler: postAppSubscription },
	{ method: 'DELETE', path: '/:id/subscriptions', handler: deleteAppSubscription },
	{ method: 'GET', path: '/:id/subscribed_apps', handler: getSubscribedApps },
	{ method: 'POST', path: '/:id/subscribed_apps', handler: postSubscribedApps },
	{ method: 'DELETE', path: '/:id/subscribed_apps', handler: deleteSubscribedApps },
];
