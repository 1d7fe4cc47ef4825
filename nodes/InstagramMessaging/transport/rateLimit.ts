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
 * halves its pace for that account and class, then wins it back by a tenth of the share it had when
 * Meta throttled it, per second — back there in five seconds, and past it by a tenth per second,
 * compounding. A halving starts a new pace: calls waiting for a slot of the old one take a slot of
 * the new one, and refusals of calls sent at the old pace are not a new signal, so a burst of
 * refusals halves once and the next halving answers the new pace
 * (`test/unit/transport/rateLimit.test.ts`, "shared cap").
 */
const RECOVERY_PER_SECOND = 0.1;

interface Pace {
	/** When the next call may start (ms). */
	next: number;
	/** The fraction of the cap this process uses now. */
	share: number;
	/** When `share` was last brought up to date (ms). */
	at: number;
	/** Counts the halvings: a slot belongs to the pace it was given under. */
	epoch: number;
	/** The share this process had when Meta last throttled it (1 before that). */
	throttledAt: number;
	/** Slots handed out so far. */
	taken: number;
}

/** A reserved start time (ms) for one call, under the pace of `epoch`. */
export interface Slot {
	at: number;
	epoch: number;
}

function intervalMs(rateClass: RateClass, share: number): number {
	return (1000 / (RATE_LIMITS[rateClass] * share)) * SPACING_MARGIN;
}

const paces = perProcessMap<string, Pace>('sendSlots', 10_000);

function paceOf(account: string, rateClass: RateClass, now: number): Pace {
	const key = `${account}|${rateClass}`;
	let pace = paces.get(key);
	if (pace === undefined) {
		pace = { next: 0, share: 1, at: now, epoch: 0, throttledAt: 1, taken: 0 };
		paces.set(key, pace);
	}
	const step = Math.max(pace.throttledAt, pace.share) * RECOVERY_PER_SECOND;
	pace.share = Math.min(1, pace.share + (step * Math.max(0, now - pace.at)) / 1000);
	pace.at = now;
	return pace;
}

/**
 * Reserves the start of the next call of this class for this account. Slots are handed out in
 * order, so concurrent callers queue fairly.
 */
export function reserveSlot(account: string, rateClass: RateClass, now: number): Slot {
	const pace = paceOf(account, rateClass, now);
	const at = Math.max(now, pace.next);
	pace.next = at + intervalMs(rateClass, pace.share);
	pace.taken++;
	return { at, epoch: pace.epoch };
}

/** Whether the pace a slot was given under still holds (no halving since). */
export function slotHolds(account: string, rateClass: RateClass, slot: Slot, now: number): boolean {
	return paceOf(account, rateClass, now).epoch === slot.epoch;
}

/** Waits until the next call of this class for this account may start. */
export async function acquireSlot(account: string, rateClass: RateClass): Promise<Slot> {
	for (;;) {
		const now = Date.now();
		const slot = reserveSlot(account, rateClass, now);
		if (slot.at - now >= 1) await sleep(slot.at - now);
		if (slotHolds(account, rateClass, slot, Date.now())) return slot;
	}
}

/** Meta refused the call sent in `slot` with its rate-limit error. */
export function slowDown(account: string, rateClass: RateClass, slot: Slot, now = Date.now()): void {
	const pace = paceOf(account, rateClass, now);
	if (slot.epoch !== pace.epoch) return;
	pace.throttledAt = pace.share;
	pace.share /= 2;
	pace.epoch++;
	pace.next = now + intervalMs(rateClass, pace.share);
}

/** How many slots of this class this process has handed out, for every account together (diagnostics, tests). */
export function slotsTaken(rateClass: RateClass): number {
	let total = 0;
	for (const [key, pace] of paces) if (key.endsWith(`|${rateClass}`)) total += pace.taken;
	return total;
}

/** This process's share of the cap now (1 = the full cap), for diagnostics and tests. */
export function currentShare(account: string, rateClass: RateClass, now = Date.now()): number {
	return paceOf(account, rateClass, now).share;
}
