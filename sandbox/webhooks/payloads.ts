/**
 * Pure builders for Meta's webhook payloads (object `instagram`), exactly per instagram-api.md
 * §2.6–§2.7. Each event builder returns one `entry[].messaging[]` item; `buildEnvelope` wraps entries.
 * Add new shapes as another small builder here.
 */
import { newMid } from '../ids';
import type { JsonObject, JsonValue } from '../types';

export interface WebhookParty {
	id: string;
}

/** One item of `entry[].messaging[]` / `entry[].standby[]`. The event key decides its type. */
export interface MessagingEvent {
	sender: WebhookParty;
	recipient: WebhookParty;
	timestamp: number;
	message?: WebhookMessage;
	reaction?: { mid: string; action: 'react' | 'unreact'; reaction?: string; emoji?: string };
	postback?: { mid?: string; title: string; payload: string; referral?: JsonObject };
	read?: { mid: string };
	referral?: { ref?: string; source: string; type: string };
	message_edit?: { mid: string; text?: string; num_edit: number };
}

export interface WebhookAttachment {
	type: string;
	payload: JsonObject;
}

export interface WebhookMessage {
	mid: string;
	text?: string;
	attachments?: WebhookAttachment[];
	is_echo?: true;
	is_self?: true;
	is_deleted?: true;
	is_unsupported?: true;
	quick_reply?: { payload: string };
	reply_to?: { mid: string } | { story: { id: string; url: string } };
	referral?: JsonObject;
}

export interface WebhookChange {
	field: string;
	value: JsonValue;
}

export interface WebhookEntry {
	/** The business IG account id (IG_ID) — for both flavours. */
	id: string;
	/** When Meta sent it (ms). */
	time: number;
	messaging?: MessagingEvent[];
	standby?: MessagingEvent[];
	changes?: WebhookChange[];
}

export interface WebhookEnvelope {
	object: 'instagram';
	entry: WebhookEntry[];
}

export function buildEnvelope(entries: WebhookEntry[]): WebhookEnvelope {
	return { object: 'instagram', entry: entries };
}

/** One entry for an account. `time` defaults to the latest event timestamp. */
export function buildEntry(accountId: string, messaging: MessagingEvent[], time?: number): WebhookEntry {
	return {
		id: accountId,
		time: time ?? Math.max(0, ...messaging.map((e) => e.timestamp)),
		messaging,
	};
}

/** Envelope with a single entry holding the given events (the common case). */
export function envelopeFor(accountId: string, events: MessagingEvent[], time?: number): WebhookEnvelope {
	return buildEnvelope([buildEntry(accountId, events, time)]);
}

interface InboundBase {
	/** Business IG account id (recipient of inbound events). */
	accountId: string;
	/** Customer IGSID (sender of inbound events). */
	customerId: string;
	/** ms; default Date.now(). */
	timestamp?: number;
}

function inbound(base: InboundBase): Pick<MessagingEvent, 'sender' | 'recipient' | 'timestamp'> {
	return {
		sender: { id: base.customerId },
		recipient: { id: base.accountId },
		timestamp: base.timestamp ?? Date.now(),
	};
}

/** §2.7.1 — a customer's text message. */
export function textMessageEvent(args: InboundBase & { text: string; mid?: string }): MessagingEvent {
	return { ...inbound(args), message: { mid: args.mid ?? newMid(), text: args.text } };
}

/** §2.7.2 — attachments (image, video, audio, file, share, story_mention, ig_reel, …), optional text. */
export function attachmentMessageEvent(
	args: InboundBase & { attachments: WebhookAttachment[]; text?: string; mid?: string },
): MessagingEvent {
	const message: WebhookMessage = { mid: args.mid ?? newMid() };
	if (args.text !== undefined) message.text = args.text;
	message.attachments = args.attachments;
	return { ...inbound(args), message };
}

/** §2.7.9 — echo of a message sent by the business (sender/recipient reversed). */
export function echoEvent(args: {
	accountId: string;
	customerId: string;
	mid: string;
	text?: string;
	attachments?: WebhookAttachment[];
	timestamp?: number;
}): MessagingEvent {
	const message: WebhookMessage = { mid: args.mid };
	if (args.text !== undefined) message.text = args.text;
	if (args.attachments !== undefined) message.attachments = args.attachments;
	message.is_echo = true;
	return {
		sender: { id: args.accountId },
		recipient: { id: args.customerId },
		timestamp: args.timestamp ?? Date.now(),
		message,
	};
}

/** §2.7.10 — reaction / unreaction to a message. */
export function reactionEvent(
	args: InboundBase & { mid: string; action?: 'react' | 'unreact'; reaction?: string; emoji?: string },
): MessagingEvent {
	const action = args.action ?? 'react';
	const reaction: NonNullable<MessagingEvent['reaction']> = { mid: args.mid, action };
	if (action === 'react') {
		reaction.reaction = args.reaction ?? 'love';
		reaction.emoji = args.emoji ?? '\u2764\ufe0f';
	}
	return { ...inbound(args), reaction };
}

/** §2.7.11 — postback (ice breaker, template button, persistent menu). */
export function postbackEvent(
	args: InboundBase & { title: string; payload: string; mid?: string; referral?: JsonObject },
): MessagingEvent {
	const postback: NonNullable<MessagingEvent['postback']> = {
		mid: args.mid ?? newMid(),
		title: args.title,
		payload: args.payload,
	};
	if (args.referral) postback.referral = args.referral;
	return { ...inbound(args), postback };
}

/** §2.7.12 — seen (read receipt). */
export function seenEvent(args: InboundBase & { mid: string }): MessagingEvent {
	return { ...inbound(args), read: { mid: args.mid } };
}

/** §2.7.13 — ig.me referral in an existing conversation. */
export function referralEvent(args: InboundBase & { ref: string; source?: string }): MessagingEvent {
	return {
		...inbound(args),
		referral: { ref: args.ref, source: args.source ?? 'SHORTLINKS', type: 'OPEN_THREAD' },
	};
}
