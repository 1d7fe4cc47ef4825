/** What accounts hold: conversations and their messages, uploaded attachments, posts, comments. */
import type { JsonValue } from './types';

export type ConversationDirection = 'inbound' | 'outbound';

export interface ConversationMessage {
	direction: ConversationDirection;
	mid: string;
	at: number;
	text?: string;
	/** Outbound: the sent record seq. */
	sentSeq?: number;
	attachments?: JsonValue[];
	/** Reactions on this message (§3.6), by who reacted. */
	reactions?: MessageReaction[];
	/** Outbound private reply: the comment it answered. */
	commentId?: string;
}

export interface MessageReaction {
	/** IGSID of the customer or igUserId of the account. */
	userId: string;
	reaction: string;
}

export interface Conversation {
	accountId: string;
	customerId: string;
	messages: ConversationMessage[];
	/** Time of the customer's last message (ms), if any. */
	lastInboundAt?: number;
	/**
	 * The first message after a Click-to-Direct ad keeps the standard window open for up to 7 days
	 * from that message (Meta's policy, Sep 28 2026): the sandbox grants the full 7 days.
	 */
	adWindowUntil?: number;
}

export type AttachmentType = 'image' | 'video' | 'audio' | 'file';

/** An asset stored by the Attachment Upload API (`POST /{id}/message_attachments`, §3.4). */
export interface StoredAttachment {
	id: string;
	/** igUserId of the account that uploaded it. */
	accountId: string;
	type: AttachmentType;
	at: number;
	isReusable: boolean;
	/** JSON form: the URL Meta was asked to fetch. */
	url?: string;
	/** Multipart form (`filedata`): the file as received. */
	fileName?: string;
	contentType?: string;
	size?: number;
	/** Lowercase hex SHA-256 of the bytes, to prove a file arrived intact. */
	sha256?: string;
	bytes?: Buffer;
}

/** A published post or reel of an account (what MEDIA_SHARE shares and comments belong to). */
export interface SandboxMedia {
	id: string;
	accountId: string;
	caption?: string;
	at: number;
	/** Meta's `media_product_type`: FEED (default), REELS, STORY (24 h, listed by `/stories`). */
	productType?: 'FEED' | 'REELS' | 'STORY';
	/** A Live broadcast: comments are `live_comments`, no public replies, hiding or deleting. */
	live?: boolean;
}

/** A comment by a person on one of the account's posts (target of private replies, §3.14). */
export interface SandboxComment {
	id: string;
	accountId: string;
	mediaId: string;
	/** IGSID of the commenter. */
	from: string;
	fromUsername?: string;
	text: string;
	/** When the comment was written (sandbox clock, ms). */
	at: number;
	/** Live comments accept private replies only while the broadcast is live. */
	live?: boolean;
	/** The top-level comment this one replies to. */
	parentId?: string;
	hidden?: boolean;
	/** Written by the account itself (a public reply). */
	byAccount?: boolean;
	/** Set once the one allowed private reply was sent. */
	privateReply?: { at: number; messageId: string; sentSeq: number };
}
