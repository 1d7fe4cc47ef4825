/**
 * `POST /vX/{me|PAGE_ID}/message_attachments` — Meta's Attachment Upload API ("Upload Media for
 * Instagram Messaging", Apr 2026), documented for the Facebook Page setup only: on
 * graph.instagram.com the edge is refused (docs/meta-fidelity.md). JSON form: `message.attachment.payload.url` (Meta fetches the URL; the
 * sandbox only records it). Multipart form: `message` (JSON text) + the file as `filedata`, whose
 * bytes are stored (size, content type, SHA-256) so tests can check the file arrived intact.
 * The Facebook Page flavour also needs `platform=instagram`. Answers `{ attachment_id }`.
 */
import { graphErrors } from '../errors';
import type { HandlerResult } from '../http';
import { isJsonObject, optObject, optString } from '../http';
import { isMultipart, parseMultipart } from '../multipart';
import { accountSelfIds } from '../state';
import type { AttachmentType } from '../contentTypes';
import type { GraphContext, GraphRoute } from './context';
import { sendParams } from './messages';

const MB = 1024 * 1024;

/** Formats and sizes Meta accepts per type (§3.4). */
export const UPLOAD_RULES: Record<AttachmentType, { maxBytes: number; contentTypes: string[] }> = {
	image: { maxBytes: 8 * MB, contentTypes: ['image/png', 'image/jpeg', 'image/gif'] },
	video: {
		maxBytes: 25 * MB,
		contentTypes: ['video/mp4', 'video/ogg', 'video/x-msvideo', 'video/avi', 'video/quicktime', 'video/webm'],
	},
	audio: {
		maxBytes: 25 * MB,
		contentTypes: [
			'audio/aac',
			'audio/x-aac',
			'audio/mp4',
			'audio/m4a',
			'audio/x-m4a',
			'audio/wav',
			'audio/x-wav',
			'audio/wave',
		],
	},
	file: { maxBytes: 25 * MB, contentTypes: ['application/pdf'] },
};

const TYPES = Object.keys(UPLOAD_RULES) as AttachmentType[];

function postAttachment(ctx: GraphContext, params: Record<string, string>): HandlerResult {
	const { account, services } = ctx;
	const pathId = params.id ?? '';
	if (account.flavour === 'instagram') throw graphErrors.unknownPath('/message_attachments');
	if (pathId !== 'me' && !accountSelfIds(account).includes(pathId))
		throw graphErrors.unsupportedRequest('POST', pathId);
	if (ctx.req.bodyError) throw graphErrors.invalidParameter(`Invalid request body: ${ctx.req.bodyError}`);

	const body = sendParams(ctx);
	if (account.flavour === 'facebookPage' && optString(body, 'platform') !== 'instagram') {
		throw graphErrors.invalidParameter(
			'Param platform must be instagram to upload an attachment for Instagram',
		);
	}
	const message = body.message;
	if (!isJsonObject(message)) throw graphErrors.invalidParameter('Param message must be a JSON object');
	const attachment = optObject(message, 'attachment');
	if (!attachment) throw graphErrors.invalidParameter('Param message[attachment] is required');
	const type = optString(attachment, 'type') as AttachmentType | undefined;
	if (!type || !TYPES.includes(type)) {
		throw graphErrors.invalidParameter(
			`Param message[attachment][type] must be one of {${TYPES.join(', ')}}`,
		);
	}
	const payload = optObject(attachment, 'payload') ?? {};
	// Meta's samples send "true" as a string; both forms mean reusable.
	const isReusable = payload.is_reusable === true || payload.is_reusable === 'true';
	const now = services.clock.now();
	const accountId = account.igUserId;

	if (isMultipart(ctx.req.headers['content-type'])) {
		const file = parseMultipart(ctx.req.rawBody, ctx.req.headers['content-type']).find(
			(p) => p.name === 'filedata',
		);
		if (!file || file.fileName === undefined)
			throw graphErrors.invalidParameter('Param filedata (a file) is required');
		if (!/^[\x20-\x7e]*$/.test(file.fileName)) {
			throw graphErrors.invalidParameter('File names with non-ASCII characters are not supported');
		}
		const contentType = (file.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
		const rule = UPLOAD_RULES[type];
		if (!rule.contentTypes.includes(contentType)) {
			throw graphErrors.invalidParameter(
				`The file type ${contentType || 'unknown'} is not supported for ${type} attachments`,
			);
		}
		if (file.data.length === 0) throw graphErrors.invalidParameter('Param filedata is empty');
		if (file.data.length > rule.maxBytes) {
			throw graphErrors.invalidParameter(`The ${type} file is too large: at most ${rule.maxBytes / MB} MB`);
		}
		const stored = services.state.addAttachment({
			accountId,
			type,
			at: now,
			isReusable,
			fileName: file.fileName,
			contentType,
			bytes: Buffer.from(file.data),
		});
		return { status: 200, json: { attachment_id: stored.id } };
	}

	const url = payload.url;
	if (typeof url !== 'string')
		throw graphErrors.invalidParameter(
			'Param message[attachment][payload][url] is required (or upload filedata)',
		);
	try {
		const parsed = new URL(url);
		if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not http');
	} catch {
		throw graphErrors.invalidParameter('Param message[attachment][payload][url] must be a valid URL');
	}
	const stored = services.state.addAttachment({ accountId, type, at: now, isReusable, url });
	return { status: 200, json: { attachment_id: stored.id } };
}

export const attachmentsRoutes: GraphRoute[] = [
	{ method: 'POST', path: '/:id/message_attachments', handler: postAttachment },
];
