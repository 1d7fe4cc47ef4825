import type { IDataObject } from 'n8n-workflow';

import { idAt, isRecord, recordAt, textAt } from './read';
import type { Attachment, MessageKind, ReplyTo } from './types';

/** Attachment types that carry shared content (a post, a reel or a link) rather than uploaded media. */
export const SHARE_ATTACHMENT_TYPES: readonly string[] = ['share', 'ig_reel', 'reel', 'ig_post'];

export function parseAttachment(value: unknown): Attachment | null {
	if (!isRecord(value)) return null;
	const payload = recordAt(value, 'payload') ?? {};
	const attachment: Attachment = {
		type: textAt(value, 'type') ?? 'unknown',
		url: textAt(payload, 'url'),
		payload,
	};
	const title = textAt(payload, 'title');
	const reelVideoId = idAt(payload, 'reel_video_id');
	const igPostMediaId = idAt(payload, 'ig_post_media_id');
	const stickerId = idAt(payload, 'sticker_id');
	if (title !== null) attachment.title = title;
	if (reelVideoId !== null) attachment.reelVideoId = reelVideoId;
	if (igPostMediaId !== null) attachment.igPostMediaId = igPostMediaId;
	if (stickerId !== null) attachment.stickerId = stickerId;
	return attachment;
}

/** Malformed attachment entries are dropped; a non-array `attachments` yields []. */
export function parseAttachments(message: IDataObject): Attachment[] {
	const list = message.attachments;
	if (!Array.isArray(list)) return [];
	const attachments: Attachment[] = [];
	for (const value of list) {
		const attachment = parseAttachment(value);
		if (attachment !== null) attachments.push(attachment);
	}
	return attachments;
}

/** `reply_to.mid` (quoted reply) or `reply_to.story` (story reply); null otherwise. */
export function parseReplyTo(message: IDataObject): ReplyTo | null {
	const replyTo = recordAt(message, 'reply_to');
	if (replyTo === null) return null;
	const story = recordAt(replyTo, 'story');
	if (story !== null) return { storyId: idAt(story, 'id'), storyUrl: textAt(story, 'url') };
	const mid = idAt(replyTo, 'mid');
	return mid === null ? null : { mid };
}

/** The most specific kind of an inbound message. */
export function messageKindOf(
	attachments: Attachment[],
	replyTo: ReplyTo | null,
	quickReplyPayload: string | null,
): MessageKind {
	if (attachments.some((attachment) => attachment.type === 'story_mention')) return 'story_mention';
	if (replyTo !== null && 'storyId' in replyTo) return 'story_reply';
	if (quickReplyPayload !== null) return 'quick_reply';
	if (attachments.some((attachment) => SHARE_ATTACHMENT_TYPES.includes(attachment.type))) {
		return 'share';
	}
	if (attachments.length > 0) return 'attachment';
	return 'text';
}
