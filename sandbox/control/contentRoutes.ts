/** Control endpoints for uploaded attachments, posts and comments. */
import type { ControlRoute } from '../controlRoute';
import { optNumber, optString } from '../http';
import { ControlError, ok } from './params';

export const contentRoutes: ControlRoute[] = [
	{
		method: 'GET',
		path: '/_sandbox/attachments',
		summary: 'uploaded attachments without their bytes (?account)',
		handler: ({ sandbox, req }) =>
			ok({
				data: sandbox
					.attachments(req.query.get('account') ?? undefined)
					.map(({ bytes: _bytes, ...rest }) => rest),
			}),
	},
	{
		method: 'GET',
		path: '/_sandbox/attachments/:id',
		summary:
			'one uploaded attachment: type, fileName, contentType, size, sha256, url and the bytes as base64 (data)',
		handler: ({ sandbox }, params) => {
			const found = sandbox.attachment(params.id ?? '');
			if (!found) throw new ControlError(404, `no attachment ${params.id ?? ''}`);
			const { bytes, ...rest } = found;
			return ok({ ...rest, ...(bytes ? { data: bytes.toString('base64') } : {}) });
		},
	},
	{
		method: 'POST',
		path: '/_sandbox/media',
		summary: 'a published post of the account (for Share Post): { id?, caption?, account? }',
		handler: ({ sandbox, req }) => {
			try {
				return ok(
					sandbox.addMedia({
						id: optString(req.body, 'id'),
						caption: optString(req.body, 'caption'),
						account: optString(req.body, 'account'),
					}),
				);
			} catch (err) {
				throw new ControlError(400, err instanceof Error ? err.message : String(err));
			}
		},
	},
	{
		method: 'GET',
		path: '/_sandbox/comments',
		summary: 'comments and their private reply, if any',
		handler: ({ sandbox }) => ok({ data: sandbox.state.listComments() }),
	},
	{
		method: 'POST',
		path: '/_sandbox/comments',
		summary:
			'a person comments on a post (no webhook): { text, id?, from?, fromUsername?, mediaId?, at?, agoMs?, account? }',
		handler: ({ sandbox, req }) => {
			const text = optString(req.body, 'text');
			if (text === undefined) throw new ControlError(400, 'text is required');
			const agoMs = optNumber(req.body, 'agoMs');
			try {
				return ok(
					sandbox.addComment({
						text,
						id: optString(req.body, 'id'),
						from: optString(req.body, 'from'),
						fromUsername: optString(req.body, 'fromUsername'),
						mediaId: optString(req.body, 'mediaId'),
						at: optNumber(req.body, 'at') ?? (agoMs !== undefined ? sandbox.now() - agoMs : undefined),
						account: optString(req.body, 'account'),
					}),
				);
			} catch (err) {
				throw new ControlError(400, err instanceof Error ? err.message : String(err));
			}
		},
	},
];
