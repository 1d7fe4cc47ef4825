/** Send API rate limits per account and class (instagram-api.md §7.4; `graph/sendRateLimit.ts`). */
import type { SendRateLimits } from '../types';

/** Meta's documented caps per account and second (§7.4). */
export const SEND_RATE_LIMITS: Readonly<SendRateLimits> = { text: 300, audioVideo: 10 };

export type SendRateClass = keyof SendRateLimits;

/**
 * One token bucket per (account, class) holding one second's worth of calls, refilled
 * continuously: a client that spaces its calls evenly is never refused, a burst beyond the cap is.
 * Real time (not the sandbox clock, which tests freeze and move), because Meta throttles in real time.
 */
export class SendRateLimiter {
	private limits: SendRateLimits | null;
	private readonly buckets = new Map<string, { tokens: number; at: number }>();

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
		const perSecond = this.limits?.[rateClass] ?? null;
		if (perSecond === null || perSecond <= 0) return true;
		const key = `${accountId}|${rateClass}`;
		const bucket = this.buckets.get(key) ?? { tokens: perSecond, at: nowMs };
		bucket.tokens = Math.min(perSecond, bucket.tokens + ((nowMs - bucket.at) * perSecond) / 1000);
		bucket.at = nowMs;
		this.buckets.set(key, bucket);
		if (bucket.tokens < 1) return false;
		bucket.tokens -= 1;
		return true;
	}

	/** Full buckets again (limits stay). */
	reset(): void {
		this.buckets.clear();
	}
}
