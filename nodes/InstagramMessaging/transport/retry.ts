export const MAX_ATTEMPTS = 5;
/**
 * Meta's rate-limit answer says it did not act, and the pace is halved on it, so a throttled call
 * may wait for more turns than other failures: with several workers sharing one account's cap, a
 * call can meet a few refusals in a row while the workers settle (`rateLimit.test.ts`, "shared cap").
 */
export const MAX_THROTTLED_ATTEMPTS = 10;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 16_000;
const MAX_THROTTLED_DELAY_MS = 4_000;

/** Exponential backoff: 0.5 s, 1 s, 2 s, 4 s … capped (at 4 s after throttling: the halved pace already spaces the calls). */
export function backoffBaseMs(attempt: number, throttled = false): number {
	return Math.min(throttled ? MAX_THROTTLED_DELAY_MS : MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
}

/** The backoff plus up to 250 ms of jitter, so that retries of many calls spread out. */
export function backoffDelayMs(attempt: number, throttled = false): number {
	return backoffBaseMs(attempt, throttled) + Math.floor(Math.random() * 250);
}

/**
 * Meta's Business Use Case throttling header names, per business, how many minutes remain until
 * calls are accepted again (instagram-api.md §7.3). Returns the longest wait in ms, if any.
 */
export function regainAccessMs(headers: Record<string, string | string[] | undefined>): number | undefined {
	const raw = headers['x-business-use-case-usage'];
	const text = Array.isArray(raw) ? raw[0] : raw;
	if (!text) return undefined;
	try {
		const usage = JSON.parse(text) as Record<string, Array<{ estimated_time_to_regain_access?: number }>>;
		const minutes = Object.values(usage)
			.flat()
			.map((u) => Number(u.estimated_time_to_regain_access ?? 0));
		const longest = Math.max(0, ...minutes);
		return longest > 0 ? longest * 60_000 : undefined;
	} catch {
		return undefined;
	}
}

/** Whether a failed request may have reached the server: the connection dropped or timed out after sending. */
export function droppedAfterSending(error: unknown): boolean {
	return MAYBE_SENT.has(findCode(error) ?? '');
}

/** Connection errors where the request never reached the server. */
const NEVER_SENT: ReadonlySet<string> = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);
const MAYBE_SENT: ReadonlySet<string> = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'ESOCKETTIMEDOUT',
]);

export interface NetworkFailure {
	code: string;
	summary: string;
	/** The request may have reached Meta before the connection failed. */
	maybeSent: boolean;
	retryable(idempotent: boolean): boolean;
}

function findCode(error: unknown, depth = 0): string | undefined {
	if (typeof error !== 'object' || error === null || depth > 4) return undefined;
	const { code, cause } = error as { code?: unknown; cause?: unknown };
	if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
	return findCode(cause, depth + 1);
}

/** Whether the error comes from an HTTP exchange (axios / Node sockets), not from n8n or our own code. */
function fromHttpExchange(error: unknown): boolean {
	if (typeof error !== 'object' || error === null) return false;
	const e = error as { isAxiosError?: unknown; request?: unknown; config?: unknown; cause?: unknown };
	return (
		e.isAxiosError === true || e.request !== undefined || e.config !== undefined || fromHttpExchange(e.cause)
	);
}

export function networkFailure(error: unknown): NetworkFailure {
	const found = findCode(error);
	const code = found ?? (fromHttpExchange(error) ? 'UNKNOWN' : 'NOT_SENT');
	return {
		code,
		summary:
			code === 'NOT_SENT'
				? 'the request could not be prepared'
				: NEVER_SENT.has(code)
					? `connection failed (${code})`
					: MAYBE_SENT.has(code)
						? `connection dropped (${code})`
						: `request failed (${code})`,
		maybeSent: code !== 'NOT_SENT' && !NEVER_SENT.has(code),
		retryable: (idempotent) => NEVER_SENT.has(code) || (idempotent && MAYBE_SENT.has(code)),
	};
}
