/**
 * Send API rate limits per Instagram account (instagram-api.md §7.4): 300 calls/s for text, links,
 * reactions, stickers and sender actions; 10 calls/s for audio or video attachments. A call over
 * the limit is refused with Meta's throttling error 613 (§7.2, the same error as the Conversations
 * API limit in `conversations.ts`), before anything is sent: it lands in `rejected`, never in
 * `sent`. Private replies (`recipient.comment_id`) have their own limits (§7.4) and are not
 * counted here.
 *
 * Switches: `MetaSandbox.start({ sendRateLimit: { text, audioVideo } | null })` (default on, at
 * Meta's numbers) and `sandbox.state.setSendRateLimit(...)`. A class set to `null` is unlimited.
 */
import { GraphError } from '../errors';
import { isJsonObject } from '../http';
import type { JsonObject, SendRateLimits } from '../types';

/** Meta's documented caps per account and second (§7.4). */
export const SEND_RATE_LIMITS: Readonly<SendRateLimits> = { text: 300, audioVideo: 10 };

export type SendRateClass = keyof SendRateLimits;

/** Meta's answer to a throttled call (§7.2), word for word the Conversations API one (`conversations.ts`). */
export const sendRateErrors = {
	throttled: () =>
		new GraphError(400, {
			message: '(#613) Calls to this api have exceeded the rate limit.',
			type: 'OAuthException',
			code: 613,
		}),
};

/** Which cap a Send API body counts against: audio or video attachments, or everything else. */
export function sendRateClass(body: JsonObject): SendRateClass {
	const message = body.message;
	if (!isJsonObject(message)) return 'text';
	const attachments = [
		message.attachment,
		...(Array.isArray(message.attachments) ? message.attachments : []),
	];
	const audioVideo = attachments.some((a) => isJsonObject(a) && (a.type === 'audio' || a.type === 'video'));
	return audioVideo ? 'audioVideo' : 'text';
}

/** Whether a Send API body is a private reply (its own limits, not modelled). */
export function isPrivateReply(body: JsonObject): boolean {
	return isJsonObject(body.recipient) && body.recipient.comment_id !== undefined;
}

/**
 * One token bucket per (account, class) holding one second's worth of calls, refilled
 * continuously: a client that spaces its calls evenly is never refused, a burst beyond the cap is.
 * Real time (not the sandbox clock, which tests freeze and move), because Meta throttles in real time.
 */
export class SendRateLimiter {
	private limits: SendRateLimits | null;
	private readonly buckets = new Map<string, { tokens: number; at: number }>();

	constructor(config?: Partial<SendRateLimits> | null) {
		this.limits = config === null ? null : { ...SEND_RATE_LIMITS, ...config };
	}

	/** New limits (missing classes keep Meta's numbers); null turns every send limit off. */
	configure(config: Partial<SendRateLimits> | null): void {
		this.limits = config === null ? null : { ...SEND_RATE_LIMITS, ...config };
		this.buckets.clear();
	}

	get current(): SendRateLimits | null {
		return this.limits === null ? null : { ...this.limits };
	}

	/** Counts one call; false when it is over the account's cap for this class. */
	take(accountId: string, rateClass: SendRateClass, nowMs: number = Date.now()): boolean {
		const perSecond = this.limits?.[rateClass] ?? null;
		if (perSecond === null || perSecond <= 0) return true;
		const key = `${accountId}|${rateClass}`;
		const bucket = this.buckets.get(key) ?? { tokens: perSecond, at: nowMs };
		bucket.tokens = Math.min(perSecond, bucket.tokens + ((nowMs - bucket.at) * perSecond) / 1000);
		bucket.at = nowMs;
		this.buckets.set(key, bucket);
		if (bucket.tokens < 1) return false;
		bucket.tokens -= 1;
		return true;
	}

	/** Full buckets again (limits stay). */
	reset(): void {
		this.buckets.clear();
	}
}
