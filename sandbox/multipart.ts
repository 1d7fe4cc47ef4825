/** A minimal multipart/form-data reader for the Attachment Upload API (`filedata`, §3.4). */
export interface MultipartPart {
	name: string;
	/** Present for file parts. */
	fileName?: string;
	contentType?: string;
	data: Buffer;
}

export function isMultipart(contentType: string | undefined): boolean {
	return /^multipart\/form-data/i.test(contentType ?? '');
}

export function multipartBoundary(contentType: string | undefined): string | undefined {
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
	return match?.[1] ?? match?.[2];
}

/** Splits a multipart body into its parts; throws when the body is not well-formed. */
export function parseMultipart(raw: Buffer, contentType: string | undefined): MultipartPart[] {
	const boundary = multipartBoundary(contentType);
	if (!boundary) throw new Error('the multipart body has no boundary');
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: MultipartPart[] = [];
	let position = raw.indexOf(delimiter);
	if (position === -1) throw new Error('the multipart body does not contain its boundary');
	for (;;) {
		const afterDelimiter = position + delimiter.length;
		if (raw.subarray(afterDelimiter, afterDelimiter + 2).toString('latin1') === '--') return parts;
		const headerStart = afterDelimiter + 2;
		const headerEnd = raw.indexOf('\r\n\r\n', headerStart);
		if (headerEnd === -1) throw new Error('a multipart part has no header end');
		const next = raw.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
		if (next === -1) throw new Error('the multipart body is not terminated');
		const headers = raw.subarray(headerStart, headerEnd).toString('utf8');
		const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
		const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
		if (name === undefined) throw new Error('a multipart part has no name');
		const part: MultipartPart = { name, data: raw.subarray(headerEnd + 4, next) };
		const fileName = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
		if (fileName !== undefined) part.fileName = fileName;
		const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1];
		if (type !== undefined) part.contentType = type.trim();
		parts.push(part);
		position = next + 2;
	}
}
