import type { IDataObject } from 'n8n-workflow';

import { classifyMessagingItem, looksLikeMessagingItem } from './classify';
import { finishEvent, newEvent, type EventContext } from './event';
import { idAt, isRecord, recordAt, textAt } from './read';
import { toTimestampMs } from './time';
import type { Comment, InstagramEvent, InstagramEventType } from './types';

const COMMENT_TYPE_BY_FIELD: ReadonlyMap<string, InstagramEventType> = new Map([
	['comments', 'comment'],
	['live_comments', 'live_comment'],
	['mentions', 'mention'],
]);

/**
 * Change fields whose messaging-shaped values are real deliveries. Every other messaging-shaped
 * change (`messages`, `message_reactions`, `messaging_postbacks`, …) is the dashboard's "Test"
 * button (instagram-api.md §2.4), marked `isTest`.
 */
const PRODUCTION_MESSAGING_FIELDS: ReadonlySet<string> = new Set(['messaging_handover']);

/**
 * Both layouts: Instagram Login (`id`, `from`, `text`, `media`, `parent_id`) and the Page
 * flavour's mentions (`media_id`, `comment_id`).
 */
function parseComment(value: IDataObject): Comment {
	const from = recordAt(value, 'from');
	const media = recordAt(value, 'media');
	return {
		id: idAt(value, 'id') ?? idAt(value, 'comment_id'),
		text: textAt(value, 'text'),
		parentId: idAt(value, 'parent_id'),
		mediaId: idAt(media, 'id') ?? idAt(value, 'media_id'),
		mediaProductType: textAt(media, 'media_product_type'),
		fromUsername: textAt(from, 'username'),
		adId: idAt(media, 'ad_id'),
		originalMediaId: idAt(media, 'original_media_id'),
	};
}

function classifyComment(
	eventType: InstagramEventType,
	value: IDataObject,
	change: IDataObject,
	context: EventContext,
): InstagramEvent {
	const ownTimestampMs = toTimestampMs(value.timestamp);
	const event = newEvent(eventType, context, change, ownTimestampMs);
	const from = recordAt(value, 'from');
	event.comment = parseComment(value);
	event.text = event.comment.text;
	event.senderId = idAt(from, 'id');
	// The business commenting on its own media carries `from.self_ig_scoped_id`: no customer then.
	event.isSelf =
		(from !== null && from.self_ig_scoped_id !== undefined) ||
		(event.senderId !== null && event.senderId === event.accountId);
	event.customerId = event.isSelf ? null : event.senderId;
	return finishEvent(event, ownTimestampMs, value);
}

/**
 * One `changes[]` object (or an entry's top-level `field`/`value` pair) → one event.
 * Unrecognised fields with an object value become `unknown` events so nothing is lost.
 * Returns null when the change is malformed.
 */
export function classifyChange(change: unknown, context: EventContext): InstagramEvent | null {
	if (!isRecord(change)) return null;
	const field = textAt(change, 'field');
	const value = change.value;
	if (!isRecord(value)) return null;

	const commentType = field === null ? undefined : COMMENT_TYPE_BY_FIELD.get(field);
	if (commentType !== undefined) return classifyComment(commentType, value, change, context);

	if (looksLikeMessagingItem(value)) {
		const messagingContext: EventContext = {
			...context,
			isStandby: context.isStandby || field === 'standby',
			isTest: context.isTest || field === null || !PRODUCTION_MESSAGING_FIELDS.has(field),
		};
		return classifyMessagingItem(value, messagingContext, change);
	}

	if (field === null) return null;
	const ownTimestampMs = toTimestampMs(value.timestamp);
	return finishEvent(newEvent('unknown', context, change, ownTimestampMs), ownTimestampMs, change);
}
