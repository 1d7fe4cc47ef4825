import type { IBinaryKeyData, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { Attachment } from '../events';

/** What a download needs from n8n: its HTTP helper and its binary store. */
export type DownloadContext = {
	helpers: Pick<IExecuteFunctions['helpers'], 'httpRequest' | 'prepareBinaryData'>;
};

type MediaLink = Pick<Attachment, 'type' | 'url'>;

export interface DownloadResult {
	binary: IBinaryKeyData;
	/** null when every attachment with a URL was downloaded. */
	downloadError: string | null;
}

/** What one execution may download in all: bytes and time. */
export interface DownloadBudget {
	bytesLeft: number;
	deadlineMs: number;
}

/** Per execution (one Meta delivery). */
export const DELIVERY_BYTES = 100 * 1024 * 1024;
export const DELIVERY_TIME_MS = 60_000;
const MAX_REDIRECTS = 3;

export function newDownloadBudget(now = Date.now()): DownloadBudget {
	return { bytesLeft: DELIVERY_BYTES, deadlineMs: now + DELIVERY_TIME_MS };
}

/**
 * Where Meta serves Instagram DM media: `lookaside.fbsbx.com` is the host Meta documents
 * (ig_messaging_cdn); Facebook's and Instagram's CDNs serve the rest (seen in payloads; Meta
 * publishes no list). Nothing else is fetched, so a signed event cannot make n8n read an internal
 * address.
 */
export function isMetaMediaHost(url: URL): boolean {
	const host = url.hostname.toLowerCase();
	return (
		url.protocol === 'https:' &&
		(url.port === '' || url.port === '443') &&
		(host === 'lookaside.fbsbx.com' ||
			host.endsWith('.fbcdn.net') ||
			host.endsWith('.cdninstagram.com') ||
			host.endsWith('.fbsbx.com'))
	);
}

/** Links to a post or a profile, not media of the message. */
const LINK_TYPES: ReadonlySet<string> = new Set(['share']);

interface FullResponse {
	body: unknown;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
}

interface Readable extends AsyncIterable<Buffer | string> {
	destroy(): void;
}

function header(headers: FullResponse['headers'], name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

function fileNameOf(url: URL, index: number, type: string): string {
	const last = url.pathname.split('/').pop() ?? '';
	return /\.[a-z0-9]{2,5}$/i.test(last) ? last : `${type}_${index}`;
}

function errorText(error: unknown): string {
	if (error instanceof Error) return error.message.slice(0, 200);
	return 'unknown error';
}

function isReadable(body: unknown): body is Readable {
	return typeof body === 'object' && body !== null && Symbol.asyncIterator in body && 'destroy' in body;
}

export class Refused extends Error {}

/** Reads the body, stopping as soon as it passes `limit` bytes (nothing more is buffered). */
export async function readCapped(body: unknown, limit: number): Promise<Buffer> {
	if (!isReadable(body)) {
		const data = Buffer.isBuffer(body) ? body : Buffer.from(String(body ?? ''));
		if (data.length > limit) throw new Refused('over the limit');
		return data;
	}
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of body) {
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		size += buffer.length;
		if (size > limit) {
			body.destroy();
			throw new Refused('over the limit');
		}
		chunks.push(buffer);
	}
	return Buffer.concat(chunks);
}

/** GET with redirects followed by hand, each hop checked against Meta's media hosts. */
async function fetchMedia(
	ctx: DownloadContext,
	start: URL,
	budget: DownloadBudget,
): Promise<{ url: URL; response: FullResponse }> {
	let url = start;
	for (let hop = 0; ; hop++) {
		if (!isMetaMediaHost(url)) throw new Refused(`not one of Meta's media hosts (${url.hostname})`);
		const timeout = budget.deadlineMs - Date.now();
		if (timeout <= 0) throw new Refused("the delivery's download time is used up");
		const request: IHttpRequestOptions = {
			method: 'GET',
			url: url.toString(),
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: Math.min(30_000, timeout),
			// The timeout above ends once the headers arrived; this one also ends a stalled body.
			abortSignal: AbortSignal.timeout(timeout),
		};
		const response = (await ctx.helpers.httpRequest(request)) as FullResponse;
		const location = header(response.headers, 'location');
		if (response.statusCode >= 300 && response.statusCode < 400 && location) {
			if (isReadable(response.body)) response.body.destroy();
			if (hop >= MAX_REDIRECTS) throw new Refused('too many redirects');
			url = new URL(location, url);
			continue;
		}
		return { url, response };
	}
}

/**
 * Downloads attachment media into binary properties `attachment_<n>` while the CDN links are valid
 * (they expire): only from Meta's media hosts over https, each file capped at `maxBytes` while it
 * streams, the whole execution at DELIVERY_BYTES and DELIVERY_TIME_MS. Never throws: refused,
 * failed and oversized files are reported in `downloadError` and the event is still emitted.
 */
export async function downloadAttachments(
	ctx: DownloadContext,
	attachments: MediaLink[],
	maxBytes: number,
	budget: DownloadBudget = newDownloadBudget(),
): Promise<DownloadResult> {
	const binary: IBinaryKeyData = {};
	const errors: string[] = [];
	for (const [index, attachment] of attachments.entries()) {
		if (attachment.url === null || LINK_TYPES.has(attachment.type)) continue;
		let url: URL;
		try {
			url = new URL(attachment.url);
		} catch {
			errors.push(`attachment ${index}: not a valid URL`);
			continue;
		}
		if (url.protocol !== 'https:') {
			errors.push(`attachment ${index}: unsupported URL scheme (only https)`);
			continue;
		}
		try {
			const fetched = await fetchMedia(ctx, url, budget);
			const { response } = fetched;
			if (response.statusCode < 200 || response.statusCode >= 300) {
				if (isReadable(response.body)) response.body.destroy();
				errors.push(
					`attachment ${index}: the CDN answered HTTP ${response.statusCode} (the link may have expired)`,
				);
				continue;
			}
			const limit = Math.min(maxBytes, budget.bytesLeft);
			const declared = Number(header(response.headers, 'content-length'));
			if (Number.isFinite(declared) && declared > limit) {
				if (isReadable(response.body)) response.body.destroy();
				throw new Refused('over the limit');
			}
			const data = await readCapped(response.body, limit);
			budget.bytesLeft -= data.length;
			const mimeType = header(response.headers, 'content-type')?.split(';')[0]?.trim() || undefined;
			binary[`attachment_${index}`] = await ctx.helpers.prepareBinaryData(
				data,
				fileNameOf(fetched.url, index, attachment.type),
				mimeType,
			);
		} catch (error) {
			const overLimit = error instanceof Refused && error.message === 'over the limit';
			errors.push(
				overLimit
					? `attachment ${index}: larger than the ${Math.round(maxBytes / 1024 / 1024)} MB limit (or the execution's ${DELIVERY_BYTES / 1024 / 1024} MB)`
					: `attachment ${index}: ${error instanceof Refused ? `not downloaded: ${error.message}` : errorText(error)}`,
			);
		}
	}
	return { binary, downloadError: errors.length > 0 ? errors.join('; ') : null };
}

export function hasDownloadableAttachment(attachments: MediaLink[]): boolean {
	return attachments.some((attachment) => attachment.url !== null && !LINK_TYPES.has(attachment.type));
}
