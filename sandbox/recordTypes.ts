/** What the sandbox records: accepted and rejected sends, Graph requests, webhook deliveries. */
import type { Flavour, GraphErrorBody, JsonObject, JsonValue, SignatureMode } from './types';

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

export interface RecordFilter {
	recipientId?: string;
	accountId?: string;
	/** Only records with seq > since. */
	since?: number;
}
