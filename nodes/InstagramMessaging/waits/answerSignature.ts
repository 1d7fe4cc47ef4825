import { createHmac, randomBytes, timingSafeEqual } from 'crypto';

/**
 * The trigger's call to a waiting Send and Wait for Response node is authenticated end to end: the
 * trigger signs the event it verified (Meta's X-Hub-Signature-256) with the same app secret, bound
 * to the question it answers; the waiting node checks that signature with the app secret of its
 * own credential. A resume URL alone (leaked, guessed from logs) therefore resumes nothing, and
 * nothing in the body is believed that the trigger did not sign.
 */
export const ANSWER_SIGNATURE_HEADER = 'x-instagram-answer-signature';

/** A new question's one-time id: when it was asked (base 36 ms) and 64 random bits. */
export function newQuestionId(now: number): string {
	return now.toString(36).padStart(9, '0') + randomBytes(8).toString('hex');
}

/** When the question was asked, from its id (the first 9 characters). */
export function askedAtOf(questionId: string): number {
	return parseInt(questionId.slice(0, 9), 36);
}

/** Domain separation: the same app secret also signs Meta's webhook bodies and appsecret_proof. */
const LABEL = 'instagram-messaging/send-and-wait-answer/v1\0';

function sign(secret: string, questionId: string, answer: string): string {
	return createHmac('sha256', secret).update(`${LABEL}${questionId}\n${answer}`).digest('hex');
}

/** One `sha256=<hex>` per secret the trigger verified Meta's signature with, comma-separated. */
export function signAnswer(secrets: string[], questionId: string, answer: string): string {
	return secrets.map((secret) => `sha256=${sign(secret, questionId, answer)}`).join(',');
}

export function isSignedAnswer(
	header: unknown,
	secrets: string[],
	questionId: string,
	answer: string,
): boolean {
	if (typeof header !== 'string' || header.length > 1_000) return false;
	const given = header
		.split(',')
		.map((part) => /^sha256=([0-9a-f]{64})$/.exec(part.trim())?.[1])
		.filter((hex): hex is string => hex !== undefined)
		.map((hex) => Buffer.from(hex, 'hex'));
	return secrets.some((secret) => {
		const expected = Buffer.from(sign(secret, questionId, answer), 'hex');
		return given.some((candidate) => timingSafeEqual(candidate, expected));
	});
}
