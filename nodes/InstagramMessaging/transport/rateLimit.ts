import { sleep } from 'n8n-workflow';

import { perProcessMap } from '../processMemory';

/**
 * Meta's per-account messaging caps (instagram-api.md §7.4). Calls are spaced client-side so that
 * a workflow with many items stays under them instead of tripping Meta's throttling.
 */
export const RATE_LIMITS = {
	/** Send API: text, links, reactions, stickers, sender actions. */
	send: 300,
	/** Send API: audio or video attachments. */
	sendAudioVideo: 10,
	/** Conversations API. */
	conversations: 2,
} as const;

export type RateClass = keyof typeof RATE_LIMITS;

/**
 * Calls are spaced 5 % wider than the cap: a call that leaves a few milliseconds late (event loop,
 * n8n's request helper) must not bring three Conversations API calls into one second
 * (`npm run bench`, P4 "busiest second"). Sends still reach 285/s of Meta's 300.
 */
const SPACING_MARGIN = 1.05;

const nextSlot = perProcessMap<string, number>('sendSlots', 10_000);

/**
 * Waits until the next call of this class for this account may start. Slots are handed out in
 * order, so concurrent callers queue fairly. State is per n8n process; several processes each get
 * the full budget (Meta's own throttling plus retry covers that case).
 */
export async function acquireSlot(account: string, rateClass: RateClass, now = Date.now()): Promise<void> {
	const key = `${account}|${rateClass}`;
	const interval = (1000 / RATE_LIMITS[rateClass]) * SPACING_MARGIN;
	const slot = Math.max(now, nextSlot.get(key) ?? 0);
	nextSlot.set(key, slot + interval);
	const wait = slot - now;
	if (wait >= 1) await sleep(wait);
}
