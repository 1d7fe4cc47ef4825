import { createHmac, timingSafeEqual } from 'crypto';

const PREFIX = 'sha256=';

/** `sha256=<hex>` as Meta sends it in `X-Hub-Signature-256` (instagram-api.md §2.3). */
export function computeSignature(rawBody: Buffer, secret: string): string {
	return PREFIX + createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** `sha256=` and 64 hex digits, once: anything else is refused before any HMAC or credential read. */
export function isWellFormedSignatureHeader(header: string | string[] | undefined): header is string {
	return typeof header === 'string' && /^sha256=[0-9a-f]{64}$/i.test(header);
}

/**
 * Whether the header is a valid signature of the exact raw bytes under any of the secrets.
 * Constant-time per secret; a missing or malformed header never matches.
 */
export function isValidSignature(
	rawBody: Buffer,
	header: string | string[] | undefined,
	secrets: readonly string[],
): boolean {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' || !value.toLowerCase().startsWith(PREFIX)) return false;
	const received = Buffer.from(value.slice(PREFIX.length).toLowerCase(), 'utf8');
	let valid = false;
	for (const secret of secrets) {
		if (!secret) continue;
		const expected = Buffer.from(computeSignature(rawBody, secret).slice(PREFIX.length), 'utf8');
		if (expected.length === received.length && timingSafeEqual(expected, received)) valid = true;
	}
	return valid;
}

/** Constant-time string comparison for the handshake's verify token. */
export function safeEqual(a: string, b: string): boolean {
	const left = Buffer.from(a, 'utf8');
	const right = Buffer.from(b, 'utf8');
	return left.length === right.length && timingSafeEqual(left, right);
}
