import type { IDataObject } from 'n8n-workflow';

import { arrayAt, idAt, isRecord, nestedIdAt, recordAt, textAt } from './read';
import { toTimestampMs } from './time';

/**
 * A message as the Conversations API returns it (instagram-api.md §4.2): the one field list, the
 * 20-message rule, and the one simplified shape that Message → Get, Conversation → Get / Get
 * Messages output and that Backfill's events are built from.
 */

/** Every message field the Conversations API documents for Instagram. */
export const MESSAGE_FIELDS =
	'id,created_time,from,to,message,attachments,shares,story,reactions,is_unsupported';

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

/** The `data` list of a Graph edge (`{ data: [...] }`), records only. */
export function edgeList(value: unknown): IDataObject[] {
	if (!isRecord(value)) return [];
	return (arrayAt(value, 'data') ?? []).filter(isRecord);
}

export interface GraphAttachment {
	/** The trigger's attachment types: image, sticker, video, audio or file. */
	type: string;
	url: string | null;
	name: string | null;
}

/**
 * One Graph attachment (`image_data`, `video_data`, `file_url`, `mime_type`) with the type the
 * trigger gives the same attachment in a webhook (a sticker is an image rendered as a sticker).
 */
export function graphAttachment(attachment: IDataObject): GraphAttachment {
	const image = recordAt(attachment, 'image_data');
	const video = recordAt(attachment, 'video_data');
	const mime = textAt(attachment, 'mime_type') ?? '';
	const name = textAt(attachment, 'name');
	if (image !== null) {
		return { type: image.render_as_sticker === true ? 'sticker' : 'image', url: textAt(image, 'url'), name };
	}
	if (video !== null) return { type: 'video', url: textAt(video, 'url'), name };
	const type = mime.startsWith('audio/')
		? 'audio'
		: mime.startsWith('image/')
			? 'image'
			: mime.startsWith('video/')
				? 'video'
				: 'file';
	return { type, url: textAt(attachment, 'file_url'), name };
}

function present(value: string | null): string | null {
	return value === null || value === '' ? null : value;
}

/** Graph's `2026-07-28T22:44:49+0000` → ISO 8601 in UTC; unparsable values are kept as they are. */
export function isoTime(value: unknown): string | null {
	if (value === undefined || value === null || value === '') return null;
	const ms = Date.parse(String(value));
	return Number.isFinite(ms) ? new Date(ms).toISOString() : String(value);
}

/**
 * A message as a flat object. `direction` says whether the customer (`inbound`) or the business
 * account `accountId` (`outbound`) wrote it.
 */
export function simplifyGraphMessage(message: IDataObject, accountId: string): IDataObject {
	const fromId = nestedIdAt(message, 'from');
	const to = edgeList(message.to)[0] ?? {};
	const story = recordAt(message, 'story') ?? {};
	return {
		id: idAt(message, 'id'),
		createdTime: isoTime(message.created_time),
		direction: fromId === null ? null : fromId === accountId ? 'outbound' : 'inbound',
		fromId,
		fromUsername: present(textAt(recordAt(message, 'from'), 'username')),
		toId: idAt(to, 'id'),
		toUsername: present(textAt(to, 'username')),
		text: present(textAt(message, 'message')),
		attachments: edgeList(message.attachments).map((attachment) => {
			const { type, url } = graphAttachment(attachment);
			return { type, url };
		}),
		sharedLinks: edgeList(message.shares)
			.map((share) => textAt(share, 'link'))
			.map(present)
			.filter((link): link is string => link !== null),
		storyMentionUrl: present(textAt(recordAt(story, 'mention'), 'link')),
		storyReplyUrl: present(textAt(recordAt(story, 'reply_to'), 'link')),
		reactions: edgeList(message.reactions),
		isUnsupported: message.is_unsupported === true,
	};
}
