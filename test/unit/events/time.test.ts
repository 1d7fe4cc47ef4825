import { toIso, toTimestampMs } from '../../../nodes/InstagramMessaging/events/time';

describe('toIso', () => {
	it('matches Date#toISOString', () => {
		const samples = [0, 1, 86_399_999, 86_400_000, 951_782_400_000, 951_868_800_000, 1760000000000];
		for (let year = 1970; year < 2600; year += 1) {
			for (const rest of [
				'-01-01T00:00:00.000Z',
				'-02-28T23:59:59.999Z',
				'-03-01T00:00:00.000Z',
				'-12-31T23:59:59.999Z',
			]) {
				samples.push(Date.parse(`${year}${rest}`));
			}
		}
		let seed = 7;
		for (let i = 0; i < 20_000; i += 1) {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			samples.push(Math.floor((seed / 2 ** 31) * 253402300800000));
		}
		samples.push(253402300799999, 253402300800000, 8.6e15);
		const mismatches = samples.filter((ms) => toIso(ms) !== new Date(ms).toISOString());
		expect(mismatches).toEqual([]);
	});

	it('never throws on unusable input', () => {
		for (const ms of [Number.NaN, Infinity, -Infinity, -1, 1e300]) expect(typeof toIso(ms)).toBe('string');
		expect(toIso(-5)).toBe('1970-01-01T00:00:00.000Z');
	});
});

describe('toTimestampMs', () => {
	it.each([
		[1760000000000, 1760000000000],
		[1760000000, 1760000000000],
		[1760000000.5, 1760000000500],
		['1760000000000', 1760000000000],
		[' 1760000000 ', 1760000000000],
		['2025-10-09T08:53:20.000Z', 1760000000000],
		[0, null],
		[-1, null],
		[Number.NaN, null],
		[1e20, null],
		['soon', null],
		['1'.repeat(100), null],
		[null, null],
		[{}, null],
		[true, null],
	])('%p → %p', (value, expected) => {
		expect(toTimestampMs(value)).toBe(expected);
	});
});
