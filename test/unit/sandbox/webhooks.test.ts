import { createHmac } from 'crypto';

import {
	MID_PREFIX,
	MetaSandbox,
	SANDBOX_DEFAULTS,
	attachmentMessageEvent,
	buildEnvelope,
	echoEvent,
	envelopeFor,
	metaJson,
	postbackEvent,
	reactionEvent,
	seenEvent,
	signBody,
	textMessageEvent,
} from '../../../sandbox';
import { onlySubscribed } from '../../../sandbox/webhooks/fields';
import { CaptureServer, graph } from './helpers';

const A = SANDBOX_DEFAULTS.instagram;
const B = SANDBOX_DEFAULTS.facebookPage;
const CUSTOMER = SANDBOX_DEFAULTS.customer.id;

const hmac = (raw: Buffer | string, secret: string): string =>
	'sha256=' + createHmac('sha256', secret).update(raw).digest('hex');

describe('signBody / metaJson (pure)', () => {
	it('signBody is sha256=<lowercase hex HMAC> of the exact bytes', () => {
		const body = '{"object":"instagram","entry":[]}';
		expect(signBody(body, 'secret')).toBe(hmac(body, 'secret'));
		expect(signBody(Buffer.from(body), 'secret')).toMatch(/^sha256=[0-9a-f]{64}$/);
		expect(signBody(body + ' ', 'secret')).not.toBe(signBody(body, 'secret'));
	});

	it('metaJson escapes non-ASCII as \\uXXXX (surrogate pairs for emoji) and slashes, and still parses back', () => {
		const value = { text: 'Grüße 😀 ✓', url: 'https://cdn.example.com/a' };
		const json = metaJson(value);
		expect(json).toBe(
			'{"text":"Gr\\u00fc\\u00dfe \\ud83d\\ude00 \\u2713","url":"https:\\/\\/cdn.example.com\\/a"}',
		);
		expect(/[^\x20-\x7e]/.test(json)).toBe(false);
		expect(JSON.parse(json)).toEqual(value);
		expect(JSON.stringify(JSON.parse(json))).not.toBe(json);
	});
});

describe('payload builders (§2.6/§2.7)', () => {
	it('textMessageEvent + buildEnvelope produce the documented shape exactly', () => {
		const event = textMessageEvent({
			accountId: A.igUserId,
			customerId: CUSTOMER,
			text: 'Hi',
			mid: 'm1',
			timestamp: 1760000000000,
		});
		expect(buildEnvelope([{ id: A.igUserId, time: 1760000000123, messaging: [event] }])).toEqual({
			object: 'instagram',
			entry: [
				{
					id: '17841400000000001',
					time: 1760000000123,
					messaging: [
						{
							sender: { id: CUSTOMER },
							recipient: { id: '17841400000000001' },
							timestamp: 1760000000000,
							message: { mid: 'm1', text: 'Hi' },
						},
					],
				},
			],
		});
		const generated = textMessageEvent({ accountId: A.igUserId, customerId: CUSTOMER, text: 'x' });
		expect(generated.message?.mid.startsWith(MID_PREFIX)).toBe(true);
	});

	it('echo reverses sender and recipient; other shapes carry their event key', () => {
		const base = { accountId: A.igUserId, customerId: CUSTOMER, timestamp: 5 };
		expect(echoEvent({ ...base, mid: 'm2', text: 'ok' })).toEqual({
			sender: { id: A.igUserId },
			recipient: { id: CUSTOMER },
			timestamp: 5,
			message: { mid: 'm2', text: 'ok', is_echo: true },
		});
		expect(reactionEvent({ ...base, mid: 'm2' }).reaction).toEqual({
			mid: 'm2',
			action: 'react',
			reaction: 'love',
			emoji: '\u2764\ufe0f',
		});
		expect(reactionEvent({ ...base, mid: 'm2', action: 'unreact' }).reaction).toEqual({
			mid: 'm2',
			action: 'unreact',
		});
		expect(postbackEvent({ ...base, title: 'Where?', payload: 'WHERE', mid: 'm3' }).postback).toEqual({
			mid: 'm3',
			title: 'Where?',
			payload: 'WHERE',
		});
		expect(seenEvent({ ...base, mid: 'm2' }).read).toEqual({ mid: 'm2' });
		const att = attachmentMessageEvent({
			...base,
			attachments: [{ type: 'image', payload: { url: 'https://x/y.jpg' } }],
		});
		expect(att.message?.attachments).toEqual([{ type: 'image', payload: { url: 'https://x/y.jpg' } }]);
		expect(att.sender).toEqual({ id: CUSTOMER });
	});
});

describe('MetaSandbox webhook sender (real HTTP)', () => {
	let sandbox: MetaSandbox;
	let receiver: CaptureServer;

	beforeAll(async () => {
		receiver = await CaptureServer.start();
		sandbox = await MetaSandbox.start({ webhook: { callbackUrl: 'http://127.0.0.1:9/unused' } });
	});
	afterAll(async () => {
		await sandbox.stop();
		await receiver.stop();
	});
	beforeEach(() => {
		sandbox.reset();
		receiver.requests.length = 0;
		receiver.postStatus = 200;
		sandbox.setWebhook({ callbackUrl: receiver.url, verifyToken: receiver.verifyToken });
	});

	it('signs the exact received bytes (non-ASCII payload) with the Instagram app secret, Meta headers', async () => {
		const payload = envelopeFor(A.igUserId, [
			textMessageEvent({
				accountId: A.igUserId,
				customerId: CUSTOMER,
				text: 'Grüße aus Köln 😀 — https://x.y/z',
			}),
		]);
		const delivery = await sandbox.deliver(payload);
		expect(delivery.status).toBe(200);
		expect(delivery.body).toBe('EVENT_RECEIVED');
		const [req] = await receiver.waitFor(1);
		expect(req?.method).toBe('POST');
		const raw = req?.raw ?? Buffer.alloc(0);
		expect(req?.headers['content-type']).toBe('application/json');
		expect(req?.headers['user-agent']).toBe('facebookexternalua');
		expect(req?.headers['x-hub-signature-256']).toBe(hmac(raw, 'sandbox-instagram-app-secret'));
		expect(req?.headers['x-hub-signature']).toBe(
			'sha1=' + createHmac('sha1', A.instagramAppSecret).update(raw).digest('hex'),
		);
		// Meta-style escaping reached the wire; the body is pure ASCII and parses back to the payload
		const text = raw.toString('utf8');
		expect(text).toContain('Gr\\u00fc\\u00dfe aus K\\u00f6ln \\ud83d\\ude00 \\u2014 https:\\/\\/x.y\\/z');
		expect(raw.every((b) => b < 0x80)).toBe(true);
		expect(JSON.parse(text)).toEqual(payload);
		// re-serializing the parsed JSON yields a different signature: receivers must hash raw bytes
		expect(hmac(JSON.stringify(JSON.parse(text)), A.instagramAppSecret)).not.toBe(
			req?.headers['x-hub-signature-256'],
		);
		expect(sandbox.deliveries()).toMatchObject([
			{ kind: 'event', method: 'POST', url: receiver.url, signature: 'valid', status: 200, body: text },
		]);
	});

	it('flavour B payloads are signed with the Meta app secret', async () => {
		await sandbox.deliver(
			envelopeFor(B.igUserId, [
				textMessageEvent({ accountId: B.igUserId, customerId: CUSTOMER, text: 'hi' }),
			]),
		);
		const [req] = await receiver.waitFor(1);
		expect(req?.headers['x-hub-signature-256']).toBe(hmac(req?.raw ?? '', B.metaAppSecret));
		expect(req?.headers['x-hub-signature-256']).not.toBe(hmac(req?.raw ?? '', A.instagramAppSecret));
	});

	it('a string payload is sent byte-for-byte; explicit secret and extra headers are honoured', async () => {
		const body = '{\n  "object": "instagram",\n  "entry": []\n}';
		await sandbox.deliver(body, { secret: 'custom-secret', headers: { 'X-Extra': '1' } });
		const [req] = await receiver.waitFor(1);
		expect(req?.raw.toString('utf8')).toBe(body);
		expect(req?.headers['x-hub-signature-256']).toBe(hmac(body, 'custom-secret'));
		expect(req?.headers['x-extra']).toBe('1');
	});

	describe('signature modes', () => {
		const payload = envelopeFor(
			A.igUserId,
			[
				textMessageEvent({
					accountId: A.igUserId,
					customerId: CUSTOMER,
					text: 'café',
					mid: 'mid-1',
					timestamp: 1,
				}),
			],
			2,
		);
		const sentBytes = metaJson(payload);

		it('none: no signature headers', async () => {
			await sandbox.deliver(payload, { signature: 'none' });
			const [req] = await receiver.waitFor(1);
			expect(req?.headers['x-hub-signature-256']).toBeUndefined();
			expect(req?.headers['x-hub-signature']).toBeUndefined();
			expect(req?.raw.toString()).toBe(sentBytes);
		});

		it('forged: well-formed but not the HMAC', async () => {
			await sandbox.deliver(payload, { signature: 'forged' });
			const [req] = await receiver.waitFor(1);
			const sig = req?.headers['x-hub-signature-256'];
			expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
			expect(sig).not.toBe(hmac(req?.raw ?? '', A.instagramAppSecret));
		});

		it('wrongSecret: a real HMAC over the bytes, but with another secret', async () => {
			await sandbox.deliver(payload, { signature: 'wrongSecret' });
			const [req] = await receiver.waitFor(1);
			const sig = req?.headers['x-hub-signature-256'];
			expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
			expect(sig).not.toBe(hmac(req?.raw ?? '', A.instagramAppSecret));
			expect(req?.raw.toString()).toBe(sentBytes);
		});

		it('tampered: signature of the original bytes, body altered by one byte', async () => {
			await sandbox.deliver(payload, { signature: 'tampered' });
			const [req] = await receiver.waitFor(1);
			const raw = req?.raw ?? Buffer.alloc(0);
			expect(req?.headers['x-hub-signature-256']).toBe(hmac(sentBytes, A.instagramAppSecret));
			expect(req?.headers['x-hub-signature-256']).not.toBe(hmac(raw, A.instagramAppSecret));
			const original = Buffer.from(sentBytes);
			expect(raw.length).toBe(original.length);
			expect(raw.filter((b, i) => b !== original[i]).length).toBe(1);
		});
	});

	it('customerSays: records the inbound (opening the window), delivers §2.7.1, returns event + delivery', async () => {
		const result = await sandbox.customerSays({ text: 'Hi, is this still available?' });
		expect(result.delivery?.status).toBe(200);
		const [req] = await receiver.waitFor(1);
		const received: unknown = JSON.parse(req?.raw.toString('utf8') ?? '');
		expect(received).toEqual(result.payload);
		expect(result.payload).toEqual({
			object: 'instagram',
			entry: [
				{
					id: A.igUserId,
					time: expect.any(Number),
					messaging: [
						{
							sender: { id: CUSTOMER },
							recipient: { id: A.igUserId },
							timestamp: expect.any(Number),
							message: {
								mid: expect.stringMatching(new RegExp('^' + MID_PREFIX)),
								text: 'Hi, is this still available?',
							},
						},
					],
				},
			],
		});
		expect(result.event.timestamp).toBeLessThanOrEqual(sandbox.now());
		expect(sandbox.conversation()?.lastInboundAt).toBe(result.event.timestamp);
		const send = await graph(sandbox, 'POST', '/v23.0/me/messages', {
			token: A.accessToken,
			json: { recipient: { id: CUSTOMER }, message: { text: 'Yes!' } },
		});
		expect(send.status).toBe(200);
	});

	it('customerSays for flavour B, with a signature mode and an explicit past time', async () => {
		const at = sandbox.now() - 3 * 24 * 3600 * 1000;
		const result = await sandbox.customerSays({
			text: 'old',
			account: 'facebookPage',
			from: '2222',
			at,
			signature: 'forged',
		});
		const [req] = await receiver.waitFor(1);
		expect(result.event).toMatchObject({
			sender: { id: '2222' },
			recipient: { id: B.igUserId },
			timestamp: at,
		});
		expect(req?.headers['x-hub-signature-256']).not.toBe(hmac(req?.raw ?? '', B.metaAppSecret));
		expect(sandbox.conversation('2222', 'facebookPage')?.lastInboundAt).toBe(at);
	});

	it('customerSays with deliver:false posts nothing; without a callback it throws', async () => {
		await sandbox.customerSays({ text: 'quiet', deliver: false });
		expect(receiver.requests).toHaveLength(0);
		sandbox.clearWebhook();
		await expect(sandbox.customerSays({ text: 'x' })).rejects.toThrow(/no webhook callback/);
	});

	it('per-account callbacks override the default', async () => {
		const other = await CaptureServer.start();
		try {
			sandbox.setWebhook({ callbackUrl: other.url }, 'facebookPage');
			await sandbox.customerSays({ text: 'to B', account: 'facebookPage' });
			await sandbox.customerSays({ text: 'to A' });
			expect(other.requests).toHaveLength(1);
			expect(receiver.requests).toHaveLength(1);
		} finally {
			sandbox.clearWebhook('facebookPage');
			await other.stop();
		}
	});

	it('returns non-2xx answers as they are (for trigger tests that expect 401/403)', async () => {
		receiver.postStatus = 401;
		const r = await sandbox.deliver(buildEnvelope([]));
		expect(r.status).toBe(401);
	});

	it('verifyCallback performs the GET handshake', async () => {
		const good = await sandbox.verifyCallback(receiver.url, receiver.verifyToken);
		expect(good).toMatchObject({ status: 200, ok: true });
		expect(good.body).toBe(good.challenge);
		expect(good.challenge).toMatch(/^\d+$/);
		const [req] = await receiver.waitFor(1);
		const q = new URL(req?.url ?? '', 'http://x').searchParams;
		expect(q.get('hub.mode')).toBe('subscribe');
		expect(q.get('hub.verify_token')).toBe(receiver.verifyToken);
		expect(q.get('hub.challenge')).toBe(good.challenge);
		const bad = await sandbox.verifyCallback({ verifyToken: 'wrong' });
		expect(bad).toMatchObject({ status: 403, ok: false });
		const configured = await sandbox.verifyCallback();
		expect(configured.ok).toBe(true);
	});

	it('echoes: when enabled, each accepted send triggers a signed is_echo webhook', async () => {
		const echoing = await MetaSandbox.start({ echoes: true, webhook: { callbackUrl: receiver.url } });
		try {
			await echoing.customerSays({ text: 'hi' });
			const res = await graph(echoing, 'POST', '/v23.0/me/messages', {
				token: A.accessToken,
				json: { recipient: { id: CUSTOMER }, message: { text: 'echo me' } },
			});
			expect(res.status).toBe(200);
			await echoing.flush();
			const reqs = await receiver.waitFor(2);
			const echo = reqs[1];
			expect(echo?.headers['x-hub-signature-256']).toBe(hmac(echo?.raw ?? '', A.instagramAppSecret));
			const body = JSON.parse(echo?.raw.toString() ?? '') as {
				entry: Array<{ id: string; messaging: unknown[] }>;
			};
			expect(body.entry[0]?.id).toBe(A.igUserId);
			expect(body.entry[0]?.messaging[0]).toMatchObject({
				sender: { id: A.igUserId },
				recipient: { id: CUSTOMER },
				message: { mid: res.json.message_id, text: 'echo me', is_echo: true },
			});
			expect(echoing.deliveries().map((d) => d.kind)).toEqual(['event', 'echo']);
		} finally {
			await echoing.stop();
		}
	});

	it('echoes are off by default', async () => {
		await sandbox.customerSays({ text: 'hi' });
		await graph(sandbox, 'POST', '/v23.0/me/messages', {
			token: A.accessToken,
			json: { recipient: { id: CUSTOMER }, message: { text: 'no echo' } },
		});
		await sandbox.flush();
		await new Promise((r) => setTimeout(r, 50));
		expect(receiver.requests).toHaveLength(1);
	});
});

describe('edit events: delivered as Meta documents them', () => {
	const edit = (accountId: string) => ({
		object: 'instagram',
		entry: [
			{
				id: accountId,
				time: 1,
				messaging: [
					{
						sender: { id: CUSTOMER },
						recipient: { id: accountId },
						timestamp: 1,
						message_edit: { mid: 'm_1', text: 'edited', num_edit: 1 },
					},
				],
			},
		],
	});

	it('Instagram Login: with the messages field (Webhook Notification Examples, Nov 24 2025)', () => {
		expect(onlySubscribed(edit(A.igUserId), ['messages'], 'instagram')).toEqual(edit(A.igUserId));
	});

	it('through a Facebook Page: never (Meta documents no edit payload for that setup)', () => {
		expect(onlySubscribed(edit(B.igUserId), ['messages', 'standby'], 'facebookPage')).toBeUndefined();
	});
});
