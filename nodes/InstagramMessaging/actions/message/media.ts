import { randomBytes } from 'crypto';
import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest, type GraphConnection, type RateClass } from '../../transport';

export type MediaType = 'image' | 'video' | 'audio' | 'file';

const MB = 1024 * 1024;

interface MediaRule {
	label: string;
	maxBytes: number;
	/** Accepted content types → their usual file extension. */
	mimeTypes: Record<string, string>;
	extensions: Record<string, string>;
}

/** What Instagram accepts per attachment type (instagram-api.md §3.4). */
export const MEDIA_RULES: Record<MediaType, MediaRule> = {
	image: {
		label: 'png, jpeg or gif, at most 8 MB',
		maxBytes: 8 * MB,
		mimeTypes: { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/jpg': 'jpg', 'image/gif': 'gif' },
		extensions: { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif' },
	},
	video: {
		label: 'mp4, ogg, avi, mov or webm, at most 25 MB',
		maxBytes: 25 * MB,
		mimeTypes: {
			'video/mp4': 'mp4',
			'video/ogg': 'ogg',
			'video/x-msvideo': 'avi',
			'video/avi': 'avi',
			'video/msvideo': 'avi',
			'video/quicktime': 'mov',
			'video/webm': 'webm',
		},
		extensions: {
			mp4: 'video/mp4',
			ogg: 'video/ogg',
			ogv: 'video/ogg',
			avi: 'video/x-msvideo',
			mov: 'video/quicktime',
			webm: 'video/webm',
		},
	},
	audio: {
		label: 'aac, m4a, wav or mp4, at most 25 MB',
		maxBytes: 25 * MB,
		mimeTypes: {
			'audio/aac': 'aac',
			'audio/x-aac': 'aac',
			'audio/mp4': 'm4a',
			'audio/m4a': 'm4a',
			'audio/x-m4a': 'm4a',
			'audio/wav': 'wav',
			'audio/x-wav': 'wav',
			'audio/wave': 'wav',
			'audio/vnd.wave': 'wav',
		},
		extensions: { aac: 'audio/aac', m4a: 'audio/mp4', wav: 'audio/wav', mp4: 'audio/mp4' },
	},
	file: {
		label: 'pdf, at most 25 MB',
		maxBytes: 25 * MB,
		mimeTypes: { 'application/pdf': 'pdf' },
		extensions: { pdf: 'application/pdf' },
	},
};

/** Audio and video sends count against Meta's much lower cap (10/s, instagram-api.md §7.4). */
export function rateClassFor(type: MediaType): RateClass {
	return type === 'audio' || type === 'video' ? 'sendAudioVideo' : 'send';
}

export interface MediaFile {
	bytes: Buffer;
	contentType: string;
	fileName: string;
}

function extensionOf(fileName: string | undefined): string {
	const match = /\.([A-Za-z0-9]+)$/.exec(fileName ?? '');
	return match ? match[1].toLowerCase() : '';
}

/** File names with non-ASCII characters are not supported by Meta's upload (§3.4). */
function asciiFileName(fileName: string | undefined, extension: string): string {
	const cleaned = String(fileName ?? '')
		.replace(/[^\x20-\x7e]/g, '_')
		.replace(/["\\/\r\n]/g, '_')
		.trim();
	return cleaned !== '' ? cleaned : `upload.${extension}`;
}

/**
 * Reads an n8n binary property and checks it against Instagram's type and size limits before
 * anything is uploaded.
 */
export async function readMediaFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	type: MediaType,
	/** Prefix naming the field in errors, e.g. "Image 2: " (empty for a single file). */
	field: string,
): Promise<MediaFile> {
	const binary: IBinaryData = ctx.helpers.assertBinaryData(itemIndex, propertyName);
	const rule = MEDIA_RULES[type];
	const declared = String(binary.mimeType ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	const extension = extensionOf(binary.fileName);
	let contentType: string | undefined;
	if (rule.mimeTypes[declared] !== undefined)
		contentType = declared === 'image/jpg' ? 'image/jpeg' : declared;
	else if ((declared === '' || declared === 'application/octet-stream') && rule.extensions[extension]) {
		contentType = rule.extensions[extension];
	}
	if (contentType === undefined) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${field}Instagram does not accept "${binary.fileName ?? propertyName}" (${declared || 'unknown type'}) as ${type}`,
			{
				itemIndex,
				description: `Instagram accepts ${type} files as ${rule.label}. Convert the file or choose another Media Type.`,
			},
		);
	}
	const bytes = await ctx.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	if (bytes.length === 0) {
		throw new NodeOperationError(ctx.getNode(), `${field}"${binary.fileName ?? propertyName}" is empty`, {
			itemIndex,
			description: 'The binary property holds no bytes. Check the node that produced it.',
		});
	}
	if (bytes.length > rule.maxBytes) {
		const size = (bytes.length / MB).toFixed(1);
		throw new NodeOperationError(
			ctx.getNode(),
			`${field}"${binary.fileName ?? propertyName}" is ${size} MB, Instagram accepts at most ${rule.maxBytes / MB} MB for ${type}`,
			{
				itemIndex,
				description: `Instagram accepts ${type} files as ${rule.label}. Compress the file or send a link instead.`,
			},
		);
	}
	const fileExtension = rule.mimeTypes[contentType] ?? extension;
	return { bytes, contentType, fileName: asciiFileName(binary.fileName, fileExtension) };
}

/** A multipart/form-data body built by hand (shipped code may only use Node built-ins). */
export function multipartBody(
	fields: Record<string, string>,
	file: MediaFile,
): { body: Buffer; contentType: string } {
	const boundary = `----n8nInstagram${randomBytes(12).toString('hex')}`;
	const chunks: Buffer[] = [];
	for (const [name, value] of Object.entries(fields)) {
		chunks.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
				'utf8',
			),
		);
	}
	chunks.push(
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="filedata"; filename="${file.fileName}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
			'utf8',
		),
		file.bytes,
		Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
	);
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Meta's Attachment Upload API (instagram-api.md §3.4): `POST /{id}/message_attachments` with the
 * file as multipart `filedata`; returns the reusable attachment id. Never repeated when Meta may
 * have stored the file already.
 */
export async function uploadAttachment(
	ctx: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
	type: MediaType,
	file: MediaFile,
): Promise<string> {
	const fields: Record<string, string> = {
		message: JSON.stringify({ attachment: { type, payload: { is_reusable: true } } }),
	};
	if (connection.flavour === 'facebookPage') fields.platform = 'instagram';
	const multipart = multipartBody(fields, file);
	const response: IDataObject = await graphRequest.call(ctx, connection, {
		method: 'POST',
		path: `/${connection.selfId}/message_attachments`,
		body: multipart.body,
		headers: { 'Content-Type': multipart.contentType },
		idempotent: false,
		uncertainOutcome: 'The file may have been uploaded (nothing was sent to the customer)',
		rateClass: rateClassFor(type),
		itemIndex,
	});
	if (response.attachment_id === undefined || response.attachment_id === null) {
		throw new NodeOperationError(ctx.getNode(), 'Meta accepted the upload but returned no attachment ID', {
			itemIndex,
			description: 'Try again; if it keeps happening, send the file by URL instead.',
		});
	}
	return String(response.attachment_id);
}
