import type { IDataObject } from 'n8n-workflow';

import { AD_WINDOW_MS, HUMAN_AGENT_WINDOW_MS, STANDARD_WINDOW_MS } from '../transport/constants';
import { dedupKeyFor } from './dedup';
import { entryPointOf } from './entryPoint';
import { toIso } from './time';
import type { EventSource, InstagramEvent, InstagramEventType } from './types';

/** What the envelope walker knows about the container an item came from. */
export type EventContext = {
	accountId: string | null;
	source: EventSource;
	isStandby: boolean;
	isTest: boolean;
	/** `entry.time` in ms: a display fallback only, never part of the dedup key. */
	entryTimeMs: number | null;
	nowMs: number;
};

export { HUMAN_AGENT_WINDOW_MS, STANDARD_WINDOW_MS };

/**
 * Inbound customer actions that open or refresh the messaging window (instagram-api.md §3.2:
 * messages, and postbacks/referrals which Meta counts as user actions). `message_unsupported` is a
 * real customer message of a type the API cannot render, so it counts too.
 * Deliberately excluded, because Meta does not document them as opening the window and a window
 * that is too long makes sends fail with 10/2534022 while one that is too short only costs a
 * chance: `reaction`/`unreaction`, `optin` (marketing opt-ins have their own token-based rules),
 * `message_edit` (edits an earlier message), and everything business-side or system-side (echo,
 * seen, deleted, handover, policy, comments — private replies to comments follow their own rule).
 */
const WINDOW_OPENING_TYPES: ReadonlySet<InstagramEventType> = new Set<InstagramEventType>([
	'message',
	'message_unsupported',
	'postback',
	'referral',
]);

export function opensMessagingWindow(event: InstagramEvent): boolean {
	return WINDOW_OPENING_TYPES.has(event.eventType) && !event.isEcho;
}

/** A person's message right after a Click-to-Direct ad opens a window of up to 7 days (AD_WINDOW_MS). */
function standardWindowOf(event: InstagramEvent): number {
	return event.eventType === 'message' && event.entryPoint?.type === 'ad' ? AD_WINDOW_MS : STANDARD_WINDOW_MS;
}

/** A new event with every field at its empty value. */
export function newEvent(
	eventType: InstagramEventType,
	context: EventContext,
	raw: IDataObject,
	ownTimestampMs: number | null,
): InstagramEvent {
	const timestampMs = ownTimestampMs ?? context.entryTimeMs ?? context.nowMs;
	return {
		eventType,
		messageKind: null,
		accountId: context.accountId,
		senderId: null,
		recipientId: null,
		customerId: null,
		timestamp: toIso(timestampMs),
		timestampMs,
		mid: null,
		text: null,
		attachments: [],
		replyTo: null,
		quickReplyPayload: null,
		postback: null,
		reaction: null,
		referral: null,
		edit: null,
		comment: null,
		handover: null,
		optin: null,
		policyEnforcement: null,
		entryPoint: null,
		isEcho: false,
		isSelf: false,
		isStandby: context.isStandby,
		isTest: context.isTest,
		source: context.source,
		windowExpiresAt: null,
		humanAgentWindowExpiresAt: null,
		dedupKey: '',
		raw,
	};
}

/**
 * Fills the derived fields once the event-specific ones are set.
 * @param ownTimestampMs the item's own time (not `entry.time`), used for dedup
 * @param body the part of the payload that identifies the event, hashed when there is no id
 */
export function finishEvent(
	event: InstagramEvent,
	ownTimestampMs: number | null,
	body: unknown,
): InstagramEvent {
	event.entryPoint = entryPointOf(event);
	if (opensMessagingWindow(event)) {
		event.windowExpiresAt = toIso(event.timestampMs + standardWindowOf(event));
		event.humanAgentWindowExpiresAt = toIso(event.timestampMs + HUMAN_AGENT_WINDOW_MS);
	}
	event.dedupKey = dedupKeyFor(event, ownTimestampMs, body);
	return event;
}
