import { toFiniteNumber } from './read';

const SECONDS_THRESHOLD = 1e12;
/** Below JS's Date limit (8.64e15) with room for the 7-day window added to it. */
const MAX_DATE_MS = 8.6e15;
/** 10000-01-01T00:00:00Z: from here on ISO needs the extended year format. */
const YEAR_10000_MS = 253402300800000;
const DAY_MS = 86_400_000;

/**
 * A timestamp in ms. Values below 1e12 are seconds (`changes` notifications and dashboard tests use
 * seconds) and are multiplied by 1000. Numeric strings and ISO dates are accepted. Null when the
 * value is not a usable point in time.
 */
export function toTimestampMs(value: unknown): number | null {
	let ms = toFiniteNumber(value);
	if (ms === null && typeof value === 'string' && value.length <= 64) {
		const parsed = Date.parse(value);
		ms = Number.isFinite(parsed) ? parsed : null;
	} else if (ms !== null && ms < SECONDS_THRESHOLD) {
		ms *= 1000;
	}
	if (ms === null || ms <= 0 || ms >= MAX_DATE_MS) return null;
	return Math.floor(ms);
}

const pad2 = (value: number) => (value < 10 ? `0${value}` : `${value}`);
const pad3 = (value: number) => (value < 10 ? `00${value}` : value < 100 ? `0${value}` : `${value}`);
const pad4 = (value: number) => (value < 1000 ? `0${pad3(value)}` : `${value}`);

/**
 * Same output as `new Date(ms).toISOString()`, several times faster (it runs three times per
 * event). Out-of-range values are clamped so this never throws.
 */
export function toIso(ms: number): string {
	const safe = Number.isFinite(ms) ? Math.floor(Math.min(Math.max(ms, 0), MAX_DATE_MS)) : 0;
	if (safe >= YEAR_10000_MS) return new Date(safe).toISOString();
	// Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted).
	const days = Math.floor(safe / DAY_MS);
	const msOfDay = safe - days * DAY_MS;
	const z = days + 719468;
	const era = Math.floor(z / 146097);
	const dayOfEra = z - era * 146097;
	const yearOfEra = Math.floor(
		(dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
			365,
	);
	const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
	const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
	const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
	const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
	const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
	const hours = Math.floor(msOfDay / 3_600_000);
	const minutes = Math.floor((msOfDay % 3_600_000) / 60_000);
	const seconds = Math.floor((msOfDay % 60_000) / 1000);
	const date = `${pad4(year)}-${pad2(month)}-${pad2(day)}`;
	return `${date}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(msOfDay % 1000)}Z`;
}
