import { createHash, randomBytes } from 'crypto';

import { DAY_MS, HOUR_MS, MetaSandbox, SANDBOX_DEFAULTS } from '../../../sandbox';
import { errorOf, graph } from './helpers';

const A = SANDBOX_DEFAULTS.instagram;
const B = SANDBOX_DEFAULTS.facebookPage;
const CUSTOMER = SANDBOX_DEFAULTS.customer.id;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function multipart(
	fields: Record<string, string>,
	file?: { name?: string; fileName: string; type: string; data: Buffer },
) {
	const boundary = `----sandboxTest${randomBytes(6).toString('hex')}`;
	const chunks: Buffer[] = [];
	for (const [name, value] of Object.entries(fields)) {
		chunks.push(
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
		);
	}
	if (file) {
		chunks.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${file.name ?? 'filedata'}"; filename="${file.fileName}"\r\nContent-Type: ${file.type}\r\n\r\n`,
			),
			file.data,
			Buffer.from('\r\n'),
		);
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('sandbox Graph: message operations', () => {
	let sandbox: MetaSandbox;

	beforeAll(async () => {
		sandbox = await MetaSandbox.start();
	});
	afterAll(async () => {
		await sandbox.stop();
	});
	beforeEach(async () => {
		sandbox.reset();
		await sandbox.customerSays({
			text: 'hello',
			at: sandbox.now() - HOUR_MS,
			deliver: false,
			mid: 'm_customer_1',
		});
		await sandbox.customerSays({
			text: 'hello',
			account: 'facebookPage',
			at: sandbox.now() - HOUR_MS,
			deliver: false,
		});
	});

	const sendA = (body: unknown) =>
		graph(sandbox, 'POST', '/v23.0/me/messages', { token: A.accessToken, json: body });
	const message = (m: unknown) => sendA({ recipient: { id: CUSTOMER }, message: m });
	const messageB = (m: unknown) =>
		graph(sandbox, 'POST', '/v23.0/me/messages', {
			token: B.pageAccessToken,
			json: { recipient: { id: CUSTOMER }, message: m },
		});

	/** Meta documents the upload for the Page setup (with platform=instagram) only. */
	async function upload(
		fields: Record<string, string>,
		file?: { name?: string; fileName: string; type: string; data: Buffer },
		token: string = B.pageAccessToken,
		path = '/v23.0/me/message_attachments',
		platform = true,
	) {
		const { body, contentType } = multipart(platform ? { ...fields, platform: 'instagram' } : fields, file);
		const res = await fetch(sandbox.url + path, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
			body,
		});
		return { status: res.status, json: (await res.json()) as Record<string, unknown> };
	}
	const imageMessage = JSON.stringify({ attachment: { type: 'image', payload: { is_reusable: true } } });

	describe('Attachment Upload API', () => {
		it('stores a multipart filedata upload byte for byte and exposes it through the control API', async () => {
			const data = Buffer.concat([
				Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
				randomBytes(50_000),
			]);
			const res = await upload({ message: imageMessage }, { fileName: 'photo.png', type: 'image/png', data });
			expect(res.status).toBe(200);
			const id = res.json.attachment_id as string;
			expect(id).toMatch(/^\d{17}$/);
			expect(sandbox.attachment(id)).toMatchObject({
				id,
				accountId: B.igUserId,
				type: 'image',
				isReusable: true,
				fileName: 'photo.png',
				contentType: 'image/png',
				size: data.length,
				sha256: sha256(data),
			});

			const control = await fetch(`${sandbox.url}/_sandbox/attachments/${id}`);
			const json = (await control.json()) as Record<string, unknown>;
			expect(json).toMatchObject({ id, size: data.length, sha256: sha256(data), contentType: 'image/png' });
			expect(Buffer.from(json.data as string, 'base64').equals(data)).toBe(true);
			const list = (await (await fetch(`${sandbox.url}/_sandbox/attachments`)).json()) as {
				data: Array<Record<string, unknown>>;
			};
			expect(list.data.map((a) => a.id)).toEqual([id]);
			expect(list.data[0]).not.toHaveProperty('bytes');
			// the request log keeps the text fields only, never the file
			const logged = sandbox.requests({ path: 'message_attachments$' });
			expect(logged[0]?.body).toEqual({
				message: { attachment: { type: 'image', payload: { is_reusable: true } } },
				platform: 'instagram',
			});
		});

		it('accepts the JSON URL form', async () => {
			const res = await graph(sandbox, 'POST', '/v23.0/me/message_attachments', {
				token: B.pageAccessToken,
				json: {
					platform: 'instagram',
					message: {
						attachment: {
							type: 'video',
							payload: { url: 'https://cdn.example.com/v.mp4', is_reusable: 'true' },
						},
					},
				},
			});
			expect(res.status).toBe(200);
			expect(sandbox.attachment(res.json.attachment_id as string)).toMatchObject({
				type: 'video',
				url: 'https://cdn.example.com/v.mp4',
				isReusable: true,
			});
		});

		it('refuses what Meta refuses: wrong type, too large, non-ASCII names, missing file, missing platform on a Page', async () => {
			const cases: Array<[Awaited<ReturnType<typeof upload>>, RegExp]> = [
				[
					await upload(
						{ message: imageMessage },
						{ fileName: 'a.webp', type: 'image/webp', data: Buffer.from('x') },
					),
					/image\/webp is not supported/,
				],
				[
					await upload(
						{ message: imageMessage },
						{ fileName: 'a.png', type: 'image/png', data: Buffer.alloc(8 * 1024 * 1024 + 1) },
					),
					/too large: at most 8 MB/,
				],
				[
					await upload(
						{ message: imageMessage },
						{ fileName: 'föto.png', type: 'image/png', data: Buffer.from('x') },
					),
					/non-ASCII/,
				],
				[await upload({ message: imageMessage }), /filedata/],
				[
					await upload(
						{ message: imageMessage },
						{ fileName: 'a.png', type: 'image/png', data: Buffer.from('x') },
						B.pageAccessToken,
						`/v23.0/${B.pageId}/message_attachments`,
						false,
					),
					/platform must be instagram/,
				],
				[
					await upload(
						{ message: JSON.stringify({ attachment: { type: 'sticker' } }) },
						{ fileName: 'a.png', type: 'image/png', data: Buffer.from('x') },
					),
					/type\] must be one of/,
				],
			];
			for (const [res, message] of cases) {
				expect(res.status).toBe(400);
				expect((res.json.error as { message: string; code: number }).message).toMatch(message);
				expect((res.json.error as { code: number }).code).toBe(100);
			}
			expect(sandbox.attachments()).toEqual([]);
		});

		it('Instagram Login: no upload edge on graph.instagram.com (Meta documents it for the Page only)', async () => {
			const res = await upload(
				{ message: imageMessage },
				{ fileName: 'a.png', type: 'image/png', data: Buffer.from('x') },
				A.accessToken,
				'/v23.0/me/message_attachments',
				false,
			);
			expect(res.status).toBe(400);
			expect(res.json.error).toMatchObject({
				code: 2500,
				message: 'Unknown path components: /message_attachments',
			});
			expect(sandbox.attachments()).toEqual([]);
		});

		it('accepts a Page upload with platform=instagram', async () => {
			const res = await upload(
				{
					message: JSON.stringify({ attachment: { type: 'file', payload: { is_reusable: true } } }),
					platform: 'instagram',
				},
				{ fileName: 'terms.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4') },
				B.pageAccessToken,
				`/v23.0/${B.pageId}/message_attachments`,
			);
			expect(res.status).toBe(200);
			expect(sandbox.attachment(res.json.attachment_id as string)?.accountId).toBe(B.igUserId);
		});
	});

	describe('message replies', () => {
		it('quotes a message of the conversation (Instagram Login too, since Sep 2026); an unknown mid is refused', async () => {
			const ok = await sendA({
				recipient: { id: CUSTOMER },
				message: { text: 'Yes!' },
				reply_to: { mid: 'm_customer_1' },
			});
			expect(ok.status).toBe(200);
			const bad = await sendA({
				recipient: { id: CUSTOMER },
				message: { text: 'Yes!' },
				reply_to: { mid: 'm_nowhere' },
			});
			expect(errorOf(bad).message).toMatch(/reply_to\[mid\] must be a message of the conversation/);
		});
	});

	describe('media, stickers and shares', () => {
		it('sends an uploaded attachment by id and records it; GET /{mid} shows its CDN url', async () => {
			const up = await upload(
				{ message: imageMessage },
				{ fileName: 'p.png', type: 'image/png', data: Buffer.from([1, 2, 3]) },
			);
			const id = up.json.attachment_id as string;
			const res = await messageB({ attachment: { type: 'image', payload: { attachment_id: id } } });
			expect(res.status).toBe(200);
			const [record] = sandbox.sent();
			expect(record?.attachments).toEqual([{ type: 'image', payload: { attachment_id: id } }]);
			const got = await graph(
				sandbox,
				'GET',
				`/v23.0/${res.json.message_id as string}?fields=id,attachments`,
				{ token: B.pageAccessToken },
			);
			expect(got.status).toBe(200);
			expect(JSON.stringify(got.json.attachments)).toContain(`asset_id=${id}`);
		});

		it('uploaded video, audio and files go by id only as MEDIA_SHARE (the form Meta documents)', async () => {
			const up = await upload(
				{ message: JSON.stringify({ attachment: { type: 'file', payload: { is_reusable: true } } }) },
				{ fileName: 'terms.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4') },
			);
			const id = up.json.attachment_id as string;
			const asFile = await messageB({ attachment: { type: 'file', payload: { attachment_id: id } } });
			expect(errorOf(asFile).message).toMatch(/only supported for image attachments/);
			const shared = await messageB({ attachment: { type: 'MEDIA_SHARE', payload: { attachment_id: id } } });
			expect(shared.status).toBe(200);
			const got = await graph(
				sandbox,
				'GET',
				`/v23.0/${shared.json.message_id as string}?fields=id,attachments`,
				{
					token: B.pageAccessToken,
				},
			);
			expect(JSON.stringify(got.json.attachments)).toContain('file_url');
		});

		it('expires an attachment id 90 days after its upload, as Meta does', async () => {
			const up = await upload(
				{ message: imageMessage },
				{ fileName: 'p.png', type: 'image/png', data: Buffer.from([1, 2, 3]) },
			);
			const id = up.json.attachment_id as string;
			const send = async () => {
				// The customer writes again, so that only the attachment's age can refuse the send.
				await sandbox.customerSays({ text: 'still there?', account: 'facebookPage', deliver: false });
				return await messageB({ attachment: { type: 'image', payload: { attachment_id: id } } });
			};
			sandbox.clock.advance(90 * 24 * 3_600_000 - 60_000);
			expect((await send()).status).toBe(200);
			sandbox.clock.advance(60_000);
			const expired = await send();
			expect(expired.status).toBe(400);
			expect(errorOf(expired).message).toMatch(/has expired: attachment IDs expire after 90 days/);
		});

		it('refuses an attachment id that was never uploaded (or belongs to another account)', async () => {
			const res = await message({
				attachment: { type: 'image', payload: { attachment_id: '1850000000000999' } },
			});
			expect(res.status).toBe(400);
			expect(errorOf(res).message).toMatch(/Attachment 1850000000000999 does not exist/);
		});

		it('sends up to 10 images through attachments and refuses 11, non-images and mixed forms', async () => {
			const image = (i: number) => ({ type: 'image', payload: { url: `https://cdn.example.com/${i}.jpg` } });
			expect((await message({ attachments: Array.from({ length: 10 }, (_, i) => image(i)) })).status).toBe(
				200,
			);
			expect(sandbox.sent()[0]?.attachments).toHaveLength(10);
			const refusals: Array<[unknown, RegExp]> = [
				[{ attachments: Array.from({ length: 11 }, (_, i) => image(i)) }, /at most 10/],
				[
					{ attachments: [image(1), { type: 'video', payload: { url: 'https://cdn.example.com/v.mp4' } }] },
					/only images/,
				],
				[{ attachment: image(1), attachments: [image(2)] }, /either attachment or attachments/],
				[{ text: 'hi', attachment: image(1) }, /either text or an attachment/],
				[{ attachment: { type: 'image', payload: {} } }, /url or attachment_id/],
				[{ attachment: { type: 'image', payload: { url: 'not a url' } } }, /valid URL/],
				[{ attachment: { type: 'gif' } }, /type\] must be one of/],
			];
			for (const [m, error] of refusals) {
				const res = await message(m);
				expect(res.status).toBe(400);
				expect(errorOf(res).message).toMatch(error);
			}
			expect(sandbox.sent()).toHaveLength(1);
		});

		it('accepts the heart sticker', async () => {
			expect((await message({ attachment: { type: 'like_heart' } })).status).toBe(200);
		});

		it('shares only a post of the account', async () => {
			const post = sandbox.addMedia({ caption: 'New drop' });
			const ok = await message({ attachment: { type: 'MEDIA_SHARE', payload: { id: post.id } } });
			expect(ok.status).toBe(200);
			const got = await graph(sandbox, 'GET', `/v23.0/${ok.json.message_id as string}?fields=shares`, {
				token: A.accessToken,
			});
			expect(JSON.stringify(got.json.shares)).toContain(`asset_id=${post.id}`);
			const other = sandbox.addMedia({ account: 'facebookPage' });
			const refused = await message({ attachment: { type: 'MEDIA_SHARE', payload: { id: other.id } } });
			expect(refused.status).toBe(400);
			expect(errorOf(refused).message).toMatch(/not owned by this account/);
			expect((await message({ attachment: { type: 'MEDIA_SHARE', payload: {} } })).status).toBe(400);
		});
	});

	describe('quick replies and templates', () => {
		const reply = (i: number) => ({ content_type: 'text', title: `Option ${i}`, payload: `P${i}` });

		it('accepts 13 quick replies and refuses 14, no text, or a reply without payload', async () => {
			expect(
				(await message({ text: 'Pick', quick_replies: Array.from({ length: 13 }, (_, i) => reply(i)) }))
					.status,
			).toBe(200);
			const refusals: Array<[unknown, RegExp]> = [
				[{ text: 'Pick', quick_replies: Array.from({ length: 14 }, (_, i) => reply(i)) }, /at most 13/],
				[{ attachment: { type: 'like_heart' }, quick_replies: [reply(1)] }, /text\] is required/],
				[{ text: 'Pick', quick_replies: [{ content_type: 'text', title: 'A' }] }, /payload\] is required/],
				[
					{ text: 'Pick', quick_replies: [{ content_type: 'location', title: 'A', payload: 'A' }] },
					/content_type/,
				],
			];
			for (const [m, error] of refusals) {
				const res = await message(m);
				expect(res.status).toBe(400);
				expect(errorOf(res).message).toMatch(error);
			}
		});

		const template = (payload: unknown) => ({ attachment: { type: 'template', payload } });
		const button = { type: 'postback', title: 'Buy', payload: 'BUY' };

		it('validates generic templates like Meta', async () => {
			const element = { title: 'Tee', subtitle: '$24', buttons: [button] };
			expect((await message(template({ template_type: 'generic', elements: [element] }))).status).toBe(200);
			const refusals: Array<[unknown, RegExp]> = [
				[
					{ template_type: 'generic', elements: [{ title: 'Only title' }] },
					/at least one property besides title/,
				],
				[{ template_type: 'generic', elements: Array.from({ length: 11 }, () => element) }, /at most 10/],
				[
					{ template_type: 'generic', elements: [{ title: 't'.repeat(81), subtitle: 's' }] },
					/title\] must be at most 80/,
				],
				[
					{ template_type: 'generic', elements: [{ title: 'T', subtitle: 's'.repeat(81) }] },
					/subtitle\] must be at most 80/,
				],
				[
					{ template_type: 'generic', elements: [{ title: 'T', buttons: [button, button, button, button] }] },
					/at most 3/,
				],
				[
					{
						template_type: 'generic',
						elements: [{ title: 'T', buttons: [{ type: 'phone_number', title: 'Call', payload: '+1' }] }],
					},
					/type\] must be one of/,
				],
				[
					{
						template_type: 'generic',
						elements: [{ title: 'T', buttons: [{ type: 'web_url', title: 'Open' }] }],
					},
					/url\] must be a valid URL/,
				],
				[{ template_type: 'receipt' }, /template_type/],
			];
			for (const [payload, error] of refusals) {
				const res = await message(template(payload));
				expect(res.status).toBe(400);
				expect(errorOf(res).message).toMatch(error);
			}
		});

		it('validates button templates like Meta', async () => {
			expect(
				(await message(template({ template_type: 'button', text: 'Help?', buttons: [button] }))).status,
			).toBe(200);
			for (const [payload, error] of [
				[{ template_type: 'button', text: 'Help?', buttons: [] }, /at least 1/],
				[{ template_type: 'button', buttons: [button] }, /text\] is required/],
				[{ template_type: 'button', text: 'x'.repeat(641), buttons: [button] }, /at most 640/],
			] as Array<[unknown, RegExp]>) {
				const res = await message(template(payload));
				expect(res.status).toBe(400);
				expect(errorOf(res).message).toMatch(error);
			}
		});
	});

	describe('sender actions and reactions', () => {
		it('accepts typing_on alone and refuses it with anything else', async () => {
			expect((await sendA({ recipient: { id: CUSTOMER }, sender_action: 'typing_on' })).status).toBe(200);
			const res = await sendA({
				recipient: { id: CUSTOMER },
				sender_action: 'mark_seen',
				messaging_type: 'RESPONSE',
			});
			expect(res.status).toBe(400);
			expect(errorOf(res).message).toMatch(/sent alone: remove messaging_type/);
			expect(sandbox.sent().map((r) => r.senderAction)).toEqual(['typing_on']);
		});

		it('reacts to a message of the conversation, replaces and removes the reaction', async () => {
			const react = (reaction: string) =>
				sendA({
					recipient: { id: CUSTOMER },
					sender_action: 'react',
					payload: { message_id: 'm_customer_1', reaction },
				});
			const first = await react('love');
			expect(first.status).toBe(200);
			expect(first.json).toEqual({ recipient_id: CUSTOMER });
			await react('🔥');
			const reactionsOf = () =>
				sandbox.conversation(CUSTOMER)?.messages.find((m) => m.mid === 'm_customer_1')?.reactions;
			expect(reactionsOf()).toEqual([{ userId: A.igUserId, reaction: '🔥' }]);
			const un = await sendA({
				recipient: { id: CUSTOMER },
				sender_action: 'unreact',
				payload: { message_id: 'm_customer_1' },
			});
			expect(un.status).toBe(200);
			expect(reactionsOf()).toEqual([]);
			expect(sandbox.sent().map((r) => [r.kind, r.senderAction, r.messageId])).toEqual([
				['senderAction', 'react', undefined],
				['senderAction', 'react', undefined],
				['senderAction', 'unreact', undefined],
			]);
		});

		it('refuses a reaction to a message that is not in the conversation', async () => {
			const res = await sendA({
				recipient: { id: CUSTOMER },
				sender_action: 'react',
				payload: { message_id: 'm_nope', reaction: 'love' },
			});
			expect(res.status).toBe(400);
			expect(errorOf(res).message).toMatch(/not a message of the conversation/);
		});
	});

	describe('private replies', () => {
		const COMMENTER = '3333333333333333';
		const privateReply = (commentId: string, text = 'Here is the link') =>
			sendA({ recipient: { comment_id: commentId }, message: { text } });

		it('answers a comment once, to its author, without opening the window', async () => {
			const comment = sandbox.addComment({ text: 'Price?', from: COMMENTER, fromUsername: 'commenter' });
			const res = await privateReply(comment.id);
			expect(res.status).toBe(200);
			expect(res.json.recipient_id).toBe(COMMENTER);
			const [record] = sandbox.sent({ recipientId: COMMENTER });
			expect(record).toMatchObject({
				recipientId: COMMENTER,
				commentId: comment.id,
				kind: 'message',
				text: 'Here is the link',
			});
			expect(record?.messageId).toBe(res.json.message_id);
			expect(sandbox.comment(comment.id)?.privateReply?.messageId).toBe(res.json.message_id);

			const again = await privateReply(comment.id, 'Again');
			expect(again.status).toBe(400);
			expect(errorOf(again)).toMatchObject({ code: 10, error_subcode: 2534025 });
			expect(sandbox.rejected().map((r) => r.error.error_subcode)).toEqual([2534025]);

			// the private reply did not open the 24 h window for a normal message
			const normal = await sendA({ recipient: { id: COMMENTER }, message: { text: 'Hi' } });
			expect(normal.status).toBe(403);
			expect(errorOf(normal)).toMatchObject({ code: 10, error_subcode: 2534022 });
		});

		it('refuses comments older than 7 days, unknown comments and comments on another account', async () => {
			const old = sandbox.addComment({ text: 'Old', at: sandbox.now() - 7 * DAY_MS - 1000 });
			const tooOld = await privateReply(old.id);
			expect(tooOld.status).toBe(400);
			expect(errorOf(tooOld)).toMatchObject({ code: 10, error_subcode: 2534025 });
			expect(errorOf(tooOld).message).toMatch(/7 days/);

			const almost = sandbox.addComment({ text: 'Recent', at: sandbox.now() - 7 * DAY_MS + 60_000 });
			expect((await privateReply(almost.id)).status).toBe(200);

			expect(errorOf(await privateReply('18000000000000404')).message).toMatch(/Invalid comment_id/);
			const elsewhere = sandbox.addComment({ text: 'Hi', account: 'facebookPage' });
			expect(errorOf(await privateReply(elsewhere.id)).message).toMatch(/Invalid comment_id/);
		});

		it('can be set up through the control API', async () => {
			const res = await fetch(`${sandbox.url}/_sandbox/comments`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({
					text: 'Link please',
					id: '18000000000000777',
					from: COMMENTER,
					agoMs: DAY_MS,
				}),
			});
			expect(res.status).toBe(200);
			const created = (await res.json()) as Record<string, unknown>;
			expect(created).toMatchObject({
				id: '18000000000000777',
				from: COMMENTER,
				text: 'Link please',
				accountId: A.igUserId,
			});
			expect((await privateReply('18000000000000777')).status).toBe(200);
			const list = (await (await fetch(`${sandbox.url}/_sandbox/comments`)).json()) as {
				data: Array<Record<string, unknown>>;
			};
			expect(list.data[0]?.privateReply).toBeDefined();
		});
	});
});
