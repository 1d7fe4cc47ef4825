/**
 * Shared types of the Meta sandbox. Ids are always strings (Meta ids exceed 2^53).
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
	[key: string]: JsonValue;
}

export type Flavour = 'instagram' | 'facebookPage';

/** Flavour A — Instagram API with Instagram Login (graph.instagram.com). */
export interface InstagramLoginAccount {
	flavour: 'instagram';
	/** IG professional account id (`IG_ID`): webhook `entry[].id`, `/me?fields=user_id`. */
	igUserId: string;
	/** App-scoped id returned as `id` by `/me` (does NOT match webhooks). */
	id: string;
	username: string;
	name: string;
	accountType: 'Business' | 'Media_Creator';
	accessToken: string;
	/** The Instagram app ("API setup with Instagram login"): OAuth, token, webhook signatures. */
	instagramAppId: string;
	instagramAppSecret: string;
	/**
	 * The Meta app that holds the Instagram product (App settings → Basic): its app token manages
	 * `/{app-id}/subscriptions`, where Meta documents only the Meta app (docs/meta-fidelity.md).
	 */
	metaAppId: string;
	metaAppSecret: string;
}

/** Flavour B — Messenger API for Instagram through a Facebook Page (graph.facebook.com). */
export interface FacebookPageAccount {
	flavour: 'facebookPage';
	pageId: string;
	pageName: string;
	/** IG professional account linked to the Page (webhook `entry[].id`). */
	igUserId: string;
	username: string;
	pageAccessToken: string;
	metaAppId: string;
	metaAppSecret: string;
}

export type SandboxAccount = InstagramLoginAccount | FacebookPageAccount;

/** How tests refer to an account: a flavour alias (its primary account), an IG user id or a Page id. */
export type AccountRef = Flavour | string;

export interface Customer {
	/** IGSID — scoped to (person, business account). */
	id: string;
	username?: string;
	name?: string;
}

export interface SandboxConfig {
	host: string;
	/** 0 = random free port. */
	port: number;
	/** Base time source (ms). The clock offset is applied on top of it. */
	now?: () => number;
	/** Overrides of the seeded primary accounts, field by field. */
	accounts?: {
		instagram?: Partial<Omit<InstagramLoginAccount, 'flavour'>>;
		facebookPage?: Partial<Omit<FacebookPageAccount, 'flavour'>>;
	};
	/** Further accounts beyond the two seeded ones. */
	extraAccounts?: SandboxAccount[];
	/** Customers known to every account (default: the sandbox customer). */
	customers?: Customer[];
	/** Default webhook callback (Meta's app-level subscription callback URL). */
	webhook?: WebhookConfig;
	/** Send a signed `is_echo` webhook for every accepted send. Off by default. */
	echoes?: boolean;
	/** Usable Graph API versions (major numbers), inclusive; older ones are served as `min`. Default 21..27. */
	versions?: { min: number; max: number };
	/** Timeout for outgoing webhook deliveries (ms). Default 10000. */
	deliveryTimeoutMs?: number;
	/**
	 * Conversations API calls allowed per second per account (instagram-api.md §7.4: 2). More are
	 * refused with Meta's throttling error 613. Default 2; null turns the limit off.
	 */
	conversationsRateLimit?: number | null;
	/**
	 * Send API calls allowed per second per account (instagram-api.md §7.4): `text` (text, links,
	 * reactions, stickers, sender actions; Meta: 300) and `audioVideo` (audio or video attachments;
	 * Meta: 10). More are refused with Meta's throttling error 613. Default Meta's numbers; a class
	 * set to null is unlimited; null turns both off.
	 */
	sendRateLimit?: Partial<SendRateLimits> | null;
}

/** Send API calls per second per account, per class; null = unlimited (`sandbox/graph/sendRateLimit.ts`). */
export interface SendRateLimits {
	text: number | null;
	audioVideo: number | null;
}

export interface WebhookConfig {
	callbackUrl: string;
	verifyToken?: string;
}

export type SignatureMode = 'valid' | 'none' | 'forged' | 'wrongSecret' | 'tampered';

/** Meta Graph error object (instagram-api.md §7.1). */
export interface GraphErrorBody {
	message: string;
	type: string;
	code: number;
	error_subcode?: number;
	error_user_title?: string;
	error_user_msg?: string;
	is_transient?: boolean;
	fbtrace_id: string;
}

export type SendKind = 'message' | 'senderAction';

export interface SentRecord {
	seq: number;
	/** Sandbox clock time (ms) when the send was accepted. */
	at: number;
	/** igUserId of the sending account. */
	accountId: string;
	flavour: Flavour;
	recipientId: string;
	/** Absent for sender actions (Meta returns no message_id for them). */
	messageId?: string;
	kind: SendKind;
	/** The parsed request body, verbatim (access_token removed). */
	body: JsonObject;
	text?: string;
	tag?: string;
	messagingType?: string;
	senderAction?: string;
	/** Private replies (§3.14): the comment answered; `recipientId` is its author. */
	commentId?: string;
	/** `message.attachment` / `message.attachments` as sent (one entry per attachment). */
	attachments?: JsonValue[];
}

export interface RejectedRecord {
	seq: number;
	at: number;
	method: string;
	path: string;
	/** Unknown when authentication failed. */
	accountId?: string;
	flavour?: Flavour;
	recipientId?: string;
	body: JsonObject;
	status: number;
	error: GraphErrorBody;
	/** True when the rejection came from an injected fault. */
	fault?: boolean;
}

export interface RequestLogEntry {
	seq: number;
	at: number;
	method: string;
	path: string;
	/** Query parameters with secrets redacted. */
	query: Record<string, string>;
	/** Parsed body with secrets redacted (POST/DELETE only). */
	body?: JsonObject;
	status: number;
	accountId?: string;
	fault?: boolean;
}

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
}

export interface DeliveryResult {
	status: number;
	body: string;
	headers: Record<string, string>;
	/** Set when Meta would send nothing: none of the events is in a subscribed field (status 0). */
	notDelivered?: string;
}

export interface DeliveryLogEntry {
	seq: number;
	at: number;
	/** Not sent: Meta would not deliver it (see DeliveryResult.notDelivered). */
	notDelivered?: string;
	kind: 'event' | 'echo' | 'verify';
	method: 'GET' | 'POST';
	url: string;
	signature?: SignatureMode;
	/** The exact body that was sent (POST). */
	body?: string;
	status?: number;
	error?: string;
}

export interface FaultSpec {
	/** HTTP method to match (any when absent). */
	method?: string;
	/** Regular expression matched against the request path (e.g. `/messages$`). */
	path: string | RegExp;
	/** HTTP status to answer with. Absent = delay only, then handle normally. */
	status?: number;
	error?: {
		code: number;
		error_subcode?: number;
		message: string;
		type?: string;
		is_transient?: boolean;
		error_user_title?: string;
		error_user_msg?: string;
	};
	/** How many matching requests are affected. Default 1; Infinity = until cleared. */
	times?: number;
	delayMs?: number;
	/** Destroy the connection instead of answering (network error on the client). */
	reset?: boolean;
	/**
	 * Handle the request first (a send is delivered and recorded in `sent`), then answer with the
	 * error or reset the connection: Meta's "the messages are all sent successfully, but the
	 * endpoint returns an error" (code 1 / 1357046, Messenger Platform error codes).
	 */
	afterHandling?: boolean;
	/** Only every Nth matching request is affected (1 = each); `times` counts affected requests. */
	everyNth?: number;
	/** Extra response headers (e.g. X-Business-Use-Case-Usage). */
	headers?: Record<string, string>;
}

export interface RecordFilter {
	recipientId?: string;
	accountId?: string;
	/** Only records with seq > since. */
	since?: number;
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
	/** Set once the one allowed private reply was sent. */
	privateReply?: { at: number; messageId: string; sentSeq: number };
}
