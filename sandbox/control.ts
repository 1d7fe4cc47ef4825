/**
 * The `/_sandbox/*` control API (JSON) — what scripts (`npm run dm`) and humans use.
 * Mirrors the in-process methods of MetaSandbox.
 */
import type { FaultSpec, JsonObject, RecordFilter, SignatureMode } from './types';
import { chatRoutes } from './chat/routes';
import type { ControlRoute } from './controlRoute';
import type { HandlerResult, RequestContext } from './http';
import { isJsonObject, optNumber, optObject, optString } from './http';
import { Router } from './router';
import type { MetaSandbox } from './server';

class ControlError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

const SIGNATURE_MODES: SignatureMode[] = ['valid', 'none', 'forged', 'wrongSecret', 'tampered'];

const ok = (json: unknown): HandlerResult => ({ status: 200, json });

function mask(secret: string): string {
	return secret.length <= 6 ? '***' : `${secret.slice(0, 6)}…`;
}

function signatureParam(body: JsonObject): SignatureMode | undefined {
	const value = optString(body, 'signature');
	if (value === undefined) return undefined;
	if (!SIGNATURE_MODES.includes(value as SignatureMode)) {
		throw new ControlError(400, `signature must be one of ${SIGNATURE_MODES.join(', ')}`);
	}
	return value as SignatureMode;
}

function recordFilter(query: URLSearchParams): RecordFilter {
	const filter: RecordFilter = {};
	const recipientId = query.get('recipientId');
	const accountId = query.get('accountId');
	const since = query.get('since');
	if (recipientId) filter.recipientId = recipientId;
	if (accountId) filter.accountId = accountId;
	if (since) {
		const n = Number(since);
		if (!Number.isFinite(n)) throw new ControlError(400, 'since must be a number');
		filter.since = n;
	}
	return filter;
}

function faultSpec(body: JsonObject): FaultSpec {
	const path = optString(body, 'path');
	if (!path) throw new ControlError(400, 'path (a regular expression) is required');
	try {
		new RegExp(path);
	} catch {
		throw new ControlError(400, 'path is not a valid regular expression');
	}
	const spec: FaultSpec = { path };
	const method = optString(body, 'method');
	if (method) spec.method = method;
	const status = optNumber(body, 'status');
	if (status !== undefined) spec.status = status;
	const times = body.times === 'always' ? Infinity : optNumber(body, 'times');
	if (times !== undefined) spec.times = times;
	const delayMs = optNumber(body, 'delayMs');
	if (delayMs !== undefined) spec.delayMs = delayMs;
	if (body.reset === true) spec.reset = true;
	if (body.afterHandling === true) spec.afterHandling = true;
	const everyNth = optNumber(body, 'everyNth');
	if (everyNth !== undefined) spec.everyNth = everyNth;
	const error = optObject(body, 'error');
	if (error) {
		const code = optNumber(error, 'code');
		const message = optString(error, 'message');
		if (code === undefined || !message) throw new ControlError(400, 'error needs code and message');
		spec.error = { code, message };
		const sub = optNumber(error, 'error_subcode');
		if (sub !== undefined) spec.error.error_subcode = sub;
		const type = optString(error, 'type');
		if (type) spec.error.type = type;
		if (typeof error.is_transient === 'boolean') spec.error.is_transient = error.is_transient;
		const title = optString(error, 'error_user_title');
		if (title) spec.error.error_user_title = title;
		const userMsg = optString(error, 'error_user_msg');
		if (userMsg) spec.error.error_user_msg = userMsg;
	}
	const headers = optObject(body, 'headers');
	if (headers) {
		spec.headers = {};
		for (const [k, v] of Object.entries(headers)) if (typeof v === 'string') spec.headers[k] = v;
	}
	return spec;
}

async function inboxAction(
	sandbox: MetaSandbox,
	body: JsonObject,
	action: 'release' | 'take',
): Promise<unknown> {
	const opts = {
		customerId: optString(body, 'customerId'),
		account: optString(body, 'account'),
		byAppId: optString(body, 'byAppId'),
		metadata: optString(body, 'metadata'),
	};
	try {
		return action === 'release' ? await sandbox.inboxReleases(opts) : await sandbox.inboxTakes(opts);
	} catch (err) {
		throw new ControlError(409, err instanceof Error ? err.message : String(err));
	}
}

const routes: ControlRoute[] = [
	{
		method: 'GET',
		path: '/_sandbox',
		summary: 'this index',
		handler: ({ sandbox }) =>
			ok({
				url: sandbox.url,
				endpoints: routes.map((r) => `${r.method} ${r.path} — ${r.summary}`),
			}),
	},
	{
		method: 'GET',
		path: '/_sandbox/accounts',
		summary: 'seeded accounts (tokens and secrets masked)',
		handler: ({ sandbox }) =>
			ok({
				data: sandbox.accounts.map((a) =>
					a.flavour === 'instagram'
						? {
								...a,
								accessToken: mask(a.accessToken),
								instagramAppSecret: mask(a.instagramAppSecret),
								metaAppSecret: mask(a.metaAppSecret),
							}
						: { ...a, pageAccessToken: mask(a.pageAccessToken), metaAppSecret: mask(a.metaAppSecret) },
				),
			}),
	},
	{
		method: 'GET',
		path: '/_sandbox/sent',
		summary: 'accepted sends (?recipientId, accountId, since)',
		handler: ({ sandbox, req }) => ok({ data: sandbox.sent(recordFilter(req.query)) }),
	},
	{
		method: 'GET',
		path: '/_sandbox/rejected',
		summary: 'rejected sends with the Meta error (?recipientId, accountId, since)',
		handler: ({ sandbox, req }) => ok({ data: sandbox.rejected(recordFilter(req.query)) }),
	},
	{
		method: 'GET',
		path: '/_sandbox/requests',
		summary: 'Graph requests received, secrets redacted (?since, method, path)',
		handler: ({ sandbox, req }) => {
			const since = req.query.get('since');
			return ok({
				data: sandbox.requests({
					since: since ? Number(since) : undefined,
					method: req.query.get('method') ?? undefined,
					path: req.query.get('path') ?? undefined,
				}),
			});
		},
	},
	{
		method: 'GET',
		path: '/_sandbox/deliveries',
		summary: 'webhook deliveries made by the sandbox',
		handler: ({ sandbox }) => ok({ data: sandbox.deliveries() }),
	},
	{
		method: 'GET',
		path: '/_sandbox/conversations',
		summary: 'conversations (?account)',
		handler: ({ sandbox, req }) => ok({ data: sandbox.conversations(req.query.get('account') ?? undefined) }),
	},
	{
		method: 'POST',
		path: '/_sandbox/dm',
		summary: 'a customer DMs the business: { text, from?, account?, at?, agoMs?, deliver?, signature? }',
		handler: async ({ sandbox, req }) => {
			const text = optString(req.body, 'text');
			if (text === undefined) throw new ControlError(400, 'text is required');
			const agoMs = optNumber(req.body, 'agoMs');
			const at = optNumber(req.body, 'at') ?? (agoMs !== undefined ? sandbox.now() - agoMs : undefined);
			const deliver = req.body.deliver !== false;
			try {
				const result = await sandbox.customerSays({
					text,
					from: optString(req.body, 'from'),
					account: optString(req.body, 'account') ?? sandbox.chatAccount,
					at,
					mid: optString(req.body, 'mid'),
					deliver,
					signature: signatureParam(req.body),
					callbackUrl: optString(req.body, 'callbackUrl'),
				});
				return ok({
					event: result.event,
					delivery: result.delivery
						? { status: result.delivery.status, body: result.delivery.body }
						: undefined,
				});
			} catch (err) {
				if (err instanceof ControlError) throw err;
				const message = err instanceof Error ? err.message : String(err);
				if (/no webhook callback/.test(message) || /unknown account/.test(message))
					throw new ControlError(400, message);
				return { status: 502, json: { error: { message: `delivery failed: ${message}` } } };
			}
		},
	},
	{
		method: 'POST',
		path: '/_sandbox/deliver',
		summary: 'POST a raw payload as Meta: { payload, signature?, callbackUrl?, account? }',
		handler: async ({ sandbox, req }) => {
			const payload = req.body.payload;
			if (!isJsonObject(payload) && typeof payload !== 'string')
				throw new ControlError(400, 'payload (object or string) is required');
			try {
				const r = await sandbox.deliver(payload, {
					signature: signatureParam(req.body),
					callbackUrl: optString(req.body, 'callbackUrl'),
					account: optString(req.body, 'account'),
				});
				return ok({ delivery: { status: r.status, body: r.body } });
			} catch (err) {
				const message = err instanceof Error ? err.message : String(err);
				if (/no webhook callback/.test(message)) throw new ControlError(400, message);
				return { status: 502, json: { error: { message: `delivery failed: ${message}` } } };
			}
		},
	},
	{
		method: 'GET',
		path: '/_sandbox/webhook',
		summary: 'configured webhook callbacks',
		handler: ({ sandbox }) => {
			const fallback = sandbox.webhook();
			return ok({
				callbackUrl: fallback?.callbackUrl ?? null,
				hasVerifyToken: fallback?.verifyToken !== undefined,
				data: sandbox.state.webhookEntries().map(({ accountId, config }) => ({
					account: accountId,
					callbackUrl: config.callbackUrl,
					hasVerifyToken: config.verifyToken !== undefined,
				})),
			});
		},
	},
	{
		method: 'POST',
		path: '/_sandbox/webhook',
		summary: 'set the callback: { callbackUrl, verifyToken?, account? }',
		handler: ({ sandbox, req }) => {
			const callbackUrl = optString(req.body, 'callbackUrl');
			if (!callbackUrl) throw new ControlError(400, 'callbackUrl is required');
			try {
				new URL(callbackUrl);
			} catch {
				throw new ControlError(400, 'callbackUrl is not a valid URL');
			}
			const verifyToken = optString(req.body, 'verifyToken');
			sandbox.setWebhook(
				{ callbackUrl, ...(verifyToken !== undefined ? { verifyToken } : {}) },
				optString(req.body, 'account'),
			);
			return ok({ success: true });
		},
	},
	{
		method: 'DELETE',
		path: '/_sandbox/webhook',
		summary: 'remove the callback (?account)',
		handler: ({ sandbox, req }) => {
			sandbox.clearWebhook(req.query.get('account') ?? undefined);
			return ok({ success: true });
		},
	},
	{
		method: 'POST',
		path: '/_sandbox/webhook/verify',
		summary: "run Meta's GET handshake: { callbackUrl?, verifyToken? }",
		handler: async ({ sandbox, req }) => {
			try {
				const r = await sandbox.verifyCallback({
					callbackUrl: optString(req.body, 'callbackUrl'),
					verifyToken: optString(req.body, 'verifyToken'),
					account: optString(req.body, 'account'),
				});
				return ok(r);
			} catch (err) {
				const message = err instanceof Error ? err.message : String(err);
				if (/no webhook callback/.test(message)) throw new ControlError(400, message);
				return { status: 502, json: { error: { message: `verification request failed: ${message}` } } };
			}
		},
	},
	{
		method: 'GET',
		path: '/_sandbox/clock',
		summary: 'current sandbox time',
		handler: ({ sandbox }) => ok({ now: sandbox.now(), frozen: sandbox.clock.frozen }),
	},
	{
		method: 'POST',
		path: '/_sandbox/clock',
		summary: 'move the clock: { advanceMs?, now?, freeze? }',
		handler: ({ sandbox, req }) => {
			const now = optNumber(req.body, 'now');
			const advanceMs = optNumber(req.body, 'advanceMs');
			if (now !== undefined) sandbox.clock.set(now);
			if (advanceMs !== undefined) sandbox.clock.advance(advanceMs);
			if (req.body.freeze === true) sandbox.clock.freeze();
			if (req.body.freeze === false) sandbox.clock.unfreeze();
			return ok({ now: sandbox.now(), frozen: sandbox.clock.frozen });
		},
	},
	{
		method: 'GET',
		path: '/_sandbox/faults',
		summary: 'active faults',
		handler: ({ sandbox }) => ok({ data: sandbox.faults() }),
	},
	{
		method: 'POST',
		path: '/_sandbox/faults',
		summary:
			'inject: { path (regex), method?, status?, error?, times? (n|"always"), delayMs?, reset?, headers? }',
		handler: ({ sandbox, req }) => {
			try {
				return ok({ fault: sandbox.injectFault(faultSpec(req.body)) });
			} catch (err) {
				if (err instanceof ControlError) throw err;
				throw new ControlError(400, err instanceof Error ? err.message : String(err));
			}
		},
	},
	{
		method: 'DELETE',
		path: '/_sandbox/faults',
		summary: 'clear all faults',
		handler: ({ sandbox }) => {
			sandbox.clearFaults();
			return ok({ success: true });
		},
	},
	{
		method: 'GET',
		path: '/_sandbox/thread-owner',
		summary: 'which app holds a thread (?customerId, account): { ownerAppId } (null = idle)',
		handler: ({ sandbox, req }) => {
			try {
				return ok({
					ownerAppId: sandbox.threadOwner(
						req.query.get('customerId') ?? undefined,
						req.query.get('account') ?? undefined,
					),
				});
			} catch (err) {
				throw new ControlError(400, err instanceof Error ? err.message : String(err));
			}
		},
	},
	{
		method: 'POST',
		path: '/_sandbox/inbox/release',
		summary:
			'a person in the Instagram Inbox hands the thread back: { customerId?, account?, byAppId?, metadata? }',
		handler: async ({ sandbox, req }) => ok({ change: await inboxAction(sandbox, req.body, 'release') }),
	},
	{
		method: 'POST',
		path: '/_sandbox/inbox/take',
		summary:
			'a person in the Instagram Inbox takes the thread over: { customerId?, account?, byAppId?, metadata? }',
		handler: async ({ sandbox, req }) => ok({ change: await inboxAction(sandbox, req.body, 'take') }),
	},
	{
		method: 'GET',
		path: '/_sandbox/attachments',
		summary: 'uploaded attachments without their bytes (?account)',
		handler: ({ sandbox, req }) =>
			ok({
				data: sandbox
					.attachments(req.query.get('account') ?? undefined)
					.map(({ bytes: _bytes, ...rest }) => rest),
			}),
	},
	{
		method: 'GET',
		path: '/_sandbox/attachments/:id',
		summary:
			'one uploaded attachment: type, fileName, contentType, size, sha256, url and the bytes as base64 (data)',
		handler: ({ sandbox }, params) => {
			const found = sandbox.attachment(params.id ?? '');
			if (!found) throw new ControlError(404, `no attachment ${params.id ?? ''}`);
			const { bytes, ...rest } = found;
			return ok({ ...rest, ...(bytes ? { data: bytes.toString('base64') } : {}) });
		},
	},
	{
		method: 'POST',
		path: '/_sandbox/media',
		summary: 'a published post of the account (for Share Post): { id?, caption?, account? }',
		handler: ({ sandbox, req }) => {
			try {
				return ok(
					sandbox.addMedia({
						id: optString(req.body, 'id'),
						caption: optString(req.body, 'caption'),
						account: optString(req.body, 'account'),
					}),
				);
			} catch (err) {
				throw new ControlError(400, err instanceof Error ? err.message : String(err));
			}
		},
	},
	{
		method: 'GET',
		path: '/_sandbox/comments',
		summary: 'comments and their private reply, if any',
		handler: ({ sandbox }) => ok({ data: sandbox.state.listComments() }),
	},
	{
		method: 'POST',
		path: '/_sandbox/comments',
		summary:
			'a person comments on a post (no webhook): { text, id?, from?, fromUsername?, mediaId?, at?, agoMs?, account? }',
		handler: ({ sandbox, req }) => {
			const text = optString(req.body, 'text');
			if (text === undefined) throw new ControlError(400, 'text is required');
			const agoMs = optNumber(req.body, 'agoMs');
			try {
				return ok(
					sandbox.addComment({
						text,
						id: optString(req.body, 'id'),
						from: optString(req.body, 'from'),
						fromUsername: optString(req.body, 'fromUsername'),
						mediaId: optString(req.body, 'mediaId'),
						at: optNumber(req.body, 'at') ?? (agoMs !== undefined ? sandbox.now() - agoMs : undefined),
						account: optString(req.body, 'account'),
					}),
				);
			} catch (err) {
				throw new ControlError(400, err instanceof Error ? err.message : String(err));
			}
		},
	},
	{
		method: 'POST',
		path: '/_sandbox/reset',
		summary: 'clear records, conversations, faults and the clock (keeps accounts and webhooks)',
		handler: ({ sandbox }) => {
			sandbox.reset();
			return ok({ success: true });
		},
	},
	...chatRoutes,
];

export class ControlApi {
	private readonly router = new Router<ControlRoute>(routes);

	constructor(private readonly sandbox: MetaSandbox) {}

	/** Endpoint list, e.g. for the CLI banner. */
	static endpoints(): Array<{ method: string; path: string; summary: string }> {
		return routes.map(({ method, path, summary }) => ({ method, path, summary }));
	}

	async handle(req: RequestContext): Promise<HandlerResult> {
		if (req.bodyError) return { status: 400, json: { error: { message: req.bodyError } } };
		const match = this.router.match(req.method, req.path);
		if (match.kind === 'notFound')
			return { status: 404, json: { error: { message: `no control endpoint ${req.path}` } } };
		if (match.kind === 'methodNotAllowed') {
			return {
				status: 405,
				json: { error: { message: `use ${match.allowed.join(' or ')}` } },
				headers: { Allow: match.allowed.join(', ') },
			};
		}
		try {
			return await match.route.handler({ req, sandbox: this.sandbox }, match.params);
		} catch (err) {
			if (err instanceof ControlError)
				return { status: err.status, json: { error: { message: err.message } } };
			return { status: 500, json: { error: { message: err instanceof Error ? err.message : String(err) } } };
		}
	}
}
