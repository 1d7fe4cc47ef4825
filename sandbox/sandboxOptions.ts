/** Options and results of MetaSandbox's methods (`server.ts`). */
import type { DeliveryResult, RecordFilter } from './recordTypes';
import type { AccountRef, SignatureMode } from './types';
import type { MessagingEvent, WebhookEnvelope } from './webhooks/payloads';

export interface DeliverOptions {
	/** Defaults to the configured callback for the payload's account (or the default one). */
	callbackUrl?: string;
	/** Defaults to the account's app secret (A: Instagram app secret, B: Meta app secret). */
	secret?: string;
	signature?: SignatureMode;
	/** Extra/overriding request headers. */
	headers?: Record<string, string>;
	/** Account whose secret/callback to use; default: the payload's `entry[0].id`, else flavour A. */
	account?: AccountRef;
	/** Recorded in the delivery log. */
	kind?: 'event' | 'echo';
}

export interface CustomerSaysOptions {
	/** Customer IGSID; default SANDBOX_DEFAULTS.customer.id. */
	from?: string;
	text: string;
	/** 'instagram' | 'facebookPage' | igUserId | pageId; default 'instagram'. */
	account?: AccountRef;
	/** When the customer wrote (ms, sandbox clock); default now. */
	at?: number;
	mid?: string;
	/** A tapped quick reply: `text` is its title and this its payload (Meta's `message.quick_reply`). */
	quickReplyPayload?: string;
	/** POST the webhook (default true). false = only record the message (opens the window). */
	deliver?: boolean;
	signature?: SignatureMode;
	callbackUrl?: string;
}

export interface CustomerTapsButtonOptions {
	/** Customer IGSID; default SANDBOX_DEFAULTS.customer.id. */
	from?: string;
	account?: AccountRef;
	/** The button's title and postback payload. */
	title: string;
	payload: string;
	callbackUrl?: string;
}

export interface CustomerSaysResult {
	event: MessagingEvent;
	payload: WebhookEnvelope;
	/** Absent when `deliver: false`. */
	delivery?: DeliveryResult;
}

export interface InboxActionOptions {
	/** Customer IGSID; default SANDBOX_DEFAULTS.customer.id. */
	customerId?: string;
	account?: AccountRef;
	/** The inbox app acting; default the Instagram Inbox (1217981644879628). */
	byAppId?: string;
	metadata?: string;
}

export interface AddCommentOptions {
	/** Default: a fresh Meta-looking id. */
	id?: string;
	text: string;
	/** Commenter IGSID; default SANDBOX_DEFAULTS.customer.id. */
	from?: string;
	fromUsername?: string;
	/** The commented post; default: a new post of the account. */
	mediaId?: string;
	/** When the comment was written (ms, sandbox clock); default now. */
	at?: number;
	account?: AccountRef;
}

export interface WaitForSentOptions extends RecordFilter {
	/** How many matching records to wait for (default 1). */
	count?: number;
	/** Default 10000 ms. */
	timeoutMs?: number;
}

/** A post, reel or story of the account (`GET /{ig-user-id}/media` and `/stories` list them). */
export interface AddMediaOptions {
	id?: string;
	caption?: string;
	account?: AccountRef;
	at?: number;
	productType?: 'FEED' | 'REELS' | 'STORY';
	live?: boolean;
}
