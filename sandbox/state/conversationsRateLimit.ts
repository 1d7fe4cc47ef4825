import { TokenBuckets } from './tokenBuckets';

/** Default Conversations API cap per account and second (instagram-api.md §7.4). */
export const CONVERSATIONS_RATE_LIMIT = 2;

/** Counts Conversations API calls per account (`tokenBuckets.ts`). */
export class ConversationsRateLimiter {
	private readonly buckets = new TokenBuckets();

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
		return this.buckets.take(accountId, this.perSecond, nowMs);
	}

	reset(): void {
		this.buckets.clear();
	}
}
