import type { IBinaryKeyData, IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';

import type { InstagramEvent } from '../events';

export interface DownloadResult {
	binary: IBinaryKeyData;
	/** null when every attachment with a URL was downloaded. */
	downloadError: string | null;
}

interface FullResponse {
	body: unknown;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
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

/**
 * Downloads the event's attachment media into binary properties `attachment_<n>` while the CDN
 * links are valid (they expire). Never throws: failures and oversized files are reported in
 * `downloadError` and the event is still emitted.
 */
export async function downloadAttachments(
	ctx: IWebhookFunctions,
	event: InstagramEvent,
	maxBytes: number,
): Promise<DownloadResult> {
	const binary: IBinaryKeyData = {};
	const errors: string[] = [];
	for (const [index, attachment] of event.attachments.entries()) {
		if (attachment.url === null) continue;
		let url: URL;
		try {
			url = new URL(attachment.url);
		} catch {
			errors.push(`attachment ${index}: not a valid URL`);
			continue;
		}
		if (url.protocol !== 'https:' && url.protocol !== 'http:') {
			errors.push(`attachment ${index}: unsupported URL scheme`);
			continue;
		}
		try {
			const request: IHttpRequestOptions = {
				method: 'GET',
				url: url.toString(),
				encoding: 'arraybuffer',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 30_000,
			};
			const response = (await ctx.helpers.httpRequest(request)) as FullResponse;
			if (response.statusCode < 200 || response.statusCode >= 300) {
				errors.push(
					`attachment ${index}: the CDN answered HTTP ${response.statusCode} (the link may have expired)`,
				);
				continue;
			}
			const declared = Number(header(response.headers, 'content-length'));
			const data = Buffer.isBuffer(response.body)
				? response.body
				: Buffer.from(
						response.body instanceof ArrayBuffer
							? new Uint8Array(response.body)
							: String(response.body ?? ''),
					);
			if ((Number.isFinite(declared) && declared > maxBytes) || data.length > maxBytes) {
				errors.push(`attachment ${index}: larger than the ${Math.round(maxBytes / 1024 / 1024)} MB limit`);
				continue;
			}
			const mimeType = header(response.headers, 'content-type')?.split(';')[0]?.trim() || undefined;
			const prepared = await ctx.helpers.prepareBinaryData(
				data,
				fileNameOf(url, index, attachment.type),
				mimeType,
			);
			binary[`attachment_${index}`] = prepared;
		} catch (error) {
			errors.push(`attachment ${index}: ${errorText(error)}`);
		}
	}
	return { binary, downloadError: errors.length > 0 ? errors.join('; ') : null };
}

export function hasDownloadableAttachment(event: InstagramEvent): boolean {
	return event.attachments.some((attachment) => attachment.url !== null);
}
