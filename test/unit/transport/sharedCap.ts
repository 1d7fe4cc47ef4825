import {
	reserveSlot,
	slotHolds,
	slowDown,
	type Slot,
} from '../../../nodes/InstagramMessaging/transport/rateLimit';
import { backoffBaseMs, MAX_THROTTLED_ATTEMPTS } from '../../../nodes/InstagramMessaging/transport/retry';
import { TokenBuckets } from '../../../sandbox/state/tokenBuckets';

export interface SharedCapRun {
	sent: number;
	refused: number;
	failed: number;
	seconds: number;
	mostAttempts: number;
}

interface Event {
	at: number;
	run: () => void;
}

/**
 * Simulated time: `processes` n8n processes (each its own pacing, named as accounts here) send
 * `perProcess` calls each, `chains` at a time, to one account whose cap is enforced as Meta's
 * sandbox does (a token bucket); a refused call backs off and is retried as `request.ts` does.
 */
export function runSharedCap(options: {
	cap: number;
	processes: number;
	perProcess: number;
	chains: number;
	latencyMs?: number;
}): SharedCapRun {
	const { cap, processes, perProcess, chains, latencyMs = 20 } = options;
	const bucket = new TokenBuckets();
	const queue: Event[] = [];
	const schedule = (at: number, run: () => void) => {
		const index = queue.findIndex((e) => e.at > at);
		queue.splice(index < 0 ? queue.length : index, 0, { at, run });
	};
	const result = { sent: 0, refused: 0, failed: 0, first: Infinity, last: 0, mostAttempts: 0 };
	const T0 = 1_000_000;
	for (let p = 0; p < processes; p++) {
		const account = `process-${p}`;
		let left = perProcess;
		const attempt = (now: number, tries: number) => {
			const slot = reserveSlot(account, 'send', now);
			schedule(slot.at, () => {
				if (!slotHolds(account, 'send', slot, slot.at)) attempt(slot.at, tries);
				else send(slot, tries);
			});
		};
		const send = (slot: Slot, tries: number) => {
			schedule(slot.at + latencyMs / 2, () => {
				const arrived = slot.at + latencyMs / 2;
				const accepted = bucket.take('account', cap, arrived);
				schedule(arrived + latencyMs / 2, () => {
					const answered = arrived + latencyMs / 2;
					if (accepted) {
						result.sent++;
						result.first = Math.min(result.first, arrived);
						result.last = Math.max(result.last, arrived);
						result.mostAttempts = Math.max(result.mostAttempts, tries);
						next(answered);
						return;
					}
					result.refused++;
					slowDown(account, 'send', slot, answered);
					if (tries >= MAX_THROTTLED_ATTEMPTS) {
						result.failed++;
						next(answered);
					} else {
						const retryAt = answered + backoffBaseMs(tries, true) + 125; // the jitter's mean
						schedule(retryAt, () => attempt(retryAt, tries + 1));
					}
				});
			});
		};
		const next = (now: number) => {
			if (left === 0) return;
			left--;
			attempt(now, 1);
		};
		for (let c = 0; c < chains; c++) next(T0);
	}
	while (queue.length > 0) queue.shift()!.run();
	return {
		sent: result.sent,
		refused: result.refused,
		failed: result.failed,
		seconds: (result.last - result.first) / 1000,
		mostAttempts: result.mostAttempts,
	};
}
