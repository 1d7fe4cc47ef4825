/** Control endpoints for webhooks: a customer DM, a raw delivery, the callback and its handshake. */
import type { ControlRoute } from '../controlRoute';
import { isJsonObject, optNumber, optString } from '../http';
import { ControlError, ok, signatureParam } from './params';

export const webhookRoutes: ControlRoute[] = [
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
];
