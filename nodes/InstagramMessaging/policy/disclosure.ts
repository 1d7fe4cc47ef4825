import type { IDataObject } from 'n8n-workflow';

/**
 * Meta's disclosure rule for automated chats (instagram-api.md §6.4): say that the customer talks
 * to an automated assistant at the start of a thread, after a significant lapse, and when the chat
 * moves from a person back to automation. This module decides when; the send pipeline prepends
 * the wording to bot messages only.
 */
export const DEFAULT_DISCLOSURE_TEXT = "You're chatting with an automated assistant.";
export const DEFAULT_DISCLOSURE_LAPSE_HOURS = 24;

export type DisclosureReason = 'firstMessage' | 'afterLapse' | 'afterHuman';

export interface ThreadDisclosure {
	/** Last automated message sent in the thread (ms). */
	lastBotAt?: number;
	/** Last time the disclosure was sent (ms). */
	disclosedAt?: number;
	/** A person wrote in or held the thread since the last disclosure (ms). */
	humanAt?: number;
	/** That person's turn could not be released in the shared ledger (n8n's store failed). */
	humanNotReleased?: true;
}

export function disclosureReason(
	thread: ThreadDisclosure,
	now: number,
	lapseMs: number,
): DisclosureReason | null {
	if (thread.disclosedAt === undefined) return 'firstMessage';
	if (thread.humanAt !== undefined && thread.humanAt >= thread.disclosedAt) return 'afterHuman';
	const lastAutomated = Math.max(thread.lastBotAt ?? 0, thread.disclosedAt);
	if (now - lastAutomated > lapseMs) return 'afterLapse';
	return null;
}

/** Prepends the wording unless the message already starts with it. */
export function withDisclosure(text: string, disclosure: string): string {
	const trimmed = disclosure.trim();
	if (trimmed === '' || text.startsWith(trimmed)) return text;
	return `${trimmed}\n\n${text}`;
}

const STATE_KEY = 'instagramDisclosure';
const MAX_THREADS = 5_000;

/**
 * Per-thread disclosure state kept in the workflow's static data (saved by n8n with the workflow,
 * so it survives restarts), bounded to the most recently active threads.
 */
export class DisclosureStore {
	private constructor(private readonly threads: Record<string, ThreadDisclosure>) {}

	static in(staticData: IDataObject): DisclosureStore {
		const existing = staticData[STATE_KEY];
		if (typeof existing !== 'object' || existing === null || Array.isArray(existing)) {
			staticData[STATE_KEY] = {};
		}
		return new DisclosureStore(staticData[STATE_KEY] as Record<string, ThreadDisclosure>);
	}

	get(thread: string): ThreadDisclosure {
		return { ...(this.threads[thread] ?? {}) };
	}

	/** Writes and moves the thread to the newest position; drops the oldest beyond the cap. */
	set(thread: string, value: ThreadDisclosure): void {
		delete this.threads[thread];
		this.threads[thread] = value;
		const keys = Object.keys(this.threads);
		for (let i = 0; i < keys.length - MAX_THREADS; i++) delete this.threads[keys[i]];
	}

	recordBot(thread: string, now: number, disclosed: boolean): void {
		const current = this.get(thread);
		this.set(thread, { ...current, lastBotAt: now, ...(disclosed ? { disclosedAt: now } : {}) });
	}

	recordHuman(thread: string, now: number, released = true): void {
		const current = this.get(thread);
		delete current.humanNotReleased;
		this.set(thread, { ...current, humanAt: now, ...(released ? {} : { humanNotReleased: true as const }) });
	}

	get size(): number {
		return Object.keys(this.threads).length;
	}
}
