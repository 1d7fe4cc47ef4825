import { parseWebhookPayload } from '../../../nodes/InstagramMessaging/events';
import { DAY_MS, MetaSandbox, SANDBOX_DEFAULTS } from '../../../sandbox';
import { CaptureServer, errorOf, graph } from './helpers';

const A = SANDBOX_DEFAULTS.instagram;
const B = SANDBOX_DEFAULTS.facebookPage;
const CUSTOMER = SANDBOX_DEFAULTS.customer.id;

describe('sandbox: where conversations start (comments, stories, ads, links)', () => {
	let sandbox: MetaSandbox;
	let receiver: CaptureServer;

	beforeAll(async () => {
		receiver = await CaptureServer.start();
		sandbox = await MetaSandbox.start();
	});
	afterAll(async () => {
		await sandbox.stop();
		await receiver.stop();
	});
	beforeEach(() => {
		sandbox.reset();
		receiver.requests.length = 0;
		sandbox.setWebhook({ callbackUrl: receiver.url, verifyToken: receiver.verifyToken });
		sandbox.setWebhook({ callbackUrl: receiver.url, verifyToken: receiver.verifyToken }, 'facebookPage');
	});

	/** The events of the last delivery, read by the trigger's own parser. */
	function lastEvents() {
		const raw = receiver.requests[receiver.requests.length - 1]?.raw.toString('utf8') ?? '{}';
		return parseWebhookPayload(JSON.parse(raw) as unknown, { now: sandbox.now() }).events;
	}

	const asA = (method: string, path: string) => graph(sandbox, method, path, { token: A.accessToken });
	const asB = (method: string, path: string) => graph(sandbox, method, path, { token: B.pageAccessToken });
	const sendText = (text: string) =>
		graph(sandbox, 'POST', '/v23.0/me/messages', {
			token: A.accessToken,
			json: { recipient: { id: CUSTOMER }, message: { text } },
		});

	it('a comment arrives as a signed `comments` change the trigger reads as a comment entry', async () => {
		const reel = sandbox.addMedia({ caption: 'Spring guide', productType: 'REELS' });
		const { comment, delivery } = await sandbox.customerEnters({
			via: 'comment',
			text: 'GUIDE',
			mediaId: reel.id,
		});
		expect(delivery.status).toBe(200);
		const [event] = lastEvents();
		expect(event).toMatchObject({
			eventType: 'comment',
			customerId: CUSTOMER,
			text: 'GUIDE',
			entryPoint: { type: 'comment', mediaId: reel.id, commentId: comment?.id, mediaProductType: 'REELS' },
		});
	});

	it('public replies: in the thread, a reply to a reply goes to the top-level comment, hidden and Live refused', async () => {
		const post = sandbox.addMedia({ caption: 'Post' });
		const { comment } = await sandbox.customerEnters({ via: 'comment', text: 'price?', mediaId: post.id });
		const id = comment?.id ?? '';
		const first = await asA('POST', `/v23.0/${id}/replies?message=${encodeURIComponent('Sent you a DM')}`);
		expect(first.status).toBe(200);
		const nested = await asA('POST', `/v23.0/${String(first.json.id)}/replies?message=again`);
		expect(nested.status).toBe(200);
		const list = await asA('GET', `/v23.0/${post.id}/comments?fields=id,text,replies{text,username}`);
		expect(list.json.data).toEqual([
			{
				id,
				text: 'price?',
				replies: {
					data: [
						{ id: first.json.id, text: 'Sent you a DM', username: A.username },
						{ id: nested.json.id, text: 'again', username: A.username },
					],
				},
			},
		]);
		expect((await asA('POST', `/v23.0/${id}?hide=true`)).json).toEqual({ success: true });
		const refused = await asA('POST', `/v23.0/${id}/replies?message=hi`);
		expect(errorOf(refused)).toMatchObject({ code: 100, message: '(#100) Cannot reply to a hidden comment' });
		// The account's own comments always stay visible (IG Comment reference).
		await asA('POST', `/v23.0/${String(first.json.id)}?hide=true`);
		expect((await asA('GET', `/v23.0/${String(first.json.id)}?fields=hidden`)).json.hidden).toBe(false);
		const live = await sandbox.customerEnters({ via: 'liveComment', text: 'hello live' });
		expect(lastEvents()[0].eventType).toBe('live_comment');
		const liveReply = await asA('POST', `/v23.0/${live.comment?.id ?? ''}/replies?message=hi`);
		expect(errorOf(liveReply).message).toMatch(/live video/);
		expect(errorOf(await asA('POST', `/v23.0/${live.comment?.id ?? ''}?hide=true`)).message).toMatch(
			/live video/,
		);
	});

	it('delete removes the comment (and its replies); a deleted comment cannot be found again', async () => {
		const { comment } = await sandbox.customerEnters({ via: 'comment', text: 'spam' });
		const id = comment?.id ?? '';
		expect((await asB('DELETE', `/v23.0/${id}`)).status).toBe(400); // another account's comment
		expect((await asA('DELETE', `/v23.0/${id}`)).json).toEqual({ success: true });
		expect(errorOf(await asA('GET', `/v23.0/${id}?fields=id`))).toMatchObject({
			code: 100,
			error_subcode: 33,
		});
		expect(errorOf(await asA('POST', `/v23.0/${id}/replies?message=x`))).toMatchObject({ code: 100 });
	});

	it('lists posts and reels newest first without stories; stories only through a Page, for 24 hours', async () => {
		const old = sandbox.addMedia({ caption: 'old', at: sandbox.now() - 2 * DAY_MS });
		const reel = sandbox.addMedia({ caption: 'new reel', productType: 'REELS' });
		sandbox.addMedia({ caption: 'story', productType: 'STORY' });
		const media = await asA('GET', '/v23.0/me/media?fields=id,caption,media_product_type,permalink');
		expect((media.json.data as Array<Record<string, unknown>>).map((m) => m.id)).toEqual([reel.id, old.id]);
		expect((media.json.data as Array<Record<string, unknown>>)[0]).toMatchObject({
			media_product_type: 'REELS',
			permalink: expect.stringContaining('/reel/'),
		});
		expect(errorOf(await asA('GET', '/v23.0/me/stories')).message).toMatch(/Unknown path/);
		const storyOnB = sandbox.addMedia({ account: 'facebookPage', caption: 'B story', productType: 'STORY' });
		const stories = await asB('GET', `/v23.0/${B.igUserId}/stories?fields=id,caption`);
		expect(stories.json.data).toEqual([{ id: storyOnB.id, caption: 'B story' }]);
		sandbox.clock.advance(DAY_MS + 1);
		expect((await asB('GET', `/v23.0/${B.igUserId}/stories`)).json.data).toEqual([]);
	});

	it('the first message after a Click-to-Direct ad: ADS referral, and bot replies for up to 7 days', async () => {
		await sandbox.customerEnters({
			via: 'ad',
			text: 'Is this in stock?',
			adId: '120200000000000007',
			ref: 'spring',
		});
		const [event] = lastEvents();
		expect(event.referral).toMatchObject({
			source: 'ADS',
			type: 'OPEN_THREAD',
			adId: '120200000000000007',
			ref: 'spring',
		});
		expect(event.entryPoint?.type).toBe('ad');
		sandbox.clock.advance(3 * DAY_MS);
		expect((await sendText('Still interested?')).status).toBe(200);
		sandbox.clock.advance(4 * DAY_MS + 1);
		expect(errorOf(await sendText('Hello?'))).toMatchObject({ code: 10, error_subcode: 2534022 });
	});

	it('an ig.me link: a referral inside the first message; in an existing thread a referral event that reopens 24 hours', async () => {
		await sandbox.customerEnters({ via: 'link', ref: 'bio_link', text: 'Hi' });
		expect(lastEvents()[0]).toMatchObject({
			eventType: 'message',
			entryPoint: { type: 'link', ref: 'bio_link' },
		});
		sandbox.clock.advance(2 * DAY_MS);
		expect(errorOf(await sendText('late'))).toMatchObject({ error_subcode: 2534022 });
		await sandbox.customerEnters({ via: 'link', ref: 'qr_store' });
		expect(lastEvents()[0]).toMatchObject({
			eventType: 'referral',
			entryPoint: { type: 'link', ref: 'qr_store' },
		});
		expect((await sendText('Welcome back')).status).toBe(200);
	});

	it('a story reply names the story; a story mention carries its media URL; both open the window', async () => {
		await sandbox.customerEnters({ via: 'storyReply', text: 'Love this!' });
		const [reply] = lastEvents();
		expect(reply.entryPoint).toMatchObject({ type: 'story_reply', storyId: expect.stringMatching(/^\d+$/) });
		await sandbox.customerEnters({ via: 'storyMention', from: '2222222222222222' });
		const [mention] = lastEvents();
		expect(mention).toMatchObject({ messageKind: 'story_mention', entryPoint: { type: 'story_mention' } });
		expect(mention.entryPoint?.storyUrl).toMatch(/^https:\/\/lookaside\.fbsbx\.com\//);
		expect((await sendText('Thanks for the reply!')).status).toBe(200);
	});

	it('refuses an entry that needs text without one', async () => {
		await expect(sandbox.customerEnters({ via: 'comment' })).rejects.toThrow('text is required for comment');
	});
});
