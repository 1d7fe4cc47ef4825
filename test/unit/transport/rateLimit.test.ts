/**
 * The send pacing several n8n processes share through Meta's answers: each halves its pace on
 * Meta's rate-limit error and wins it back without one (additive increase, multiplicative decrease).
 */
import {
	currentShare,
	reserveSlot,
	slotHolds,
	slowDown,
} from '../../../nodes/InstagramMessaging/transport/rateLimit';
import { asFreshProcess } from '../harness';
import { runSharedCap } from './sharedCap';

const T0 = 1_000_000;

describe('send pacing across processes', () => {
	beforeEach(() => asFreshProcess());

	it("halves this process's pace on Meta's rate-limit answer; refusals of calls sent at the old pace are the same signal", () => {
		expect(currentShare('acct', 'send', T0)).toBe(1);
		const early = reserveSlot('acct', 'send', T0);
		const alsoEarly = reserveSlot('acct', 'send', T0);
		slowDown('acct', 'send', early, T0 + 20);
		expect(currentShare('acct', 'send', T0 + 20)).toBeCloseTo(0.5, 3);
		slowDown('acct', 'send', alsoEarly, T0 + 25); // the same burst of refusals
		expect(currentShare('acct', 'send', T0 + 25)).toBeCloseTo(0.5, 3);
		// A refusal of a call sent at the halved pace is a new signal.
		slowDown('acct', 'send', reserveSlot('acct', 'send', T0 + 30), T0 + 60);
		expect(currentShare('acct', 'send', T0 + 60)).toBeCloseTo(0.25, 2);
	});

	it('calls waiting for a slot of the old pace take one of the new, spaced twice as wide', () => {
		const slots = Array.from({ length: 10 }, () => reserveSlot('acct', 'send', T0));
		// 300/s, 5 % wider: 3.5 ms apart.
		expect(slots[1].at - slots[0].at).toBeCloseTo(3.5, 5);
		slowDown('acct', 'send', slots[0], T0 + 5);
		expect(slots.slice(1).some((slot) => slotHolds('acct', 'send', slot, T0 + 5))).toBe(false);
		const first = reserveSlot('acct', 'send', slots[1].at);
		const second = reserveSlot('acct', 'send', slots[1].at);
		expect(first.at).toBeGreaterThanOrEqual(T0 + 5);
		expect(second.at - first.at).toBeCloseTo(7, 1);
		expect(slotHolds('acct', 'send', second, second.at)).toBe(true);
	});

	it('wins back a tenth of the share it had when Meta throttled it per second, then a tenth more per second', () => {
		slowDown('acct', 'send', reserveSlot('acct', 'send', T0), T0);
		expect(currentShare('acct', 'send', T0 + 2_000)).toBeCloseTo(0.7);
		expect(currentShare('acct', 'send', T0 + 60_000)).toBe(1);

		asFreshProcess();
		slowDown('acct', 'send', reserveSlot('acct', 'send', T0), T0);
		slowDown('acct', 'send', reserveSlot('acct', 'send', T0), T0);
		slowDown('acct', 'send', reserveSlot('acct', 'send', T0), T0);
		expect(currentShare('acct', 'send', T0)).toBe(0.125);
		// Throttled at a quarter of the cap: back there in five seconds, not in one.
		expect(currentShare('acct', 'send', T0 + 1_000)).toBeCloseTo(0.15, 3);
		expect(currentShare('acct', 'send', T0 + 5_000)).toBeCloseTo(0.25, 3);
		expect(currentShare('acct', 'send', T0 + 6_000)).toBeCloseTo(0.275, 2);
	});

	it('keeps accounts and rate classes apart', () => {
		slowDown('acct', 'send', reserveSlot('acct', 'send', T0), T0);
		expect(currentShare('acct', 'send', T0)).toBe(0.5);
		expect(currentShare('acct', 'sendAudioVideo', T0)).toBe(1);
		expect(currentShare('other', 'send', T0)).toBe(1);
	});
});

/**
 * Simulated time against the sandbox's token bucket (`sharedCap.ts`): processes that each start at
 * Meta's full 300/s, sharing an account whose cap is lower, with Meta's answers a round trip away.
 * Before a halving started a new pace (slots reserved at the old pace still went out, and one
 * halving a second at most), 2 processes at an 80/s cap had 35 refusals per 100 sends, and 4 at
 * 150/s had a call refused 5 times in a row.
 */
describe('shared cap', () => {
	beforeEach(() => asFreshProcess());

	it.each([
		{ cap: 80, processes: 2, chains: 50, latencyMs: 20 },
		{ cap: 80, processes: 2, chains: 50, latencyMs: 100 },
		{ cap: 80, processes: 2, chains: 10, latencyMs: 100 },
		{ cap: 300, processes: 2, chains: 50, latencyMs: 100 },
		{ cap: 150, processes: 4, chains: 20, latencyMs: 100 },
	])(
		'$processes processes × $chains concurrent sends, cap $cap/s, $latencyMs ms to Meta: none fail, few refused, most of the cap used',
		({ cap, processes, chains, latencyMs }) => {
			const run = runSharedCap({ cap, processes, perProcess: 500, chains, latencyMs });
			expect(run.sent).toBe(processes * 500);
			expect(run.failed).toBe(0);
			expect(run.refused / run.sent).toBeLessThan(0.1);
			expect(run.mostAttempts).toBeLessThanOrEqual(4);
			expect(run.sent / run.seconds).toBeGreaterThan(0.6 * cap);
		},
	);

	it('10 processes at a 300/s cap: none fail, and a call meets at most a few refusals', () => {
		const run = runSharedCap({ cap: 300, processes: 10, perProcess: 500, chains: 20, latencyMs: 100 });
		expect(run.failed).toBe(0);
		expect(run.refused / run.sent).toBeLessThan(0.1);
		expect(run.mostAttempts).toBeLessThanOrEqual(6);
		expect(run.sent / run.seconds).toBeGreaterThan(0.6 * 300);
	});

	it('one process alone under its cap is never refused', () => {
		const run = runSharedCap({ cap: 300, processes: 1, perProcess: 1_000, chains: 50, latencyMs: 100 });
		expect(run).toMatchObject({ sent: 1_000, refused: 0, failed: 0, mostAttempts: 1 });
	});
});
