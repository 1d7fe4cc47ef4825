import type { IDataObject } from 'n8n-workflow';

import { messageKindOf, parseAttachments, parseReplyTo } from './attachments';
import {
	parseEdit,
	parseHandover,
	parseOptin,
	parsePolicyEnforcement,
	parsePostback,
	parseReaction,
	parseReferral,
} from './details';
import { finishEvent, newEvent, type EventContext } from './event';
import { flagAt, idAt, isRecord, nestedIdAt, recordAt, textAt } from './read';
import { toTimestampMs } from './time';
import type { InstagramEvent, InstagramEventType } from './types';

/** Keys of a messaging item that name its event, in the order they are checked (instagram-api.md §2.6). */
export const MESSAGING_EVENT_KEYS = [
	'message',
	'message_edit',
	'reaction',
	'read',
	'postback',
	'referral',
	'optin',
	'pass_thread_control',
	'take_thread_control',
	'request_thread_control',
	'pass_thread_metadata',
	'app_roles',
	'policy_enforcement',
	// Messenger's spelling of the same event.
	'policy-enforcement',
] as const;

type MessagingEventKey = (typeof MESSAGING_EVENT_KEYS)[number];

const TYPE_BY_KEY: Record<Exclude<MessagingEventKey, 'message' | 'reaction'>, InstagramEventType> = {
	message_edit: 'message_edit',
	read: 'seen',
	postback: 'postback',
	referral: 'referral',
	optin: 'optin',
	pass_thread_control: 'handover_pass',
	take_thread_control: 'handover_take',
	request_thread_control: 'handover_request',
	pass_thread_metadata: 'handover_metadata',
	app_roles: 'app_roles',
	policy_enforcement: 'policy_enforcement',
	'policy-enforcement': 'policy_enforcement',
};

/** True when a value has the shape of a messaging item (used for `changes[].value`). */
export function looksLikeMessagingItem(value: unknown): boolean {
	if (!isRecord(value)) return false;
	if (isRecord(value.sender) || isRecord(value.recipient)) return true;
	return MESSAGING_EVENT_KEYS.some((key) => isRecord(value[key]));
}

function messageEventType(message: IDataObject): InstagramEventType {
	if (flagAt(message, 'is_deleted')) return 'message_deleted';
	if (flagAt(message, 'is_unsupported')) return 'message_unsupported';
	if (flagAt(message, 'is_echo')) return 'echo';
	return 'message';
}

function fillMessage(event: InstagramEvent, message: IDataObject): void {
	event.mid = idAt(message, 'mid');
	event.text = textAt(message, 'text');
	event.attachments = parseAttachments(message);
	event.replyTo = parseReplyTo(message);
	event.quickReplyPayload = textAt(recordAt(message, 'quick_reply'), 'payload');
	event.referral = parseReferral(recordAt(message, 'referral'));
	if (event.eventType === 'message') {
		event.messageKind = messageKindOf(event.attachments, event.replyTo, event.quickReplyPayload);
	}
}

/** Sets the event-specific fields from the object under the item's event key. */
function fillDetails(event: InstagramEvent, key: MessagingEventKey, value: IDataObject): void {
	switch (key) {
		case 'message':
			return fillMessage(event, value);
		case 'message_edit':
			event.mid = idAt(value, 'mid');
			event.text = textAt(value, 'text');
			event.edit = parseEdit(value);
			return;
		case 'reaction':
			event.reaction = parseReaction(value);
			event.mid = event.reaction.mid;
			return;
		case 'read':
			event.mid = idAt(value, 'mid');
			return;
		case 'postback':
			event.postback = parsePostback(value);
			event.mid = event.postback.mid;
			event.referral = event.postback.referral;
			return;
		case 'referral':
			event.referral = parseReferral(value);
			return;
		case 'optin':
			event.optin = parseOptin(value);
			return;
		case 'policy_enforcement':
		case 'policy-enforcement':
			event.policyEnforcement = parsePolicyEnforcement(value);
			return;
		case 'app_roles':
			event.handover = parseHandover(value, true);
			return;
		default:
			event.handover = parseHandover(value);
	}
}

function eventTypeFor(key: MessagingEventKey, value: IDataObject): InstagramEventType {
	if (key === 'message') return messageEventType(value);
	if (key === 'reaction') return textAt(value, 'action') === 'unreact' ? 'unreaction' : 'reaction';
	return TYPE_BY_KEY[key];
}

/**
 * The customer is the sender, except when the business sent the event: echoes, or the sender
 * being the account itself (`entry.id`) while the recipient is someone else.
 */
function isBusinessSide(event: InstagramEvent): boolean {
	if (event.isEcho) return true;
	const { accountId, senderId, recipientId } = event;
	return accountId !== null && senderId === accountId && recipientId !== accountId;
}

/**
 * One messaging item (`messaging[]`, `standby[]`, or a messaging-shaped change value) → one event.
 * Returns null for malformed items: not an object, or no event key and no sender/recipient/time.
 * @param raw what to keep as `raw` (defaults to the item itself)
 */
export function classifyMessagingItem(
	item: unknown,
	context: EventContext,
	raw?: IDataObject,
): InstagramEvent | null {
	if (!isRecord(item)) return null;
	const key = MESSAGING_EVENT_KEYS.find((candidate) => isRecord(item[candidate])) ?? null;
	const senderId = nestedIdAt(item, 'sender');
	const recipientId = nestedIdAt(item, 'recipient');
	const ownTimestampMs = toTimestampMs(item.timestamp);
	if (key === null && senderId === null && recipientId === null && ownTimestampMs === null) {
		return null;
	}

	const value = key === null ? null : recordAt(item, key);
	const eventType = key === null || value === null ? 'unknown' : eventTypeFor(key, value);
	const event = newEvent(eventType, context, raw ?? item, ownTimestampMs);
	event.senderId = senderId;
	event.recipientId = recipientId;
	if (event.accountId === null) event.accountId = flagAt(value, 'is_echo') ? senderId : recipientId;
	if (key !== null && value !== null) {
		fillDetails(event, key, value);
		event.isEcho = key === 'message' && flagAt(value, 'is_echo');
		event.isSelf = flagAt(value, 'is_self') || flagAt(item, 'is_self');
	}
	event.customerId = isBusinessSide(event) ? recipientId : senderId;
	return finishEvent(event, ownTimestampMs, item);
}
