/**
 * Token buckets by key, each holding one second's worth of calls and refilled continuously: a
 * client that spaces its calls evenly is never refused, a burst beyond the rate is. Real time (not
 * the sandbox clock, which tests freeze and move), because Meta throttles in real time. Shared by
 * the Conversations API and Send API limits.
 */
export class TokenBuckets {
	private readonly buckets = new Map<string, { tokens: number; at: number }>();

	/** Counts one call for `key`; false when it is over `perSecond` (null or ≤ 0: unlimited). */
	take(key: string, perSecond: number | null, nowMs: number = Date.now()): boolean {
		if (perSecond === null || perSecond <= 0) return true;
		const bucket = this.buckets.get(key) ?? { tokens: perSecond, at: nowMs };
		bucket.tokens = Math.min(perSecond, bucket.tokens + ((nowMs - bucket.at) * perSecond) / 1000);
		bucket.at = nowMs;
		this.buckets.set(key, bucket);
		if (bucket.tokens < 1) return false;
		bucket.tokens -= 1;
		return true;
	}

	/** Full buckets again. */
	clear(): void {
		this.buckets.clear();
	}
}
