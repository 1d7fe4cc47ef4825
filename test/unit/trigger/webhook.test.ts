import { createHmac } from 'crypto';

import {
	asFreshProcess,
	type FakeRequest,
	APP_SECRET,
	ACCOUNT,
	CUSTOMER,
	callWebhook,
	instagramLoginCredentials,
	triggerNode,
} from '../harness';
import { messageEnvelope, RECENT_MS } from './helpers';

function sign(raw: Buffer, secret = APP_SECRET): string {
	return 'sha256=' + createHmac('sha256', secret).update(raw).digest('hex');
}

function textEnvelope(text: string, mid = 'mid.1') {
	return messageEnvelope({ mid, text });
}

function post(body: unknown, raw: Buffer, signature?: string): FakeRequest {
	const headers: Record<string, string> = signature === undefined ? {} : { 'X-Hub-Signature-256': signature };
	return { method: 'POST', body, rawBody: raw, headers };
}

describe('Instagram Messaging Trigger webhook', () => {
	beforeEach(() => asFreshProcess());

	describe('GET verification handshake', () => {
		it("refuses the examples' placeholder verify token even when it matches", async () => {
			const placeholder = 'change-me-to-a-long-random-string';
			const { sent } = await callWebhook({
				node: triggerNode({ verifyToken: placeholder }),
				webhookName: 'setup',
				request: {
					method: 'GET',
					query: { 'hub.mode': 'subscribe', 'hub.verify_token': placeholder, 'hub.challenge': '1' },
				},
				credentials: instagramLoginCredentials,
			});
			expect(sent.status).toBe(403);
		});

		it('echoes the challenge for the right verify token', async () => {
			const { sent, result } = await callWebhook({
				node: triggerNode(),
				webhookName: 'setup',
				request: {
					method: 'GET',
					query: {
						'hub.mode': 'subscribe',
						'hub.verify_token': 'unit-verify-token',
						'hub.challenge': '1158201444',
					},
				},
				credentials: instagramLoginCredentials,
			});
			expect(sent).toEqual({ status: 200, body: '1158201444', ended: true });
			expect(result).toEqual({ noWebhookResponse: true });
		});

		it.each([
			['a wrong token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' }],
			[
				'a wrong mode',
				{ 'hub.mode': 'unsubscribe', 'hub.verify_token': 'unit-verify-token', 'hub.challenge': '1' },
			],
			['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
		])('answers 403 to %s', async (_name, query) => {
			const { sent } = await callWebhook({
				node: triggerNode(),
				webhookName: 'setup',
				request: { method: 'GET', query },
				credentials: instagramLoginCredentials,
			});
			expect(sent.status).toBe(403);
			expect(sent.body).not.toBe('1');
		});
	});

	describe('POST events', () => {
		it('emits one typed item per inbound message after checking the signature over the raw bytes', async () => {
			const body = textEnvelope('Hi, is this still available? ünïcödé');
			// Pretty-printed bytes: re-serialising the parsed body would not reproduce this signature.
			const raw = Buffer.from(JSON.stringify(body, null, 2));
			const { sent, result, answeredBy, emitted } = await callWebhook({
				node: triggerNode(),
				webhookName: 'default',
				request: post(body, raw, sign(raw)),
				credentials: instagramLoginCredentials,
			});
			// n8n answers once it saved the execution that holds the event, not the node before.
			expect(sent).toEqual({ status: 200, ended: true });
			expect(answeredBy).toBe('n8n');
			expect(result.noWebhookResponse).toBeUndefined();
			const items = emitted;
			expect(items).toHaveLength(1);
			expect(items[0].json).toMatchObject({
				eventType: 'message',
				accountId: ACCOUNT,
				senderId: CUSTOMER,
				recipientId: ACCOUNT,
				customerId: CUSTOMER,
				mid: 'mid.1',
				text: 'Hi, is this still available? ünïcödé',
				timestamp: new Date(RECENT_MS).toISOString(),
				timestampMs: RECENT_MS,
				isEcho: false,
			});
			expect(items[0].json).not.toHaveProperty('raw');
		});

		it.each([
			['no signature', undefined],
			['a forged signature', 'sha256=' + 'ab'.repeat(32)],
			['a signature made with another secret', 'wrong-secret'],
			['a sha1 signature', 'sha1=0123456789abcdef0123456789abcdef01234567'],
			['garbage', 'not a signature'],
		])('answers 403 and starts nothing for %s', async (_name, signature) => {
			const body = textEnvelope('hello');
			const raw = Buffer.from(JSON.stringify(body));
			const header = signature === 'wrong-secret' ? sign(raw, 'another-secret') : signature;
			const logs: string[] = [];
			const { sent, result } = await callWebhook({
				node: triggerNode(),
				webhookName: 'default',
				request: post(body, raw, header),
				credentials: instagramLoginCredentials,
				logs,
			});
			expect(sent.status).toBe(403);
			expect(result.workflowData).toBeUndefined();
			expect(logs.join('\n')).toMatch(/X-Hub-Signature-256/);
			expect(logs.join('\n')).not.toContain(APP_SECRET);
		});

		it('answers 403 when the body was tampered with after signing', async () => {
			const body = textEnvelope('pay 10 EUR');
			const raw = Buffer.from(JSON.stringify(body));
			const signature = sign(raw);
			const tampered = Buffer.from(raw.toString().replace('10 EUR', '99 EUR'));
			const { sent, result } = await callWebhook({
				node: triggerNode(),
				webhookName: 'default',
				request: post(JSON.parse(tampered.toString()), tampered, signature),
				credentials: instagramLoginCredentials,
			});
			expect(sent.status).toBe(403);
			expect(result.workflowData).toBeUndefined();
		});

		it('refuses everything when the credential has no app secret to check with', async () => {
			const body = textEnvelope('hello');
			const raw = Buffer.from(JSON.stringify(body));
			const { sent } = await callWebhook({
				node: triggerNode(),
				webhookName: 'default',
				request: post(body, raw, sign(raw, '')),
				credentials: { instagramLoginApi: { accessToken: 't', appSecret: '' } },
			});
			expect(sent.status).toBe(403);
		});

		it('answers 200 and starts nothing when no event matches "Trigger On"', async () => {
			const body = {
				object: 'instagram',
				entry: [
					{
						id: ACCOUNT,
						time: 1,
						messaging: [
							{
								sender: { id: CUSTOMER },
								recipient: { id: ACCOUNT },
								timestamp: RECENT_MS + 3000,
								read: { mid: 'mid.1' },
							},
						],
					},
				],
			};
			const raw = Buffer.from(JSON.stringify(body));
			const { sent, result } = await callWebhook({
				node: triggerNode(),
				webhookName: 'default',
				request: post(body, raw, sign(raw)),
				credentials: instagramLoginCredentials,
			});
			expect(sent.status).toBe(200);
			expect(result).toEqual({ noWebhookResponse: true });
		});

		it('keeps the raw event only when asked', async () => {
			const body = textEnvelope('hello');
			const raw = Buffer.from(JSON.stringify(body));
			const { emitted } = await callWebhook({
				node: triggerNode({ options: { includeRaw: true } }),
				webhookName: 'default',
				request: post(body, raw, sign(raw)),
				credentials: instagramLoginCredentials,
			});
			expect(emitted[0].json.raw).toEqual(body.entry[0].messaging[0]);
		});
	});
});

describe('signing secrets kept between webhooks', () => {
	beforeEach(() => asFreshProcess());
	it('accepts a signature made with a rotated secret at once', async () => {
		const body = textEnvelope('after rotation', 'mid.rotation');
		const raw = Buffer.from(JSON.stringify(body));
		await callWebhook({
			node: triggerNode(),
			webhookName: 'default',
			request: post(body, raw, sign(raw)),
			credentials: instagramLoginCredentials,
		});
		const rotated = { instagramLoginApi: { accessToken: 't', appSecret: 'rotated-secret' } };
		const { sent } = await callWebhook({
			node: triggerNode(),
			webhookName: 'default',
			request: post(body, raw, sign(raw, 'rotated-secret')),
			credentials: rotated,
		});
		expect(sent.status).toBe(200);
	});
});

describe('forged requests are cheap and quiet', () => {
	beforeEach(() => asFreshProcess());
	const body = textEnvelope('forged', 'mid.forged');
	const raw = Buffer.from(JSON.stringify(body));

	it.each([
		['no header', undefined],
		['sha1', 'sha1=0123456789abcdef0123456789abcdef01234567'],
		['too short', 'sha256=abcdef'],
		['not hex', 'sha256=' + 'zz'.repeat(32)],
		['huge', 'sha256=' + 'a'.repeat(100_000)],
	])('a malformed signature header (%s): 403 before any credential read', async (_name, signature) => {
		const reads = { count: 0 };
		const { sent, result } = await callWebhook({
			node: triggerNode(),
			webhookName: 'default',
			request: post(body, raw, signature),
			credentials: instagramLoginCredentials,
			credentialReads: reads,
		});
		expect(sent.status).toBe(403);
		expect(result.workflowData).toBeUndefined();
		expect(reads.count).toBe(0);
	});

	it('1,000 well-formed forged requests: 403 each, credentials read at most twice, one warning', async () => {
		const reads = { count: 0 };
		const logs: string[] = [];
		// A valid delivery first, so that the secrets are kept.
		await callWebhook({
			node: triggerNode(),
			webhookName: 'default',
			request: post(body, raw, sign(raw)),
			credentials: instagramLoginCredentials,
			credentialReads: reads,
		});
		for (let i = 0; i < 1000; i++) {
			const { sent, result } = await callWebhook({
				node: triggerNode(),
				webhookName: 'default',
				request: post(body, raw, sign(raw, `forger-${i}`)),
				credentials: instagramLoginCredentials,
				credentialReads: reads,
				logs,
			});
			expect(sent.status).toBe(403);
			expect(result.workflowData).toBeUndefined();
		}
		expect(reads.count).toBeLessThanOrEqual(2);
		expect(logs.filter((l) => l.includes('refused a webhook'))).toHaveLength(1);
	});

	it('after a signature mismatch the credentials are read again at most every 5 s', async () => {
		const reads = { count: 0 };
		const start = Date.now() + 7_200_000;
		const clock = jest.spyOn(Date, 'now').mockReturnValue(start);
		try {
			const deliver = (signature: string) =>
				callWebhook({
					node: triggerNode(),
					webhookName: 'default',
					request: post(body, raw, signature),
					credentials: instagramLoginCredentials,
					credentialReads: reads,
				});
			expect((await deliver(sign(raw))).sent.status).toBe(200);
			expect(reads.count).toBe(1);
			expect((await deliver(sign(raw, 'rotated?'))).sent.status).toBe(403);
			expect(reads.count).toBe(2); // a mismatch may mean a rotated secret: read again at once
			clock.mockReturnValue(start + 4_999);
			expect((await deliver(sign(raw, 'rotated?'))).sent.status).toBe(403);
			expect(reads.count).toBe(2);
			clock.mockReturnValue(start + 5_000);
			expect((await deliver(sign(raw, 'rotated?'))).sent.status).toBe(403);
			expect(reads.count).toBe(3);
		} finally {
			clock.mockRestore();
		}
	});

	it('refused handshakes and refused deliveries share one warning per 10 s per node, counting the rest', async () => {
		const logs: string[] = [];
		const start = Date.now() + 3_600_000; // a window of its own, whatever earlier tests logged
		const clock = jest.spyOn(Date, 'now').mockReturnValue(start);
		try {
			const handshake = (query: Record<string, string>) =>
				callWebhook({ node: triggerNode(), webhookName: 'setup', request: { method: 'GET', query }, logs });
			for (let i = 0; i < 500; i++) {
				const { sent } = await handshake({
					'hub.mode': 'subscribe',
					'hub.verify_token': `guess-${i}`,
					'hub.challenge': '1',
				});
				expect(sent.status).toBe(403);
				const forged = await callWebhook({
					node: triggerNode(),
					webhookName: 'default',
					request: post(body, raw, 'sha256=' + 'zz'.repeat(32)),
					credentials: instagramLoginCredentials,
					logs,
				});
				expect(forged.sent.status).toBe(403);
			}
			expect(logs.filter((l) => l.includes('refused'))).toHaveLength(1);
			clock.mockReturnValue(start + 9_999);
			await handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'again', 'hub.challenge': '1' });
			expect(logs.filter((l) => l.includes('refused'))).toHaveLength(1);
			clock.mockReturnValue(start + 10_000);
			await handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'later', 'hub.challenge': '1' });
			const warnings = logs.filter((l) => l.includes('refused'));
			expect(warnings).toHaveLength(2);
			expect(warnings[1]).toContain('(and 1000 more refused since the last warning)');
			expect(logs.join('\n')).not.toContain('guess-');
		} finally {
			clock.mockRestore();
		}
	});

	it('kept secrets belong to one credential type: switching Authentication never accepts the old secret', async () => {
		const both = {
			...instagramLoginCredentials,
			facebookPageApi: { accessToken: 'page-token', pageId: '100000000000001', appSecret: 'page-secret' },
		};
		const credentials = {
			instagramLoginApi: { id: '1', name: 'Instagram' },
			facebookPageApi: { id: '2', name: 'Page' },
		};
		const asInstagram = { ...triggerNode(), credentials };
		const asPage = { ...triggerNode({ authentication: 'facebookPageApi' }), credentials };
		const first = await callWebhook({
			node: asInstagram,
			webhookName: 'default',
			request: post(body, raw, sign(raw)),
			credentials: both,
		});
		expect(first.sent.status).toBe(200);
		const switched = await callWebhook({
			node: asPage,
			webhookName: 'default',
			request: post(body, raw, sign(raw)),
			credentials: both,
		});
		expect(switched.sent.status).toBe(403);
		const right = await callWebhook({
			node: asPage,
			webhookName: 'default',
			request: post(body, raw, sign(raw, 'page-secret')),
			credentials: both,
		});
		expect(right.sent.status).toBe(200);
	});
});
