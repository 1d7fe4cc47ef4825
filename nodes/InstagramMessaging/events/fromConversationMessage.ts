import type { IDataObject } from 'n8n-workflow';

import { classifyMessagingItem } from './classify';
import type { EventContext } from './event';
import { edgeList, graphAttachment, hasMessageDetails } from './graphMessage';
import { idAt, nestedIdAt, recordAt, textAt } from './read';
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

export type ConversationMessageContext = {
	/** The business Instagram account id (IG_ID, the webhook `entry.id`). Decides message vs echo. */
	accountId: string;
	/** The customer's IGSID, used when the message has no `to` (for example a sparse field set). */
	customerId?: string | null;
	/** The clock the event's window fields are computed against. Defaults to `Date.now()`. */
	nowMs?: number;
};

/** One Graph attachment → a webhook attachment, typed by the trigger's own rule. */
function webhookAttachment(attachment: IDataObject): IDataObject {
	const { type, url, name } = graphAttachment(attachment);
	const payload: IDataObject = {};
	if (url !== null) payload.url = url;
	if (name !== null) payload.title = name;
	return { type, payload };
}

/** The webhook `message` object for a Graph message. */
function webhookMessage(message: IDataObject, mid: string, isEcho: boolean): IDataObject {
	const out: IDataObject = { mid };
	const text = textAt(message, 'message');
	if (text !== null && text !== '') out.text = text;
	const attachments: IDataObject[] = edgeList(message.attachments).map(webhookAttachment);
	for (const share of edgeList(message.shares)) {
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
	const toId = idAt(edgeList(message.to)[0] ?? null, 'id');
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
