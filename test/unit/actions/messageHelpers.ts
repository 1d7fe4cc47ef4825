import type { INodeExecutionData } from 'n8n-workflow';

import { CUSTOMER } from '../harness';

const HOUR = 3_600_000;

/** An inbound message item as the trigger emits it, written `ageMs` ago (opens the window). */
export function inbound(
	ageMs = 60_000,
	customerId = CUSTOMER,
	extra: Record<string, unknown> = {},
): INodeExecutionData {
	const timestampMs = Date.now() - ageMs;
	return {
		json: {
			eventType: 'message',
			customerId,
			timestampMs,
			windowExpiresAt: new Date(timestampMs + 24 * HOUR).toISOString(),
			text: 'hi',
			mid: 'm_in',
			...extra,
		},
	};
}

/** nock hands a request body over as UTF-8 text, or as hex when it is not valid UTF-8. */
export function bodyBytes(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	return /^(?:[0-9a-f]{2})+$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'utf8');
}

export interface Part {
	name: string;
	fileName?: string;
	contentType?: string;
	data: Buffer;
}

/** A small, independent multipart/form-data reader for asserting what the node uploaded. */
export function parseMultipart(raw: Buffer, contentTypeHeader: string): Part[] {
	const boundary = /boundary=("?)([^";]+)\1/.exec(contentTypeHeader)?.[2];
	if (!boundary) throw new Error(`no boundary in ${contentTypeHeader}`);
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: Part[] = [];
	let start = raw.indexOf(delimiter);
	while (start !== -1) {
		const afterDelimiter = start + delimiter.length;
		if (raw.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
		const headerStart = afterDelimiter + 2;
		const headerEnd = raw.indexOf('\r\n\r\n', headerStart);
		const next = raw.indexOf(delimiter, headerEnd);
		const headers = raw.subarray(headerStart, headerEnd).toString('utf8');
		const data = raw.subarray(headerEnd + 4, next - 2);
		parts.push({
			name: /name="([^"]*)"/.exec(headers)?.[1] ?? '',
			fileName: /filename="([^"]*)"/.exec(headers)?.[1],
			contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1],
			data,
		});
		start = next;
	}
	return parts;
}
