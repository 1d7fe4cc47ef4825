import { HOUR_MS, MetaSandbox, SANDBOX_DEFAULTS } from '../../../sandbox';
import { sendRateClass } from '../../../sandbox/graph/sendRateLimit';
import { SendRateLimiter } from '../../../sandbox/state/sendRateLimiter';
import { errorOf, graph } from './helpers';

const A = SANDBOX_DEFAULTS.instagram;
const B = SANDBOX_DEFAULTS.facebookPage;
const CUSTOMER = SANDBOX_DEFAULTS.customer.id;

const text = (n: number) => ({
	recipient: { id: CUSTOMER },
	messaging_type: 'RESPONSE',
	message: { text: `#${n}` },
});
const video = (n: number) => ({
	recipient: { id: CUSTOMER },
	message: { attachment: { type: 'video', payload: { url: `https://cdn.example.com/${n}.mp4` } } },
});
const audio = (n: number) => ({
	recipient: { id: CUSTOMER },
	message: { attachment: { type: 'audio', payload: { url: `https://cdn.example.com/${n}.mp3` } } },
});

describe('sandbox Graph: Send API rate limits per account (§7.4)', () => {
	let sandbox: MetaSandbox;

	beforeAll(async () => {
		sandbox = await MetaSandbox.start();
	});
	afterAll(async () => {
		await sandbox.stop();
	});
	beforeEach(async () => {
		sandbox.reset();
		sandbox.state.setSendRateLimit({});
		for (const account of ['instagram', 'facebookPage'] as const) {
			await sandbox.customerSays({ text: 'hello', account, at: sandbox.now() - HOUR_MS, deliver: false });
		}
	});

	const sendA = (body: unknown) =>
		graph(sandbox, 'POST', '/v23.0/me/messages', { token: A.accessToken, json: body });
	const sendB = (body: unknown) =>
		graph(sandbox, 'POST', `/v23.0/${B.pageId}/messages`, { token: B.pageAccessToken, json: body });

	it("is on by default at Meta's numbers: 300/s text, 10/s audio or video", () => {
		expect(sandbox.state.sendRateLimit).toEqual({ text: 300, audioVideo: 10 });
	});

	it('at the default 10/s, the 11th video within a second gets 613; rejected, never sent', async () => {
		expect((await sendA(text(0))).status).toBe(200); // warm connection
		// ten videos within this instant (a refill takes 100 ms, far more than one loopback request)
		for (let i = 0; i < 10; i++) expect(sandbox.state.takeSendCall(A.igUserId, 'audioVideo')).toBe(true);
		const refused = await sendA(video(2));
		expect(refused.status).toBe(400);
		expect(errorOf(refused)).toMatchObject({
			code: 613,
			type: 'OAuthException',
			message: '(#613) Calls to this api have exceeded the rate limit.',
		});

		expect(sandbox.sent().map((r) => r.text)).toEqual(['#0']);
		const rejected = sandbox.rejected();
		expect(rejected.map((r) => [r.status, r.error.code, r.recipientId, r.accountId, r.fault])).toEqual([
			[400, 613, CUSTOMER, A.igUserId, undefined],
		]);
		expect(rejected[0]?.body).toEqual(video(2));
		// nothing of the refused send reached the conversation
		expect(sandbox.conversation(CUSTOMER)?.messages.filter((m) => m.direction === 'outbound')).toHaveLength(
			1,
		);
	});

	it("default buckets hold one second of Meta's caps: 300 texts, 10 audio/video", () => {
		const t0 = 5_000_000;
		const texts = Array.from({ length: 301 }, () => sandbox.state.takeSendCall('acc', 'text', t0));
		expect(texts.filter(Boolean)).toHaveLength(300);
		expect(texts[300]).toBe(false);
		const videos = Array.from({ length: 11 }, () => sandbox.state.takeSendCall('acc', 'audioVideo', t0));
		expect(videos.filter(Boolean)).toHaveLength(10);
		expect(videos[10]).toBe(false);
		// refill: 100 ms later one more video, 10 ms later three more texts
		expect(sandbox.state.takeSendCall('acc', 'audioVideo', t0 + 100)).toBe(true);
		expect(sandbox.state.takeSendCall('acc', 'audioVideo', t0 + 100)).toBe(false);
		expect([1, 2, 3, 4].map(() => sandbox.state.takeSendCall('acc', 'text', t0 + 10))).toEqual([
			true,
			true,
			true,
			false,
		]);
	});

	it('audio counts with video; text has its own budget; each account has its own', async () => {
		sandbox.state.setSendRateLimit({ audioVideo: 2 });
		expect((await sendA(video(0))).status).toBe(200);
		expect((await sendA(audio(0))).status).toBe(200);
		expect(errorOf(await sendA(audio(1)))).toMatchObject({ code: 613 });
		// text (also reactions and sender actions) is untouched by the audio/video burst
		expect((await sendA(text(0))).status).toBe(200);
		expect((await sendA({ recipient: { id: CUSTOMER }, sender_action: 'typing_on' })).status).toBe(200);
		// another account still has its full audio/video budget
		expect((await sendB(video(0))).status).toBe(200);
		expect((await sendB(video(1))).status).toBe(200);
		expect(sandbox.sent()).toHaveLength(6);
		expect(sandbox.rejected()).toHaveLength(1);
	});

	it('limits text at the configured rate and accepts again once the bucket refilled', async () => {
		sandbox.state.setSendRateLimit({ text: 2 });
		expect(sandbox.state.sendRateLimit).toEqual({ text: 2, audioVideo: 10 });
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await sendA(text(i))).status);
		expect(statuses).toEqual([200, 200, 400, 400]);
		expect(sandbox.sent().map((r) => r.text)).toEqual(['#0', '#1']);
		expect(sandbox.rejected().map((r) => [r.error.code, r.body.message])).toEqual([
			[613, { text: '#2' }],
			[613, { text: '#3' }],
		]);
		await new Promise((resolve) => setTimeout(resolve, 600));
		expect((await sendA(text(7))).status).toBe(200);
	});

	it('counts a refused call before validation and the window (Meta throttles first)', async () => {
		sandbox.state.setSendRateLimit({ text: 1 });
		expect((await sendA(text(0))).status).toBe(200);
		// invalid body, but throttled first
		expect(errorOf(await sendA({ recipient: { id: CUSTOMER } }))).toMatchObject({ code: 613 });
	});

	it('does not count private replies (their own limits)', async () => {
		sandbox.state.setSendRateLimit({ text: 1 });
		expect((await sendA(text(0))).status).toBe(200);
		const comment = sandbox.addComment({ text: 'price?' });
		const reply = await sendA({ recipient: { comment_id: comment.id }, message: { text: 'DM sent' } });
		expect(reply.status).toBe(200);
	});

	it('private replies: 750 per rolling hour per account (Meta, Mar 23 2026), then throttled', async () => {
		const reply = (i: number) => {
			const comment = sandbox.addComment({ text: `price ${i}?` });
			return sendA({ recipient: { comment_id: comment.id }, message: { text: 'DM sent' } });
		};
		for (let i = 0; i < 750; i++) expect((await reply(i)).status).toBe(200);
		expect(errorOf(await reply(750))).toMatchObject({ code: 613 });
		sandbox.clock.advance(3_600_000);
		expect((await reply(751)).status).toBe(200);
	}, 60_000);

	it('can be turned off, per class or entirely, at start or later', async () => {
		sandbox.state.setSendRateLimit({ audioVideo: null });
		for (let i = 0; i < 15; i++) expect((await sendA(video(i))).status).toBe(200);
		sandbox.state.setSendRateLimit(null);
		expect(sandbox.state.sendRateLimit).toBeNull();
		const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => sendA(text(i))));
		expect(burst.filter((r) => r.status !== 200)).toEqual([]);
		expect(sandbox.rejected()).toEqual([]);

		const unlimited = await MetaSandbox.start({ sendRateLimit: null });
		const tight = await MetaSandbox.start({ sendRateLimit: { audioVideo: 2 } });
		try {
			expect(unlimited.state.sendRateLimit).toBeNull();
			expect(tight.state.sendRateLimit).toEqual({ text: 300, audioVideo: 2 });
		} finally {
			await unlimited.stop();
			await tight.stop();
		}
	});

	it('a concurrent burst of texts beyond one second of budget: the excess is refused, nothing twice', async () => {
		sandbox.state.setSendRateLimit({ text: 3 });
		const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => sendA(text(i))));
		const ok = burst.filter((r) => r.status === 200).length;
		// The bucket refills at 3/s while the burst is served, so one more may pass.
		expect(ok).toBeGreaterThanOrEqual(3);
		expect(ok).toBeLessThanOrEqual(4);
		expect(sandbox.sent()).toHaveLength(ok);
		expect(sandbox.rejected()).toHaveLength(12 - ok);
		expect(sandbox.rejected().every((r) => r.error.code === 613)).toBe(true);
		const sentTexts = new Set(sandbox.sent().map((r) => r.text));
		expect(
			sandbox.rejected().filter((r) => sentTexts.has((r.body.message as { text: string }).text)),
		).toEqual([]);
	});
});

describe('SendRateLimiter', () => {
	it('never refuses calls spaced at the cap; one second of burst at most', () => {
		const limiter = new SendRateLimiter({ text: 300 });
		const t0 = 1_000_000;
		// 3,000 calls evenly spaced at 300/s
		const spaced = Array.from({ length: 3000 }, (_, i) => limiter.take('acc', 'text', t0 + (i * 1000) / 300));
		expect(spaced.every(Boolean)).toBe(true);

		const fresh = new SendRateLimiter();
		const burst = Array.from({ length: 301 }, () => fresh.take('acc', 'text', t0));
		expect(burst.filter(Boolean)).toHaveLength(300);
		expect(fresh.take('acc', 'text', t0 + 4)).toBe(true); // 4 ms refill 1.2 calls
		expect(fresh.take('acc', 'text', t0 + 4)).toBe(false);
	});

	it('classifies audio and video attachments, everything else as text', () => {
		expect(sendRateClass(video(1))).toBe('audioVideo');
		expect(sendRateClass(audio(1))).toBe('audioVideo');
		expect(sendRateClass(text(1))).toBe('text');
		expect(
			sendRateClass({
				recipient: { id: '1' },
				message: { attachment: { type: 'image', payload: { url: 'x' } } },
			}),
		).toBe('text');
		expect(
			sendRateClass({
				recipient: { id: '1' },
				sender_action: 'react',
				payload: { message_id: 'm', reaction: 'love' },
			}),
		).toBe('text');
		expect(sendRateClass({ recipient: { id: '1' }, message: { attachment: { type: 'like_heart' } } })).toBe(
			'text',
		);
	});
});
