/**
 * Send API rate limits per Instagram account (instagram-api.md §7.4): 300 calls/s for text, links,
 * reactions, stickers and sender actions; 10 calls/s for audio or video attachments. A call over
 * the limit is refused with Meta's throttling error 613 (§7.2, the same error as the Conversations
 * API limit in `conversations.ts`), before anything is sent: it lands in `rejected`, never in
 * `sent`. Private replies (`recipient.comment_id`) have their own cap, 750 per hour
 * (`state/sendRateLimiter.ts`, `PrivateReplyLimiter`).
 *
 * Switches: `MetaSandbox.start({ sendRateLimit: { text, audioVideo } | null })` (default on, at
 * Meta's numbers) and `sandbox.state.setSendRateLimit(...)`. A class set to `null` is unlimited.
 */
import { isJsonObject } from '../http';
import type { SendRateClass } from '../state/sendRateLimiter';
import type { JsonObject } from '../types';

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

/** Whether a Send API body is a private reply (its own cap: `PrivateReplyLimiter`). */
export function isPrivateReply(body: JsonObject): boolean {
	return isJsonObject(body.recipient) && body.recipient.comment_id !== undefined;
}
