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

/**
 * Several n8n processes (queue mode's workers) each pace at the full cap, so together they can
 * offer Meta a multiple of it. Meta's throttling answer is then the shared signal: each process
 * halves its pace for that account and class (at most once a second) and wins back a tenth of the
 * cap per second — the additive-increase, multiplicative-decrease of TCP, so the processes settle
 * on shares that add up to about Meta's cap (throttled every second, a process settles at a tenth
 * of the cap: ten workers still fit under it).
 */
const RECOVERY_PER_SECOND = 0.1;
const CUT_EVERY_MS = 1_000;

interface Pace {
	/** When the next call may start (ms). */
	next: number;
	/** The fraction of the cap this process uses now. */
	share: number;
	/** When `share` was last brought up to date (ms). */
	at: number;
	/** The last halving (ms). */
	cutAt: number;
}

const paces = perProcessMap<string, Pace>('sendSlots', 10_000);

function paceOf(account: string, rateClass: RateClass, now: number): Pace {
	const key = `${account}|${rateClass}`;
	let pace = paces.get(key);
	if (pace === undefined) {
		pace = { next: 0, share: 1, at: now, cutAt: 0 };
		paces.set(key, pace);
	}
	pace.share = Math.min(1, pace.share + (RECOVERY_PER_SECOND * Math.max(0, now - pace.at)) / 1000);
	pace.at = now;
	return pace;
}

/**
 * Waits until the next call of this class for this account may start. Slots are handed out in
 * order, so concurrent callers queue fairly.
 */
export async function acquireSlot(account: string, rateClass: RateClass, now = Date.now()): Promise<void> {
	const pace = paceOf(account, rateClass, now);
	const interval = (1000 / (RATE_LIMITS[rateClass] * pace.share)) * SPACING_MARGIN;
	const slot = Math.max(now, pace.next);
	pace.next = slot + interval;
	const wait = slot - now;
	if (wait >= 1) await sleep(wait);
}

/** Meta answered a call of this class for this account with its rate-limit error. */
export function slowDown(account: string, rateClass: RateClass, now = Date.now()): void {
	const pace = paceOf(account, rateClass, now);
	if (now - pace.cutAt < CUT_EVERY_MS) return;
	pace.share /= 2;
	pace.cutAt = now;
	pace.next = Math.max(pace.next, now + (1000 / (RATE_LIMITS[rateClass] * pace.share)) * SPACING_MARGIN);
}

/** This process's share of the cap now (1 = the full cap), for diagnostics and tests. */
export function currentShare(account: string, rateClass: RateClass, now = Date.now()): number {
	return paceOf(account, rateClass, now).share;
}
