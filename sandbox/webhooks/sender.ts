/**
 * Meta's side of a webhook delivery: serialize once (Meta style), sign the exact bytes, POST them.
 * Also the GET verification handshake (§2.2). Node built-ins only.
 */
import { createHmac } from 'crypto';
import http from 'http';
import https from 'https';

import { newChallenge, randomHex } from '../ids';
import type { DeliveryResult } from '../recordTypes';
import type { SignatureMode } from '../types';

export const META_USER_AGENT = 'facebookexternalua';

/**
 * JSON as Meta sends it: every non-ASCII UTF-16 code unit escaped as lowercase `\uXXXX`
 * (emoji become surrogate pairs), and `/` escaped as `\/`. The body therefore differs from
 * `JSON.stringify(JSON.parse(body))`, which is why receivers must hash the raw bytes (§2.3).
 */
export function metaJson(payload: unknown, options: { escapeSlashes?: boolean } = {}): string {
	const json = JSON.stringify(payload);
	if (json === undefined) throw new Error('payload is not JSON-serializable');
	let out = json.replace(/[\u0080-\uffff]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
	if (options.escapeSlashes ?? true) out = out.replace(/\//g, '\\/');
	return out;
}

/** `sha256=<lowercase hex HMAC-SHA256 of the exact bytes>` — the X-Hub-Signature-256 value. */
export function signBody(raw: string | Buffer, secret: string): string {
	return 'sha256=' + createHmac('sha256', secret).update(raw).digest('hex');
}

/** Legacy `X-Hub-Signature: sha1=<hex>` value (Meta still sends it alongside). */
export function signBodySha1(raw: string | Buffer, secret: string): string {
	return 'sha1=' + createHmac('sha1', secret).update(raw).digest('hex');
}

export interface SignedRequest {
	body: Buffer;
	headers: Record<string, string>;
}

/** Flip one byte in the middle of the body (keeps it valid UTF-8 and, usually, valid JSON). */
function tamper(body: Buffer): Buffer {
	const copy = Buffer.from(body);
	if (copy.length === 0) return Buffer.from(' ');
	// Prefer altering a digit or a letter so the JSON stays parseable and the change is subtle.
	const mid = Math.floor(copy.length / 2);
	for (let i = 0; i < copy.length; i++) {
		const idx = (mid + i) % copy.length;
		const c = copy[idx] ?? 0;
		if (c >= 0x30 && c <= 0x38) {
			copy[idx] = c + 1;
			return copy;
		}
		if ((c >= 0x61 && c <= 0x79) || (c >= 0x41 && c <= 0x59)) {
			copy[idx] = c + 1;
			return copy;
		}
	}
	copy[mid] = (copy[mid] ?? 0) ^ 0x01;
	return copy;
}

/** Body + headers Meta would send, for the given signature mode. */
export function signRequest(bodyText: string, secret: string, mode: SignatureMode = 'valid'): SignedRequest {
	const original = Buffer.from(bodyText, 'utf8');
	let body: Buffer = original;
	const headers: Record<string, string> = {
		'Content-Type': 'application/json',
		'User-Agent': META_USER_AGENT,
	};
	switch (mode) {
		case 'valid':
			headers['X-Hub-Signature'] = signBodySha1(original, secret);
			headers['X-Hub-Signature-256'] = signBody(original, secret);
			break;
		case 'none':
			break;
		case 'forged':
			headers['X-Hub-Signature'] = 'sha1=' + randomHex(20);
			headers['X-Hub-Signature-256'] = 'sha256=' + randomHex(32);
			break;
		case 'wrongSecret': {
			const wrong = secret + '-wrong-' + randomHex(4);
			headers['X-Hub-Signature'] = signBodySha1(original, wrong);
			headers['X-Hub-Signature-256'] = signBody(original, wrong);
			break;
		}
		case 'tampered':
			headers['X-Hub-Signature'] = signBodySha1(original, secret);
			headers['X-Hub-Signature-256'] = signBody(original, secret);
			body = tamper(original);
			break;
	}
	return { body, headers };
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(headers)) {
		if (value !== undefined) out[key] = Array.isArray(value) ? value.join(', ') : value;
	}
	return out;
}

/** Minimal HTTP client (http/https) returning status, body text and headers. */
export function httpRequest(
	method: 'GET' | 'POST',
	url: string,
	options: { body?: Buffer; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<DeliveryResult> {
	return new Promise((resolve, reject) => {
		const target = new URL(url);
		const lib = target.protocol === 'https:' ? https : http;
		const headers: Record<string, string> = { ...options.headers };
		if (options.body) headers['Content-Length'] = String(options.body.length);
		const req = lib.request(target, { method, headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () =>
				resolve({
					status: res.statusCode ?? 0,
					body: Buffer.concat(chunks).toString('utf8'),
					headers: flattenHeaders(res.headers),
				}),
			);
			res.on('error', reject);
		});
		req.setTimeout(options.timeoutMs ?? 10_000, () => {
			req.destroy(new Error(`webhook request to ${target.origin}${target.pathname} timed out`));
		});
		req.on('error', reject);
		req.end(options.body);
	});
}

export interface VerifyResult {
	status: number;
	body: string;
	challenge: string;
	/** 200 and the body is exactly the challenge. */
	ok: boolean;
}

/** Meta's GET handshake: `hub.mode=subscribe&hub.verify_token=…&hub.challenge=<digits>`. */
export async function verifyCallbackUrl(
	callbackUrl: string,
	verifyToken: string,
	options: { mode?: string; timeoutMs?: number } = {},
): Promise<VerifyResult> {
	const challenge = newChallenge();
	const url = new URL(callbackUrl);
	url.searchParams.set('hub.mode', options.mode ?? 'subscribe');
	url.searchParams.set('hub.verify_token', verifyToken);
	url.searchParams.set('hub.challenge', challenge);
	const res = await httpRequest('GET', url.toString(), {
		headers: { 'User-Agent': META_USER_AGENT },
		timeoutMs: options.timeoutMs,
	});
	return { status: res.status, body: res.body, challenge, ok: res.status === 200 && res.body === challenge };
}
