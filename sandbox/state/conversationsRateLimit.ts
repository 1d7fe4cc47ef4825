/** Default Conversations API cap per account and second (instagram-api.md §7.4). */
export const CONVERSATIONS_RATE_LIMIT = 2;

/**
 * Counts Conversations API calls: a token bucket per account holding one second's worth of calls,
 * refilled continuously: a client that spaces its calls evenly is never refused, a burst is. Real
 * time (not the sandbox clock, which tests freeze and move), because Meta throttles in real time.
 */
export class ConversationsRateLimiter {
	private readonly buckets = new Map<string, { tokens: number; at: number }>();

	/** @param perSecond calls per second per account; null = unlimited. */
	constructor(private perSecond: number | null = CONVERSATIONS_RATE_LIMIT) {}

	configure(perSecond: number | null): void {
		this.perSecond = perSecond;
		this.buckets.clear();
	}

	get limit(): number | null {
		return this.perSecond;
	}

	take(accountId: string, nowMs: number = Date.now()): boolean {
		const perSecond = this.perSecond;
		if (perSecond === null || perSecond <= 0) return true;
		const bucket = this.buckets.get(accountId) ?? { tokens: perSecond, at: nowMs };
		bucket.tokens = Math.min(perSecond, bucket.tokens + ((nowMs - bucket.at) * perSecond) / 1000);
		bucket.at = nowMs;
		this.buckets.set(accountId, bucket);
		if (bucket.tokens < 1) return false;
		bucket.tokens -= 1;
		return true;
	}

	reset(): void {
		this.buckets.clear();
	}
}
