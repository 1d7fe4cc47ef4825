/** Send API rate limits per account and class (instagram-api.md §7.4; `graph/sendRateLimit.ts`). */
import type { SendRateLimits } from '../types';
import { TokenBuckets } from './tokenBuckets';

/** Meta's documented caps per account and second (§7.4). */
export const SEND_RATE_LIMITS: Readonly<SendRateLimits> = { text: 300, audioVideo: 10 };

export type SendRateClass = keyof SendRateLimits;

/** One token bucket per (account, class) (`tokenBuckets.ts`). */
export class SendRateLimiter {
	private limits: SendRateLimits | null;
	private readonly buckets = new TokenBuckets();

	constructor(config?: Partial<SendRateLimits> | null) {
		this.limits = config === null ? null : { ...SEND_RATE_LIMITS, ...config };
	}

	/** New limits (missing classes keep Meta's numbers); null turns every send limit off. */
	configure(config: Partial<SendRateLimits> | null): void {
		this.limits = config === null ? null : { ...SEND_RATE_LIMITS, ...config };
		this.buckets.clear();
	}

	get current(): SendRateLimits | null {
		return this.limits === null ? null : { ...this.limits };
	}

	/** Counts one call; false when it is over the account's cap for this class. */
	take(accountId: string, rateClass: SendRateClass, nowMs: number = Date.now()): boolean {
		return this.buckets.take(`${accountId}|${rateClass}`, this.limits?.[rateClass] ?? null, nowMs);
	}

	/** Full buckets again (limits stay). */
	reset(): void {
		this.buckets.clear();
	}
}

/**
 * Private replies have their own cap: 750 per hour per Instagram account for comments on posts and
 * reels (Meta's rate-limit page, Mar 23 2026; Live comments: 100 per second, not modelled). Counted
 * in a rolling hour on the sandbox clock, so that a test can move past it.
 */
export const PRIVATE_REPLIES_PER_HOUR = 750;
const HOUR_MS = 3_600_000;

export class PrivateReplyLimiter {
	private readonly calls = new Map<string, number[]>();

	/** Counts one private reply; false when the account already made 750 in the last hour. */
	take(accountId: string, nowMs: number, limit: number | null = PRIVATE_REPLIES_PER_HOUR): boolean {
		if (limit === null) return true;
		const recent = (this.calls.get(accountId) ?? []).filter((at) => nowMs - at < HOUR_MS);
		const allowed = recent.length < limit;
		if (allowed) recent.push(nowMs);
		this.calls.set(accountId, recent);
		return allowed;
	}

	reset(): void {
		this.calls.clear();
	}
}
