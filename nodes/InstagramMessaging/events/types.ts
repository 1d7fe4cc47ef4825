import type { IDataObject } from 'n8n-workflow';

/**
 * The events vocabulary: everything Instagram can deliver to a webhook, normalised into one flat,
 * predictable shape. Every field is always present; fields that do not apply are `null` (or `[]`
 * for attachments), so downstream n8n expressions never meet `undefined`.
 *
 * Declared with `type` (not `interface`) so the shapes are assignable to n8n's `IDataObject`.
 */

export type InstagramEventType =
	| 'message'
	| 'echo'
	| 'message_deleted'
	| 'message_unsupported'
	| 'message_edit'
	| 'reaction'
	| 'unreaction'
	| 'seen'
	| 'postback'
	| 'referral'
	| 'optin'
	| 'handover_pass'
	| 'handover_take'
	| 'handover_request'
	| 'handover_metadata'
	| 'app_roles'
	| 'policy_enforcement'
	| 'comment'
	| 'live_comment'
	| 'mention'
	| 'unknown';

/** Finer kinds of an inbound `message` event; the most specific one wins. */
export type MessageKind = 'text' | 'attachment' | 'story_mention' | 'story_reply' | 'quick_reply' | 'share';

/** Where the event was found in the envelope. */
export type EventSource = 'messaging' | 'standby' | 'changes' | 'field';

export type Attachment = {
	/** Meta's attachment type (`image`, `video`, `audio`, `file`, `share`, `story_mention`, `reel`, `ig_reel`, `ig_post`, `ephemeral`, …); `unknown` when missing. */
	type: string;
	/** CDN URL (expires); null for view-once (`ephemeral`) media or when absent. */
	url: string | null;
	title?: string;
	reelVideoId?: string;
	igPostMediaId?: string;
	stickerId?: string;
	/** The attachment's payload exactly as Meta sent it. */
	payload: IDataObject;
};

export type ReplyToMessage = { mid: string };
export type ReplyToStory = { storyId: string | null; storyUrl: string | null };
export type ReplyTo = ReplyToMessage | ReplyToStory;

export type Referral = {
	ref: string | null;
	source: string | null;
	type: string | null;
	adId: string | null;
	productId: string | null;
	adsContextData: IDataObject | null;
};

export type Postback = {
	title: string | null;
	payload: string | null;
	mid: string | null;
	referral: Referral | null;
};

export type Reaction = {
	mid: string | null;
	/** `react` or `unreact` as sent by Meta. */
	action: string | null;
	/** Named reaction (`love`, `like`, …); often absent on unreact. */
	reaction: string | null;
	emoji: string | null;
};

export type Edit = {
	/** How many times the message has been edited; Meta may send a number or a numeric string. */
	numEdit: number | null;
};

export type Comment = {
	/** The comment id (use it for private replies); null for caption mentions. */
	id: string | null;
	text: string | null;
	parentId: string | null;
	mediaId: string | null;
	mediaProductType: string | null;
	fromUsername: string | null;
	adId: string | null;
	originalMediaId: string | null;
};

/** How the customer reached the business (see `events/entryPoint.ts`). */
export type EntryPointType =
	| 'direct_message'
	| 'comment'
	| 'live_comment'
	| 'mention'
	| 'story_reply'
	| 'story_mention'
	| 'ad'
	| 'link'
	| 'shop'
	| 'postback';

export type EntryPoint = {
	type: EntryPointType;
	/** The post or reel commented on (comments, live comments, mentions). */
	mediaId: string | null;
	/** `FEED`, `REELS`, `STORY`, `AD` when Meta sends it (documented for the Page setup). */
	mediaProductType: string | null;
	/** The post or reel's link and caption: only with the trigger's Add Post or Reel Details. */
	permalink: string | null;
	caption: string | null;
	commentId: string | null;
	/** The account's story the customer replied to. */
	storyId: string | null;
	/** CDN URL of the story replied to or mentioned in (expires). */
	storyUrl: string | null;
	adId: string | null;
	adTitle: string | null;
	/** The `ref` of an ig.me link or an ad. */
	ref: string | null;
};

export type Handover = {
	previousOwnerAppId: string | null;
	newOwnerAppId: string | null;
	requestedOwnerAppId: string | null;
	callerAppId: string | null;
	metadata: string | null;
	/** `app_roles` event: app id → roles (e.g. `primary_receiver`). */
	appRoles: Record<string, string[]> | null;
};

export type Optin = {
	type: string | null;
	payload: string | null;
	title: string | null;
	ref: string | null;
	notificationMessagesToken: string | null;
	notificationMessagesStatus: string | null;
	notificationMessagesTimezone: string | null;
	tokenExpiryTimestamp: number | null;
	userTokenStatus: string | null;
};

export type PolicyEnforcement = {
	action: string | null;
	reason: string | null;
};

export type InstagramEvent = {
	eventType: InstagramEventType;
	/** Only for `message`; null for every other event type. */
	messageKind: MessageKind | null;
	/** The business Instagram account id (`entry.id`). */
	accountId: string | null;
	senderId: string | null;
	recipientId: string | null;
	/** The customer's Instagram-scoped id: sender when inbound, recipient on echoes, commenter on comments. */
	customerId: string | null;
	/** ISO 8601. */
	timestamp: string;
	/** Milliseconds since the epoch. */
	timestampMs: number;
	/** The message id, or the mid the event refers to (reaction, seen, edit, deleted). */
	mid: string | null;
	text: string | null;
	attachments: Attachment[];
	replyTo: ReplyTo | null;
	quickReplyPayload: string | null;
	postback: Postback | null;
	reaction: Reaction | null;
	referral: Referral | null;
	edit: Edit | null;
	comment: Comment | null;
	handover: Handover | null;
	optin: Optin | null;
	policyEnforcement: PolicyEnforcement | null;
	/** How the customer got here; null for the business's own and system events. */
	entryPoint: EntryPoint | null;
	isEcho: boolean;
	isSelf: boolean;
	isStandby: boolean;
	isTest: boolean;
	source: EventSource;
	/** Standard 24 h messaging window end; only for inbound events that open or refresh it. */
	windowExpiresAt: string | null;
	/** HUMAN_AGENT 7-day window end; same rule as `windowExpiresAt`. */
	humanAgentWindowExpiresAt: string | null;
	/** Stable across Meta redeliveries; use it to drop duplicates. */
	dedupKey: string;
	/** The original messaging item or change object. */
	raw: IDataObject;
};

export type ParseOptions = {
	/** Fallback clock (ms) for events that carry no usable time. Defaults to `Date.now()`. */
	now?: number;
	/** Envelope `object` values to parse. Defaults to `['instagram']`. */
	acceptObjects?: string[];
};

export type ParseResult = {
	/** The envelope's `object` (first one found when several envelopes arrive wrapped in an array). */
	object: string | null;
	events: InstagramEvent[];
	/** Malformed or not-accepted envelopes, entries, items and changes that were ignored. */
	skipped: number;
};
