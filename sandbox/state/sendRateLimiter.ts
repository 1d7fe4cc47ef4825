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
