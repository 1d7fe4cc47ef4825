/**
 * The sandbox as Meta's webhook sender: POSTs payloads to the configured callback (only the
 * subscribed fields, signed with the account's secret) and runs the GET verification handshake.
 * Every attempt lands in `state.deliveries`.
 */
import type { SandboxClock } from '../clock';
import { isJsonObject } from '../http';
import type { DeliverOptions } from '../sandboxOptions';
import { accountAppSecret } from '../state/accountApps';
import type { SandboxState } from '../state';
import type { DeliveryLogEntry, DeliveryResult } from '../recordTypes';
import type { AccountRef, JsonObject } from '../types';
import { onlySubscribed } from './fields';
import { httpRequest, metaJson, signRequest, verifyCallbackUrl } from './sender';
import type { VerifyResult } from './sender';

export interface DeliveryServices {
	state: SandboxState;
	clock: SandboxClock;
	deliveryTimeoutMs: number | undefined;
}

export interface VerifyOptions {
	callbackUrl?: string;
	verifyToken?: string;
	account?: AccountRef;
	mode?: string;
}

/**
 * POST a webhook payload as Meta does: serialized once (escaped unicode and slashes), signed
 * over the exact bytes (`X-Hub-Signature-256`, plus legacy `X-Hub-Signature`). A string payload
 * is sent byte-for-byte as given.
 */
export async function deliverWebhook(
	{ state, clock, deliveryTimeoutMs }: DeliveryServices,
	payload: object | string,
	opts: DeliverOptions = {},
): Promise<DeliveryResult> {
	const account =
		state.findAccount(opts.account ?? accountIdOfPayload(payload) ?? 'instagram') ??
		state.account('instagram');
	// Through an app subscription Meta sends only the fields subscribed (an explicit callbackUrl
	// is a test delivering an exact body).
	const fields = opts.callbackUrl === undefined ? state.subscribedFields(account.igUserId) : undefined;
	if (fields !== undefined && typeof payload === 'object') {
		const kept = onlySubscribed(payload as JsonObject, fields, account.flavour);
		if (kept === undefined) {
			const reason = `no event is in a subscribed field (${fields.join(', ')})`;
			state.deliveries.push({
				seq: state.nextSeq(),
				at: clock.now(),
				kind: opts.kind ?? 'event',
				method: 'POST',
				url: state.webhook(account.igUserId)?.callbackUrl ?? '',
				signature: opts.signature ?? 'valid',
				body: metaJson(payload),
				notDelivered: reason,
			});
			return { status: 0, body: '', headers: {}, notDelivered: reason };
		}
		payload = kept;
	}
	const bodyText = typeof payload === 'string' ? payload : metaJson(payload);
	const callbackUrl = opts.callbackUrl ?? state.webhook(account.igUserId)?.callbackUrl;
	if (!callbackUrl) {
		throw new Error(
			'sandbox: no webhook callback configured — call setWebhook({ callbackUrl }) or pass callbackUrl',
		);
	}
	const mode = opts.signature ?? 'valid';
	const signed = signRequest(bodyText, opts.secret ?? accountAppSecret(account), mode);
	const log: DeliveryLogEntry = {
		seq: state.nextSeq(),
		at: clock.now(),
		kind: opts.kind ?? 'event',
		method: 'POST',
		url: callbackUrl,
		signature: mode,
		body: signed.body.toString('utf8'),
	};
	state.deliveries.push(log);
	try {
		const result = await httpRequest('POST', callbackUrl, {
			body: signed.body,
			headers: { ...signed.headers, ...opts.headers },
			timeoutMs: deliveryTimeoutMs,
		});
		log.status = result.status;
		return result;
	} catch (err) {
		log.error = err instanceof Error ? err.message : String(err);
		throw err;
	}
}

/** Meta's verification handshake against the callback; defaults come from the configured webhook. */
export async function verifyWebhookCallback(
	{ state, clock, deliveryTimeoutMs }: DeliveryServices,
	options: VerifyOptions,
): Promise<VerifyResult> {
	const configured = state.webhook(
		options.account === undefined ? undefined : state.account(options.account).igUserId,
	);
	const url = options.callbackUrl ?? configured?.callbackUrl;
	if (!url) throw new Error('sandbox: no webhook callback configured');
	const token = options.verifyToken ?? configured?.verifyToken ?? '';
	const log: DeliveryLogEntry = { seq: state.nextSeq(), at: clock.now(), kind: 'verify', method: 'GET', url };
	state.deliveries.push(log);
	try {
		const result = await verifyCallbackUrl(url, token, { mode: options.mode, timeoutMs: deliveryTimeoutMs });
		log.status = result.status;
		return result;
	} catch (err) {
		log.error = err instanceof Error ? err.message : String(err);
		throw err;
	}
}

/** `entry[0].id` of a payload (object or JSON text), if any. */
function accountIdOfPayload(payload: object | string): string | undefined {
	let parsed: unknown = payload;
	if (typeof payload === 'string') {
		try {
			parsed = JSON.parse(payload);
		} catch {
			return undefined;
		}
	}
	if (!isJsonObject(parsed)) return undefined;
	const entry = parsed.entry;
	if (!Array.isArray(entry) || entry.length === 0) return undefined;
	const first = entry[0];
	if (!isJsonObject(first)) return undefined;
	const id = first.id;
	return typeof id === 'string' ? id : typeof id === 'number' ? String(id) : undefined;
}
