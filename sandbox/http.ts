import type { IncomingMessage, ServerResponse } from 'http';

import { isMultipart, parseMultipart } from './multipart';
import type { JsonObject, JsonValue } from './types';

/** Room for Meta's largest upload (25 MB video/audio/file, instagram-api.md §3.4) plus multipart framing. */
export const MAX_BODY_BYTES = 26 * 1024 * 1024;

/** One incoming request, read fully, as handlers see it. */
export interface RequestContext {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingMessage['headers'];
	rawBody: Buffer;
	/** Parsed body: JSON object, or form fields (JSON-looking values decoded). Empty if none. */
	body: JsonObject;
	/** Set when the body could not be parsed. */
	bodyError?: string;
}

/** A handler's answer. `json` is serialized with JSON.stringify. */
export interface HandlerResult {
	status: number;
	json?: unknown;
	text?: string;
	headers?: Record<string, string>;
}

export function isJsonObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new Error('request body too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function decodeFormValue(value: string): JsonValue {
	const trimmed = value.trim();
	if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
		try {
			return JSON.parse(trimmed) as JsonValue;
		} catch {
			return value;
		}
	}
	return value;
}

/** Form fields → object; JSON-stringified values (`recipient`, `message`, …) are decoded like Meta does. */
export function formToObject(params: URLSearchParams): JsonObject {
	const out: JsonObject = {};
	for (const [key, value] of params) out[key] = decodeFormValue(value);
	return out;
}

export function parseBody(
	raw: Buffer,
	contentType: string | undefined,
): { body: JsonObject; error?: string } {
	if (raw.length === 0) return { body: {} };
	if (isMultipart(contentType)) {
		// Text fields become the body (like a form); file parts stay in rawBody for their handler.
		try {
			const body: JsonObject = {};
			for (const part of parseMultipart(raw, contentType)) {
				if (part.fileName === undefined) body[part.name] = decodeFormValue(part.data.toString('utf8'));
			}
			return { body };
		} catch (err) {
			return {
				body: {},
				error: `invalid multipart body: ${err instanceof Error ? err.message : String(err)}`,
			};
		}
	}
	const text = raw.toString('utf8');
	const type = (contentType ?? '').toLowerCase();
	const looksJson = type.includes('json') || (!type.includes('form') && /^\s*[{[]/.test(text));
	if (looksJson) {
		try {
			const parsed: unknown = JSON.parse(text);
			if (isJsonObject(parsed)) return { body: parsed };
			return { body: {}, error: 'the JSON body must be an object' };
		} catch {
			return { body: {}, error: 'the request body is not valid JSON' };
		}
	}
	return { body: formToObject(new URLSearchParams(text)) };
}

export async function buildContext(req: IncomingMessage): Promise<RequestContext> {
	const url = new URL(req.url ?? '/', 'http://sandbox.local');
	const rawBody = await readBody(req);
	const { body, error } = parseBody(rawBody, req.headers['content-type']);
	return {
		method: (req.method ?? 'GET').toUpperCase(),
		path: url.pathname,
		query: url.searchParams,
		headers: req.headers,
		rawBody,
		body,
		bodyError: error,
	};
}

export function writeResult(res: ServerResponse, result: HandlerResult): void {
	const headers: Record<string, string> = { ...result.headers };
	let payload = '';
	if (result.json !== undefined) {
		payload = JSON.stringify(result.json);
		headers['Content-Type'] ??= 'application/json; charset=UTF-8';
	} else if (result.text !== undefined) {
		payload = result.text;
		headers['Content-Type'] ??= 'text/plain; charset=UTF-8';
	}
	headers['Content-Length'] = String(Buffer.byteLength(payload));
	res.writeHead(result.status, headers);
	res.end(payload);
}

// ---- small readers for untyped input (control API, request bodies) ---------------------------

export function optString(obj: JsonObject, key: string): string | undefined {
	const v = obj[key];
	if (typeof v === 'string') return v;
	if (typeof v === 'number') return String(v);
	return undefined;
}

export function optNumber(obj: JsonObject, key: string): number | undefined {
	const v = obj[key];
	if (typeof v === 'number' && Number.isFinite(v)) return v;
	if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
	return undefined;
}

export function optObject(obj: JsonObject, key: string): JsonObject | undefined {
	const v = obj[key];
	return isJsonObject(v) ? v : undefined;
}

/** Parameter names whose values are secrets and must never be logged or recorded. */
export const SECRET_PARAMS = [
	'access_token',
	'client_secret',
	'appsecret_proof',
	'fb_exchange_token',
	'code',
];

export function redactQuery(query: URLSearchParams): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of query) out[key] = SECRET_PARAMS.includes(key) ? '[redacted]' : value;
	return out;
}

export function redactBody(body: JsonObject): JsonObject {
	const out: JsonObject = {};
	for (const [key, value] of Object.entries(body))
		out[key] = SECRET_PARAMS.includes(key) ? '[redacted]' : value;
	return out;
}

/** The body minus secret params (for the sent record). */
export function withoutSecrets(body: JsonObject): JsonObject {
	const out: JsonObject = {};
	for (const [key, value] of Object.entries(body)) if (!SECRET_PARAMS.includes(key)) out[key] = value;
	return out;
}
