import http from 'http';
import type { AddressInfo } from 'net';

import type { MetaSandbox } from '../../../sandbox';

export interface GraphResponse {
	status: number;
	headers: Headers;
	json: Record<string, unknown>;
}

export interface GraphCall {
	token?: string;
	/** Put the token in `?access_token=` instead of the Authorization header. */
	tokenIn?: 'header' | 'query';
	json?: unknown;
	form?: Record<string, string>;
	headers?: Record<string, string>;
}

/** A tiny Graph client over fetch (loopback only). */
export async function graph(
	sandbox: MetaSandbox,
	method: string,
	path: string,
	call: GraphCall = {},
): Promise<GraphResponse> {
	const url = new URL(sandbox.url + path);
	const headers: Record<string, string> = { ...call.headers };
	if (call.token !== undefined) {
		if (call.tokenIn === 'query') url.searchParams.set('access_token', call.token);
		else headers.Authorization = `Bearer ${call.token}`;
	}
	let body: string | undefined;
	if (call.json !== undefined) {
		body = JSON.stringify(call.json);
		headers['Content-Type'] = 'application/json';
	} else if (call.form !== undefined) {
		body = new URLSearchParams(call.form).toString();
		headers['Content-Type'] = 'application/x-www-form-urlencoded';
	}
	const res = await fetch(url, { method, headers, body });
	const text = await res.text();
	return {
		status: res.status,
		headers: res.headers,
		json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
	};
}

/** The `error` object of a Graph error response. */
export function errorOf(res: GraphResponse): Record<string, unknown> {
	const error = res.json.error;
	if (typeof error !== 'object' || error === null)
		throw new Error(`expected a Graph error, got ${JSON.stringify(res.json)}`);
	return error as Record<string, unknown>;
}

export interface CapturedRequest {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	raw: Buffer;
}

/** A local receiver that records the exact bytes of every request (our stand-in for n8n). */
export class CaptureServer {
	readonly requests: CapturedRequest[] = [];
	/** Answer for POSTs. */
	postStatus = 200;
	/** The verify token a GET handshake must carry. */
	verifyToken = 'capture-verify-token';
	private server: http.Server | undefined;
	private waiters: Array<() => void> = [];
	url = '';

	static async start(): Promise<CaptureServer> {
		const c = new CaptureServer();
		await c.listen();
		return c;
	}

	private listen(): Promise<void> {
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				this.requests.push({
					method: req.method ?? '',
					url: req.url ?? '',
					headers: req.headers,
					raw: Buffer.concat(chunks),
				});
				const waiters = this.waiters;
				this.waiters = [];
				waiters.forEach((w) => w());
				if (req.method === 'GET') {
					const q = new URL(req.url ?? '/', 'http://x').searchParams;
					if (q.get('hub.mode') === 'subscribe' && q.get('hub.verify_token') === this.verifyToken) {
						res.writeHead(200, { 'Content-Type': 'text/plain' });
						res.end(q.get('hub.challenge') ?? '');
					} else {
						res.writeHead(403);
						res.end('forbidden');
					}
					return;
				}
				res.writeHead(this.postStatus, { 'Content-Type': 'text/plain' });
				res.end('EVENT_RECEIVED');
			});
		});
		return new Promise((resolve) => {
			this.server?.listen(0, '127.0.0.1', () => {
				const { port } = this.server?.address() as AddressInfo;
				this.url = `http://127.0.0.1:${port}/webhook`;
				resolve();
			});
		});
	}

	/** Resolves once at least `n` requests arrived. */
	async waitFor(n: number, timeoutMs = 5000): Promise<CapturedRequest[]> {
		const deadline = Date.now() + timeoutMs;
		while (this.requests.length < n) {
			if (Date.now() > deadline) throw new Error(`expected ${n} requests, got ${this.requests.length}`);
			await new Promise<void>((resolve) => {
				const t = setTimeout(resolve, 50);
				this.waiters.push(() => {
					clearTimeout(t);
					resolve();
				});
			});
		}
		return this.requests;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	}
}
