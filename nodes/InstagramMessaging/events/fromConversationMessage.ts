import type { IDataObject } from 'n8n-workflow';

import { classifyMessagingItem } from './classify';
import type { EventContext } from './event';
import { arrayAt, idAt, isRecord, nestedIdAt, recordAt, textAt } from './read';
import { toTimestampMs } from './time';
import type { InstagramEvent } from './types';

/**
 * A message read from the Conversations API (instagram-api.md §4.2) → the same event the trigger
 * emits for that message's webhook. The Graph object is rewritten into a webhook messaging item
 * (§2.7) and run through the trigger's own classifier, so event type, customer id, kind and
 * `dedupKey` (`message:<mid>`, `echo:<mid>`, …) match what the trigger computes for the same mid.
 *
 * Differences that remain, because the Conversations API does not return them: `created_time` has
 * second precision (webhooks carry milliseconds), quick-reply payloads, referrals and `reply_to.mid`
 * are absent, and the attachment type is inferred from which `*_data` field is present.
 *
 * Meta gives details only for a conversation's 20 most recent messages; older ones come as a bare
 * id (and time). Such a message is never turned into an event: without a sender and a time it
 * would look like a new inbound message.
 */

/** Meta details only this many of a conversation's most recent messages (Conversations API). */
export const MESSAGES_WITH_DETAILS = 20;

/** Whether Meta returned the message's details (sender id and time), not just its id. */
export function hasMessageDetails(message: IDataObject): boolean {
	return nestedIdAt(message, 'from') !== null && toTimestampMs(message.created_time) !== null;
}

/**
 * Of a newest-first page that starts at position `offset` in the conversation: the messages
 * within the 20 most recent that carry details, and whether the 20 are used up (nothing older
 * can have details, so reading further is pointless).
 */
export function messagesWithDetails(
	listed: IDataObject[],
	offset = 0,
): { messages: IDataObject[]; exhausted: boolean } {
	const within = listed.slice(0, Math.max(0, MESSAGES_WITH_DETAILS - offset));
	return {
		messages: within.filter(hasMessageDetails),
		exhausted: offset + listed.length >= MESSAGES_WITH_DETAILS,
	};
}

export type ConversationMessageContext = {
	/** The business Instagram account id (IG_ID, the webhook `entry.id`). Decides message vs echo. */
	accountId: string;
	/** The customer's IGSID, used when the message has no `to` (for example a sparse field set). */
	customerId?: string | null;
	/** The clock the event's window fields are computed against. Defaults to `Date.now()`. */
	nowMs?: number;
};

function firstRecord(value: unknown): IDataObject | null {
	if (!isRecord(value)) return null;
	const data = arrayAt(value, 'data');
	const first = data?.[0];
	return isRecord(first) ? first : null;
}

function listOf(value: unknown): IDataObject[] {
	if (!isRecord(value)) return [];
	return (arrayAt(value, 'data') ?? []).filter(isRecord);
}

/** One Graph attachment (`image_data`, `video_data`, `file_url`, …) → a webhook attachment. */
function webhookAttachment(attachment: IDataObject): IDataObject {
	const image = recordAt(attachment, 'image_data');
	const video = recordAt(attachment, 'video_data');
	const mime = textAt(attachment, 'mime_type') ?? '';
	let type = 'file';
	let url = textAt(attachment, 'file_url');
	if (image !== null) {
		type = image.render_as_sticker === true ? 'sticker' : 'image';
		url = textAt(image, 'url');
	} else if (video !== null) {
		type = 'video';
		url = textAt(video, 'url');
	} else if (mime.startsWith('audio/')) {
		type = 'audio';
	} else if (mime.startsWith('image/')) {
		type = 'image';
	} else if (mime.startsWith('video/')) {
		type = 'video';
	}
	const payload: IDataObject = {};
	if (url !== null) payload.url = url;
	const title = textAt(attachment, 'name');
	if (title !== null) payload.title = title;
	return { type, payload };
}

/** The webhook `message` object for a Graph message. */
function webhookMessage(message: IDataObject, mid: string, isEcho: boolean): IDataObject {
	const out: IDataObject = { mid };
	const text = textAt(message, 'message');
	if (text !== null && text !== '') out.text = text;
	const attachments: IDataObject[] = listOf(message.attachments).map(webhookAttachment);
	for (const share of listOf(message.shares)) {
		const url = textAt(share, 'link');
		attachments.push({ type: 'share', payload: url === null ? {} : { url } });
	}
	const story = recordAt(message, 'story');
	const mention = recordAt(story ?? {}, 'mention');
	if (mention !== null) {
		attachments.push({ type: 'story_mention', payload: { url: textAt(mention, 'link') } });
	}
	const storyReply = recordAt(story ?? {}, 'reply_to');
	if (storyReply !== null) {
		out.reply_to = { story: { id: idAt(storyReply, 'id'), url: textAt(storyReply, 'link') } };
	}
	if (attachments.length > 0) out.attachments = attachments;
	if (message.is_unsupported === true) out.is_unsupported = true;
	if (isEcho) out.is_echo = true;
	return out;
}

/**
 * Returns null when the message has no id (nothing to deduplicate on) or no details. `raw` of the
 * event is the Graph message as Meta returned it.
 */
export function fromConversationMessage(
	message: IDataObject,
	context: ConversationMessageContext,
): InstagramEvent | null {
	const mid = idAt(message, 'id');
	if (mid === null || !hasMessageDetails(message)) return null;
	const fromId = nestedIdAt(message, 'from');
	const toId = idAt(firstRecord(message.to), 'id');
	const customerId = context.customerId ?? null;
	const isEcho = fromId !== null && fromId === context.accountId;
	const senderId = fromId ?? (isEcho ? context.accountId : customerId);
	const recipientId = toId ?? (isEcho ? customerId : context.accountId);
	const timestamp = toTimestampMs(message.created_time);

	const item: IDataObject = {
		sender: { id: senderId },
		recipient: { id: recipientId },
		message: webhookMessage(message, mid, isEcho),
	};
	if (timestamp !== null) item.timestamp = timestamp;

	const eventContext: EventContext = {
		accountId: context.accountId,
		source: 'messaging',
		isStandby: false,
		isTest: false,
		entryTimeMs: null,
		nowMs: context.nowMs ?? Date.now(),
	};
	return classifyMessagingItem(item, eventContext, message);
}
