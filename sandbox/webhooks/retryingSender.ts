/**
 * Meta's webhook delivery as Meta documents it, for reliability tests: events are batched into
 * signed POSTs (Meta: "aggregated and sent in a batch with a maximum of 1000 updates"), a delivery
 * that is not answered 200 is retried "immediately, then a few more times with decreasing
 * frequency" (Instagram Platform webhooks page; compressed here from hours to seconds), and an
 * acknowledged delivery is now and then sent once more (Meta asks servers to "handle
 * deduplication"). Every attempt is recorded, so a test can tell which events Meta considers
 * delivered.
 */
import { envelopeFor, type MessagingEvent } from './payloads';
import { httpRequest, metaJson, signRequest } from './sender';

export interface RetryingSenderOptions {
	callbackUrl: string;
	/** The app secret Meta signs with. */
	secret: string;
	accountId: string;
	/** Most events in one POST (Meta: 1,000). */
	maxBatch?: number;
	/** POSTs in flight at once. */
	concurrency?: number;
	/** How long an answer may take before the attempt counts as failed. */
	timeoutMs?: number;
	/** Wait before retry number `attempt` (1 = the first retry). */
	backoffMs?: (attempt: number) => number;
	/** Share of acknowledged deliveries that are sent once more, later. */
	duplicateRate?: number;
	/** Deterministic randomness for batch sizes and duplicates. */
	random?: () => number;
}

export interface SenderStats {
	posts: number;
	failedAttempts: number;
	duplicatesSent: number;
	/** mids of events in a delivery that was answered 200. */
	acknowledged: Set<string>;
	/**
	 * mids first acknowledged by n8n's "n8n is starting up. Please wait" page, which n8n 2.41
	 * serves with 200 to every request while its database migrations run (abstract-server.ts): Meta
	 * takes that as delivered although no workflow saw the event.
	 */
	acknowledgedByStartupPage: Set<string>;
	/** mids sent in a delivery that was answered 200 more than once (Meta's duplicates included). */
	acknowledgedTwice: number;
	/** Every attempt: when it ended, its mids, and the answer (status, or the network error). */
	attempts: Array<{ at: number; mids: string[]; outcome: string }>;
}

interface Delivery {
	events: MessagingEvent[];
	attempt: number;
	dueAt: number;
	duplicate: boolean;
}

/** Meta's "immediately, then with decreasing frequency", in seconds instead of hours. */
export function metaLikeBackoff(attempt: number): number {
	return attempt <= 1 ? 0 : Math.min(8_000, 250 * 2 ** (attempt - 2));
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RetryingSender {
	readonly stats: SenderStats = {
		posts: 0,
		failedAttempts: 0,
		duplicatesSent: 0,
		acknowledged: new Set(),
		acknowledgedByStartupPage: new Set(),
		acknowledgedTwice: 0,
		attempts: [],
	};
	private readonly fresh: MessagingEvent[] = [];
	private readonly retries: Delivery[] = [];
	private inFlight = 0;
	private readonly options: Required<Omit<RetryingSenderOptions, 'random'>> & { random: () => number };

	constructor(options: RetryingSenderOptions) {
		this.options = {
			maxBatch: 1000,
			concurrency: 4,
			timeoutMs: 10_000,
			backoffMs: metaLikeBackoff,
			duplicateRate: 0,
			random: Math.random,
			...options,
		};
	}

	enqueue(events: MessagingEvent[]): void {
		this.fresh.push(...events);
	}

	get pending(): number {
		return this.fresh.length + this.retries.reduce((sum, delivery) => sum + delivery.events.length, 0);
	}

	/**
	 * Sends until every event was acknowledged (or `timeoutMs` passed); resolves with the stats.
	 * `feeding`: events are still being enqueued until it settles — an empty queue before then is a
	 * pause in the stream, not its end.
	 */
	async drain(timeoutMs: number, feeding?: Promise<unknown>): Promise<SenderStats> {
		const deadline = Date.now() + timeoutMs;
		const running = new Set<Promise<void>>();
		let fed = feeding === undefined;
		void feeding?.finally(() => (fed = true)).catch(() => {});
		while (!fed || this.pending > 0 || running.size > 0) {
			if (Date.now() > deadline) throw new Error(`sender: ${this.pending} events still unacknowledged`);
			const next = this.inFlight < this.options.concurrency ? this.nextDelivery() : undefined;
			if (next === undefined) {
				await (running.size > 0 ? Promise.race([...running, wait(50)]) : wait(50));
				continue;
			}
			const attempt = this.attempt(next).finally(() => running.delete(attempt));
			running.add(attempt);
		}
		return this.stats;
	}

	private nextDelivery(): Delivery | undefined {
		const now = Date.now();
		const due = this.retries.findIndex((delivery) => delivery.dueAt <= now);
		if (due >= 0) return this.retries.splice(due, 1)[0];
		if (this.fresh.length === 0) return undefined;
		const size = 1 + Math.floor(this.options.random() * this.options.maxBatch);
		return { events: this.fresh.splice(0, size), attempt: 0, dueAt: now, duplicate: false };
	}

	private async attempt(delivery: Delivery): Promise<void> {
		this.inFlight += 1;
		this.stats.posts += 1;
		// entry.time is the delivery's; the events keep their own timestamps on every retry.
		const body = metaJson(envelopeFor(this.options.accountId, delivery.events, Date.now()));
		const signed = signRequest(body, this.options.secret);
		let ok = false;
		let outcome: string;
		try {
			const result = await httpRequest('POST', this.options.callbackUrl, {
				body: signed.body,
				headers: signed.headers,
				timeoutMs: this.options.timeoutMs,
			});
			ok = result.status === 200;
			outcome = ok && result.body.includes('n8n is starting up') ? 'startup-page' : String(result.status);
		} catch (error) {
			ok = false;
			outcome = error instanceof Error ? error.message : 'error';
		} finally {
			this.inFlight -= 1;
		}
		this.stats.attempts.push({
			at: Date.now(),
			mids: delivery.events.map((event) => event.message?.mid ?? ''),
			outcome,
		});
		if (!ok) {
			this.stats.failedAttempts += 1;
			const attempt = delivery.attempt + 1;
			this.retries.push({ ...delivery, attempt, dueAt: Date.now() + this.options.backoffMs(attempt) });
			return;
		}
		for (const event of delivery.events) {
			const mid = event.message?.mid;
			if (mid === undefined) continue;
			if (this.stats.acknowledged.has(mid)) this.stats.acknowledgedTwice += 1;
			else if (outcome === 'startup-page') this.stats.acknowledgedByStartupPage.add(mid);
			this.stats.acknowledged.add(mid);
		}
		if (!delivery.duplicate && this.options.random() < this.options.duplicateRate) {
			this.stats.duplicatesSent += 1;
			this.retries.push({ ...delivery, attempt: 0, duplicate: true, dueAt: Date.now() + 200 });
		}
	}
}
