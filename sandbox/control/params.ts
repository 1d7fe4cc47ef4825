/** Shared helpers of the `/_sandbox/*` handlers: errors, answers and query/body parameters. */
import type { HandlerResult } from '../http';
import { optString } from '../http';
import type { RecordFilter } from '../recordTypes';
import type { JsonObject, SignatureMode } from '../types';

export class ControlError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

const SIGNATURE_MODES: SignatureMode[] = ['valid', 'none', 'forged', 'wrongSecret', 'tampered'];

export const ok = (json: unknown): HandlerResult => ({ status: 200, json });

export function mask(secret: string): string {
	return secret.length <= 6 ? '***' : `${secret.slice(0, 6)}…`;
}

export function signatureParam(body: JsonObject): SignatureMode | undefined {
	const value = optString(body, 'signature');
	if (value === undefined) return undefined;
	if (!SIGNATURE_MODES.includes(value as SignatureMode)) {
		throw new ControlError(400, `signature must be one of ${SIGNATURE_MODES.join(', ')}`);
	}
	return value as SignatureMode;
}

export function recordFilter(query: URLSearchParams): RecordFilter {
	const filter: RecordFilter = {};
	const recipientId = query.get('recipientId');
	const accountId = query.get('accountId');
	const since = query.get('since');
	if (recipientId) filter.recipientId = recipientId;
	if (accountId) filter.accountId = accountId;
	if (since) {
		const n = Number(since);
		if (!Number.isFinite(n)) throw new ControlError(400, 'since must be a number');
		filter.since = n;
	}
	return filter;
}
