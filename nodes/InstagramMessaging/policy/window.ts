import { HUMAN_AGENT_WINDOW_MS, STANDARD_WINDOW_MS } from '../transport/constants';

/** Who wrote the message: the HUMAN_AGENT tag is only ever allowed for a person. */
export type Author = 'bot' | 'human';
export type MessagingType = 'RESPONSE' | 'UPDATE' | 'MESSAGE_TAG';

export interface WindowInput {
	author: Author;
	/** What the user chose; MESSAGE_TAG asks for HUMAN_AGENT explicitly. */
	messagingType: MessagingType;
	/** When the customer last wrote (ms), if known. */
	lastCustomerMessageAt?: number;
	/** How long that message keeps the standard window open: 24 h, up to 7 days after an ad. */
	standardWindowMs?: number;
	now: number;
}

export type WindowDecision =
	| { allowed: true; messagingType: MessagingType; tag?: 'HUMAN_AGENT' }
	| { allowed: false; message: string; description: string };

function hoursAgo(ms: number): string {
	const hours = ms / 3_600_000;
	return hours < 48 ? `${Math.floor(hours)} hours ago` : `${Math.floor(hours / 24)} days ago`;
}

const HUMAN_AGENT_EXPLAINED =
	'Instagram lets a business answer within 24 hours of the customer\'s last message. After that, only a person may reply, for up to 7 days, with the HUMAN_AGENT tag (your Meta app needs the Human Agent feature approved). If a person wrote this message, set "Written By" to "Human Agent" and the tag is applied automatically.';

/**
 * Instagram's messaging windows (instagram-api.md §3.2, §6.5) as one decision:
 * - within 24 h anyone may send, untagged (a person may still ask for the tag explicitly);
 * - 24 h – 7 d: only a person, and the message is tagged HUMAN_AGENT automatically;
 * - after 7 d: nobody;
 * - the tag is never attached to a bot message.
 * An unknown last-message time lets the message through untagged: Meta then enforces the window.
 */
export function decideWindow(input: WindowInput): WindowDecision {
	const { author, messagingType, lastCustomerMessageAt, now } = input;
	// The window after an ad "may" last 7 days: a bot tries it (Meta refuses cleanly if not); a
	// person keeps the HUMAN_AGENT tag after 24 h, which Meta accepts whatever it granted.
	const standardWindowMs =
		author === 'bot' ? (input.standardWindowMs ?? STANDARD_WINDOW_MS) : STANDARD_WINDOW_MS;
	if (author === 'bot' && messagingType === 'MESSAGE_TAG') {
		return {
			allowed: false,
			message: 'The HUMAN_AGENT tag is only for messages a person wrote',
			description:
				'Meta allows the HUMAN_AGENT tag only on messages written by a human agent; tagging automated messages can get the account restricted. Set "Written By" to "Human Agent" if a person wrote this message, or use the Response messaging type.',
		};
	}
	const asRequested: WindowDecision =
		messagingType === 'MESSAGE_TAG'
			? { allowed: true, messagingType, tag: 'HUMAN_AGENT' }
			: { allowed: true, messagingType };
	if (lastCustomerMessageAt === undefined) return asRequested;
	const age = Math.max(0, now - lastCustomerMessageAt);
	if (age <= standardWindowMs) return asRequested;
	if (age <= HUMAN_AGENT_WINDOW_MS) {
		if (author === 'human') return { allowed: true, messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
		return {
			allowed: false,
			message: `Outside the 24-hour messaging window: the customer last wrote ${hoursAgo(age)}`,
			description: `Automated messages can only be sent within 24 hours of the customer's last message. ${HUMAN_AGENT_EXPLAINED}`,
		};
	}
	return {
		allowed: false,
		message: `Outside the messaging window: the customer last wrote ${hoursAgo(age)}, more than 7 days ago`,
		description:
			"Instagram accepts no message — not even a human reply with the HUMAN_AGENT tag — more than 7 days after the customer's last message. Wait until the customer writes again.",
	};
}
