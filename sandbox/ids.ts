import { randomBytes, randomInt } from 'crypto';

/** Prefix shared by Instagram message ids (`mid`) as seen in real payloads. */
export const MID_PREFIX = 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlE';

/** A fresh Meta-looking Instagram message id. */
export function newMid(): string {
	return MID_PREFIX + randomBytes(48).toString('base64url');
}

/** A random `fbtrace_id` (Meta's support id), 23 url-safe characters. */
export function newFbtraceId(): string {
	return 'A' + randomBytes(17).toString('base64url').slice(0, 22);
}

/** An integer-like challenge string as used in the webhook verification handshake. */
export function newChallenge(): string {
	return String(randomInt(1, 2 ** 31 - 1)) + String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Random lowercase hex of the given byte length. */
export function randomHex(bytes: number): string {
	return randomBytes(bytes).toString('hex');
}
