import { createHash, randomBytes } from 'crypto';
import nock from 'nock';

import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import * as rateLimit from '../../../nodes/InstagramMessaging/transport/rateLimit';
import {
	actionNode,
	CUSTOMER,
	GRAPH as INSTAGRAM_GRAPH,
	instagramLoginCredentials,
	runWorkflow,
} from '../harness';
import { facebookPageCredentials, GRAPH_FB as GRAPH, PAGE_TOKEN as TOKEN } from './conversationHelpers';
import { bodyBytes, inbound, parseMultipart } from './messageHelpers';

const messages = `/${GRAPH_API_VERSION}/me/messages`;
const uploads = `/${GRAPH_API_VERSION}/me/message_attachments`;

/** A PNG-looking file: the PNG signature (not valid UTF-8) followed by random bytes. */
function pngBytes(size = 2048): Buffer {
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		randomBytes(size - 8),
	]);
}

function withBinary(bytes: Buffer, mimeType = 'image/png', fileName = 'photo.png', property = 'data') {
	const item = inbound();
	item.binary = { [property]: { data: bytes.toString('base64'), mimeType, fileName } };
	return item;
}

/**
 * Send Media with the Facebook Page credential: Meta documents its attachment upload for that
 * setup only. The disclosure rule (send.ts) has its own tests; here every body is exactly the operation's.
 */
function sendMedia(parameters: Record<string, unknown> = {}, extra = {}) {
	return actionNode(
		{
			authentication: 'facebookPageApi',
			resource: 'message',
			operation: 'sendMedia',
			recipientId: CUSTOMER,
			discloseAutomation: false,
			...parameters,
		},
		{ credentials: { facebookPageApi: { id: '2', name: 'Page' } }, ...extra },
	);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('Message → Send Media with Instagram Login', () => {
	const igNode = (parameters: Record<string, unknown>) =>
		actionNode({
			resource: 'message',
			operation: 'sendMedia',
			recipientId: CUSTOMER,
			discloseAutomation: false,
			...parameters,
		});

	it('sends by URL on graph.instagram.com', async () => {
		const scope = nock(INSTAGRAM_GRAPH)
			.post(messages, {
				recipient: { id: CUSTOMER },
				message: { attachment: { type: 'image', payload: { url: 'https://example.com/a.png' } } },
				messaging_type: 'RESPONSE',
			})
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_ig' });
		const { output } = await runWorkflow({
			nodes: [igNode({ mediaType: 'image', source: 'url', url: 'https://example.com/a.png' })],
			credentials: instagramLoginCredentials,
			input: [inbound()],
		});
		expect(output('Instagram Messaging')[0].json.messageId).toBe('m_ig');
		expect(scope.isDone()).toBe(true);
	});

	it.each([
		['a binary file', { source: 'binary', binaryPropertyName: 'data' }, 'Sending a binary file'],
		[
			'an attachment ID',
			{ source: 'attachmentId', attachmentId: '1850000000000001' },
			'Sending by attachment ID',
		],
	])(
		'refuses %s before calling Meta: the upload API exists only for the Page setup',
		async (_n, parameters, what) => {
			const { error } = await runWorkflow({
				nodes: [igNode({ mediaType: 'image', ...parameters })],
				credentials: instagramLoginCredentials,
				input: [withBinary(pngBytes())],
			});
			const failure = error('Instagram Messaging') as Error & { description?: string };
			expect(failure.message).toBe(
				`${what} is not available with Instagram API with Instagram Login (graph.instagram.com)`,
			);
			expect(failure.description).toContain('Facebook Page');
			expect(nock.pendingMocks()).toEqual([]);
		},
	);
});

describe('Message → Send Media', () => {
	it('sends an image by URL', async () => {
		const scope = nock(GRAPH)
			.post(messages, {
				recipient: { id: CUSTOMER },
				message: { attachment: { type: 'image', payload: { url: 'https://cdn.example.com/a.jpg' } } },
				messaging_type: 'RESPONSE',
			})
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_img' });
		const { output } = await runWorkflow({
			nodes: [sendMedia({ mediaType: 'image', source: 'url', url: 'https://cdn.example.com/a.jpg' })],
			credentials: facebookPageCredentials,
			input: [inbound()],
		});
		expect(output('Instagram Messaging')).toEqual([
			{
				json: { recipientId: CUSTOMER, messageId: 'm_img', writtenBy: 'bot', tag: null },
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('sends an uploaded video by attachment ID as MEDIA_SHARE (the form Meta documents for uploaded media)', async () => {
		const scope = nock(GRAPH)
			.post(messages, {
				recipient: { id: CUSTOMER },
				message: { attachment: { type: 'MEDIA_SHARE', payload: { attachment_id: '1850000000000001' } } },
				messaging_type: 'RESPONSE',
			})
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_vid' });
		const { output } = await runWorkflow({
			nodes: [sendMedia({ mediaType: 'video', source: 'attachmentId', attachmentId: '1850000000000001' })],
			credentials: facebookPageCredentials,
			input: [inbound()],
		});
		expect(output('Instagram Messaging')[0].json.messageId).toBe('m_vid');
		expect(scope.isDone()).toBe(true);
	});

	it('uploads a binary image as multipart filedata with the exact bytes, then sends its attachment ID', async () => {
		const bytes = pngBytes(4096);
		let upload: { contentType: string; raw: Buffer; auth: string } | undefined;
		const uploadScope = nock(GRAPH)
			.post(uploads)
			.reply(function (_uri, body) {
				upload = {
					contentType: String(this.req.headers['content-type']),
					raw: bodyBytes(body),
					auth: String(this.req.headers.authorization),
				};
				return [200, { attachment_id: '1850000000000042' }];
			});
		const sendScope = nock(GRAPH)
			.post(messages, {
				recipient: { id: CUSTOMER },
				message: { attachment: { type: 'image', payload: { attachment_id: '1850000000000042' } } },
				messaging_type: 'RESPONSE',
			})
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_up' });

		const { output } = await runWorkflow({
			nodes: [sendMedia({ mediaType: 'image', source: 'binary', binaryPropertyName: 'data' })],
			credentials: facebookPageCredentials,
			input: [withBinary(bytes)],
		});

		expect(uploadScope.isDone() && sendScope.isDone()).toBe(true);
		expect(upload?.auth).toBe(`Bearer ${TOKEN}`);
		expect(upload?.contentType).toMatch(/^multipart\/form-data; boundary=/);
		const parts = parseMultipart(upload?.raw ?? Buffer.alloc(0), upload?.contentType ?? '');
		expect(parts.map((p) => p.name)).toEqual(['message', 'platform', 'filedata']);
		expect(JSON.parse(parts[0].data.toString('utf8'))).toEqual({
			attachment: { type: 'image', payload: { is_reusable: true } },
		});
		expect(parts[2].fileName).toBe('photo.png');
		expect(parts[2].contentType).toBe('image/png');
		expect(parts[2].data.length).toBe(bytes.length);
		expect(sha256(parts[2].data)).toBe(sha256(bytes));
		expect(output('Instagram Messaging')[0].json).toEqual({
			recipientId: CUSTOMER,
			messageId: 'm_up',
			writtenBy: 'bot',
			tag: null,
			attachmentIds: ['1850000000000042'],
		});
	});

	it('adds platform=instagram to uploads through a Facebook Page', async () => {
		const pageGraph = 'https://graph.facebook.com';
		let parts: ReturnType<typeof parseMultipart> = [];
		nock(pageGraph)
			.post(uploads)
			.reply(function (_uri, body) {
				parts = parseMultipart(bodyBytes(body), String(this.req.headers['content-type']));
				return [200, { attachment_id: '1850000000000043' }];
			});
		const send = nock(pageGraph)
			.post(messages, (b) => b.message?.attachment?.payload?.attachment_id === '1850000000000043')
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_fb' });
		const bytes = Buffer.from('%PDF-1.4 test document');
		const item = inbound();
		item.binary = {
			doc: { data: bytes.toString('base64'), mimeType: 'application/pdf', fileName: 'Ordre-är.pdf' },
		};
		await runWorkflow({
			nodes: [
				actionNode(
					{
						authentication: 'facebookPageApi',
						resource: 'message',
						operation: 'sendMedia',
						recipientId: CUSTOMER,
						mediaType: 'file',
						source: 'binary',
						binaryPropertyName: 'doc',
					},
					{ credentials: { facebookPageApi: { id: '2', name: 'Page' } } },
				),
			],
			credentials: {
				facebookPageApi: { accessToken: 'EAAB-unit-page-token' },
			},
			input: [item],
		});
		expect(send.isDone()).toBe(true);
		expect(parts.map((p) => p.name)).toEqual(['message', 'platform', 'filedata']);
		expect(parts[1].data.toString()).toBe('instagram');
		expect(parts[2].fileName).toBe('Ordre-_r.pdf');
		expect(parts[2].contentType).toBe('application/pdf');
		expect(parts[2].data.equals(bytes)).toBe(true);
	});

	it('sends several images as one message through the plural attachments array', async () => {
		const bytes = pngBytes(512);
		const upload = nock(GRAPH).post(uploads).reply(200, { attachment_id: '1850000000000044' });
		const send = nock(GRAPH)
			.post(messages, {
				recipient: { id: CUSTOMER },
				message: {
					attachments: [
						{ type: 'image', payload: { url: 'https://cdn.example.com/1.jpg' } },
						{ type: 'image', payload: { attachment_id: '1850000000000001' } },
						{ type: 'image', payload: { attachment_id: '1850000000000044' } },
					],
				},
				messaging_type: 'RESPONSE',
			})
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_many' });
		const { output } = await runWorkflow({
			nodes: [
				sendMedia({
					mediaType: 'images',
					images: {
						image: [
							{ source: 'url', url: 'https://cdn.example.com/1.jpg' },
							{ source: 'attachmentId', attachmentId: '1850000000000001' },
							{ source: 'binary', binaryPropertyName: 'data' },
						],
					},
				}),
			],
			credentials: facebookPageCredentials,
			input: [withBinary(bytes)],
		});
		expect(upload.isDone() && send.isDone()).toBe(true);
		expect(output('Instagram Messaging')[0].json.attachmentIds).toEqual(['1850000000000044']);
	});

	it('counts audio and video (upload and send) against the 10/s audio-video cap, images against the send cap', async () => {
		const taken = () => ({
			audioVideo: rateLimit.slotsTaken('sendAudioVideo'),
			send: rateLimit.slotsTaken('send'),
		});
		nock(GRAPH).post(uploads).reply(200, { attachment_id: '1850000000000046' });
		nock(GRAPH).post(messages).times(2).reply(200, { recipient_id: CUSTOMER, message_id: 'm_av' });
		let before = taken();
		await runWorkflow({
			nodes: [sendMedia({ mediaType: 'video', source: 'binary', binaryPropertyName: 'data' })],
			credentials: facebookPageCredentials,
			input: [withBinary(Buffer.from('....ftypmp42 video'), 'video/mp4', 'clip.mp4')],
		});
		expect(taken()).toEqual({ audioVideo: before.audioVideo + 2, send: before.send });
		before = taken();
		await runWorkflow({
			nodes: [sendMedia({ mediaType: 'image', source: 'url', url: 'https://cdn.example.com/a.jpg' })],
			credentials: facebookPageCredentials,
			input: [inbound()],
		});
		expect(taken()).toEqual({ audioVideo: before.audioVideo, send: before.send + 1 });
	});

	it('refuses 11 images before calling Meta', async () => {
		const image = Array.from({ length: 11 }, (_, i) => ({
			source: 'url',
			url: `https://cdn.example.com/${i}.jpg`,
		}));
		const { error } = await runWorkflow({
			nodes: [sendMedia({ mediaType: 'images', images: { image } })],
			credentials: facebookPageCredentials,
			input: [inbound()],
		});
		expect(error('Instagram Messaging')?.message).toBe('Images: 11 given, Instagram accepts at most 10');
	});

	it('refuses a file of the wrong type or too large before uploading anything', async () => {
		const wrongType = await runWorkflow({
			nodes: [sendMedia({ mediaType: 'image', source: 'binary', binaryPropertyName: 'data' })],
			credentials: facebookPageCredentials,
			input: [withBinary(Buffer.from('RIFF....WEBP'), 'image/webp', 'photo.webp')],
		});
		expect(wrongType.error('Instagram Messaging')?.message).toBe(
			'Instagram does not accept "photo.webp" (image/webp) as image',
		);

		const tooBig = await runWorkflow({
			nodes: [sendMedia({ mediaType: 'image', source: 'binary', binaryPropertyName: 'data' })],
			credentials: facebookPageCredentials,
			input: [withBinary(pngBytes(8 * 1024 * 1024 + 1))],
		});
		expect(tooBig.error('Instagram Messaging')?.message).toBe(
			'"photo.png" is 8.0 MB, Instagram accepts at most 8 MB for image',
		);

		const missing = await runWorkflow({
			nodes: [sendMedia({ mediaType: 'audio', source: 'binary', binaryPropertyName: 'voice' })],
			credentials: facebookPageCredentials,
			input: [inbound()],
		});
		expect(missing.error('Instagram Messaging')?.message).toMatch(/voice/);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('accepts an octet-stream binary by its file extension', async () => {
		const upload = nock(GRAPH)
			.post(uploads, (b) => bodyBytes(b).includes('Content-Type: audio/mp4'))
			.reply(200, { attachment_id: '1850000000000045' });
		const send = nock(GRAPH)
			.post(messages, (b) => b.message?.attachment?.type === 'MEDIA_SHARE')
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_audio' });
		await runWorkflow({
			nodes: [sendMedia({ mediaType: 'audio', source: 'binary', binaryPropertyName: 'data' })],
			credentials: facebookPageCredentials,
			input: [withBinary(Buffer.from('....ftypM4A voice'), 'application/octet-stream', 'voice.m4a')],
		});
		expect(upload.isDone() && send.isDone()).toBe(true);
	});

	it('refuses a URL that is not a web address, and checks the window before uploading', async () => {
		const badUrl = await runWorkflow({
			nodes: [sendMedia({ mediaType: 'image', source: 'url', url: 'cdn.example.com/a.jpg' })],
			credentials: facebookPageCredentials,
			input: [inbound()],
		});
		expect(badUrl.error('Instagram Messaging')?.message).toBe(
			'URL "cdn.example.com/a.jpg" is not a web address',
		);

		const item = withBinary(pngBytes(256));
		item.json.timestampMs = Date.now() - 25 * 3_600_000;
		const late = await runWorkflow({
			nodes: [sendMedia({ mediaType: 'image', source: 'binary', binaryPropertyName: 'data' })],
			credentials: facebookPageCredentials,
			input: [item],
		});
		expect(late.error('Instagram Messaging')?.message).toMatch(/^Outside the 24-hour messaging window/);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('does not retry an upload after a bare 502: Meta may have stored the file', async () => {
		const scope = nock(GRAPH).post(uploads).reply(502, 'Bad Gateway');
		const { error } = await runWorkflow({
			nodes: [sendMedia({ mediaType: 'image', source: 'binary', binaryPropertyName: 'data' })],
			credentials: facebookPageCredentials,
			input: [withBinary(pngBytes(256))],
		});
		expect(error('Instagram Messaging')?.message).toBe(
			'The file may have been uploaded (nothing was sent to the customer) — Meta answered HTTP 502 without an error description',
		);
		expect(scope.isDone()).toBe(true);
	});

	it('Continue On Fail: one good and one bad item, each paired', async () => {
		nock(GRAPH).post(messages).reply(200, { recipient_id: CUSTOMER, message_id: 'm_ok' });
		const { output } = await runWorkflow({
			nodes: [
				sendMedia(
					{ mediaType: 'file', source: 'url', url: '={{ $json.url }}' },
					{ onError: 'continueRegularOutput' },
				),
			],
			credentials: facebookPageCredentials,
			input: [
				inbound(60_000, CUSTOMER, { url: 'https://cdn.example.com/terms.pdf' }),
				inbound(60_000, CUSTOMER, { url: 'not a url' }),
			],
		});
		const items = output('Instagram Messaging');
		expect(items).toHaveLength(2);
		expect(items[0]).toEqual({
			json: { recipientId: CUSTOMER, messageId: 'm_ok', writtenBy: 'bot', tag: null },
			pairedItem: { item: 0 },
		});
		expect(items[1]).toEqual({
			json: expect.objectContaining({ error: 'URL "not a url" is not a web address' }),
			pairedItem: { item: 1 },
		});
	});
});
