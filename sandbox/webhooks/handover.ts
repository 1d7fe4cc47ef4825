/**
 * Handover webhook events (Conversation Routing, §2.7.16): what Meta sends when a thread changes
 * owner. Pure builders; `state/threadOwnership.ts` decides when.
 */
import type { MessagingEvent } from './payloads';

export type ThreadControlAction = 'pass' | 'take' | 'release' | 'request';

/** A handover webhook event (`entry[].messaging[]` item) as Meta sends it (§2.7.16). */
export interface HandoverEvent extends MessagingEvent {
	pass_thread_control?: {
		previous_owner_app_id: string | null;
		new_owner_app_id: string | null;
		metadata?: string;
	};
	take_thread_control?: { previous_owner_app_id: string | null; new_owner_app_id: string; metadata?: string };
	request_thread_control?: { requested_owner_app_id: string; metadata?: string };
}

export interface ThreadChange {
	accountId: string;
	customerId: string;
	action: ThreadControlAction;
	/** The app that made the call (or the inbox, for simulated human actions). */
	byAppId: string;
	previousOwner: string | null;
	newOwner: string | null;
	metadata?: string;
	at: number;
}

/** The `sender` / `recipient` / `timestamp` part of a handover event. */
export function handoverBase(change: ThreadChange): MessagingEvent {
	return { sender: { id: change.customerId }, recipient: { id: change.accountId }, timestamp: change.at };
}

/**
 * The webhook event for a change of owner (§2.7.16): `take_thread_control` for a take, else
 * `pass_thread_control` (a release by a secondary app reaches the primary app as a pass).
 * A release that leaves the thread idle, and a take from idle, produce no event.
 */
export function handoverEvent(change: ThreadChange): HandoverEvent | undefined {
	const meta = change.metadata !== undefined ? { metadata: change.metadata } : {};
	// "If the thread was taken from idle state, no webhooks would be sent."
	if (change.action === 'take' && change.previousOwner === null) return undefined;
	if (change.action === 'take' && change.newOwner !== null) {
		return {
			...handoverBase(change),
			take_thread_control: {
				previous_owner_app_id: change.previousOwner,
				new_owner_app_id: change.newOwner,
				...meta,
			},
		};
	}
	if (change.newOwner === null) return undefined;
	return {
		...handoverBase(change),
		pass_thread_control: {
			previous_owner_app_id: change.previousOwner,
			new_owner_app_id: change.newOwner,
			...meta,
		},
	};
}
