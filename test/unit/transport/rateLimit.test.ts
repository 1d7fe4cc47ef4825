/**
 * The send pacing several n8n processes share through Meta's answers: each halves its pace on
 * Meta's rate-limit error and wins it back without one (additive increase, multiplicative decrease).
 */
import { currentShare, slowDown } from '../../../nodes/InstagramMessaging/transport/rateLimit';
import { asFreshProcess } from '../harness';

const T0 = 1_000_000;

describe('send pacing across processes', () => {
	beforeEach(() => asFreshProcess());

	it("halves this process's pace on Meta's rate-limit answer, at most once a second (a burst of refusals is one signal)", () => {
		expect(currentShare('acct', 'send', T0)).toBe(1);
		slowDown('acct', 'send', T0);
		expect(currentShare('acct', 'send', T0)).toBe(0.5);
		slowDown('acct', 'send', T0 + 500); // the same burst of refusals
		expect(currentShare('acct', 'send', T0 + 500)).toBeCloseTo(0.55);
		// Throttled every second: halving and winning back settle at a tenth of the cap.
		for (let i = 1; i <= 20; i++) slowDown('acct', 'send', T0 + i * 1_000);
		expect(currentShare('acct', 'send', T0 + 20_000)).toBeCloseTo(0.1, 3);
	});

	it('wins a tenth of the cap back per second without throttling, up to the full cap', () => {
		slowDown('acct', 'send', T0);
		expect(currentShare('acct', 'send', T0 + 2_000)).toBeCloseTo(0.7);
		expect(currentShare('acct', 'send', T0 + 60_000)).toBe(1);
	});

	it('keeps accounts and rate classes apart', () => {
		slowDown('acct', 'send', T0);
		expect(currentShare('acct', 'sendAudioVideo', T0)).toBe(1);
		expect(currentShare('other', 'send', T0)).toBe(1);
	});
});
