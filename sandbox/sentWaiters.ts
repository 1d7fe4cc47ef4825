import type { WaitForSentOptions } from './sandboxOptions';
import type { RecordFilter, SentRecord } from './recordTypes';

interface Waiter {
	check: () => boolean;
}

/** Pending `waitForSent` calls, checked after every accepted send and when the sandbox stops. */
export class SentWaiters {
	private readonly waiters = new Set<Waiter>();

	/**
	 * @param sent the sent records matching a filter
	 * @param running false once the sandbox stopped
	 */
	constructor(
		private readonly sent: (filter: RecordFilter) => SentRecord[],
		private readonly running: () => boolean,
	) {}

	/** Resolves when `count` sent records match `filter` (already present ones count). */
	wait(options: WaitForSentOptions = {}): Promise<SentRecord[]> {
		const { count = 1, timeoutMs = 10_000, ...filter } = options;
		return new Promise((resolve, reject) => {
			const waiter: Waiter = {
				check: () => {
					const matches = this.sent(filter);
					if (matches.length >= count) {
						finish();
						resolve(matches);
						return true;
					}
					if (!this.running()) {
						finish();
						reject(new Error('sandbox stopped while waiting for sent messages'));
						return true;
					}
					return false;
				},
			};
			const timer = setTimeout(() => {
				finish();
				reject(
					new Error(
						`timed out after ${timeoutMs} ms waiting for ${count} sent message(s) matching ${JSON.stringify(filter)}; got ${this.sent(filter).length}`,
					),
				);
			}, timeoutMs);
			const finish = (): void => {
				clearTimeout(timer);
				this.waiters.delete(waiter);
			};
			this.waiters.add(waiter);
			waiter.check();
		});
	}

	checkAll(): void {
		for (const waiter of [...this.waiters]) waiter.check();
	}

	/** Settle every waiter (the sandbox stopped) and forget them. */
	stop(): void {
		for (const waiter of this.waiters) waiter.check();
		this.waiters.clear();
	}
}
