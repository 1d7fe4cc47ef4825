import type { ThreadControl } from '../state/threadOwnership';
import type { SandboxAccount } from '../types';
import type { MessagingEvent, WebhookEnvelope } from './payloads';

/**
 * Envelope for inbound customer events, routed by ownership: `messaging[]` when this app may
 * answer, `standby[]` while another app holds the thread (§2.6, §2.7.16).
 */
export function envelopeByOwnership(
	threads: ThreadControl,
	account: SandboxAccount,
	customerId: string,
	events: MessagingEvent[],
	time: number,
): WebhookEnvelope {
	const key = threads.isStandby(account, customerId) ? 'standby' : 'messaging';
	return { object: 'instagram', entry: [{ id: account.igUserId, time, [key]: events }] };
}
