import { HOUR_MS, MetaSandbox, SANDBOX_DEFAULTS } from '../../../sandbox';
import { conversationIdFor } from '../../../sandbox/state';
import { errorOf, graph } from './helpers';

const A = SANDBOX_DEFAULTS.instagram;
const B = SANDBOX_DEFAULTS.facebookPage;
const CUSTOMER = SANDBOX_DEFAULTS.customer.id;
const OTHER = '2222222222222222';

type Json = Record<string, unknown>;
const dataOf = (value: unknown) => ((value as Json).data ?? []) as Json[];

describe('sandbox Graph: Conversations API', () => {
	let sandbox: MetaSandbox;

	beforeAll(async () => {
		sandbox = await MetaSandbox.start({ conversationsRateLimit: null });
	});
	afterAll(async () => {
		await sandbox.stop();
	});
	beforeEach(() => {
		sandbox.reset();
		sandbox.state.setConversationsRateLimit(null);
		sandbox.clock.freeze();
	});

	const getA = (path: string) => graph(sandbox, 'GET', path, { token: A.accessToken });
	const getB = (path: string) => graph(sandbox, 'GET', path, { token: B.pageAccessToken });

	/** Customer writes at `at`, the business answers one second later through the Send API. */
	async function exchange(
		from: string,
		at: number,
		text: string,
		reply?: string,
	): Promise<{ inMid: string; outMid?: string }> {
		const { event } = await sandbox.customerSays({ from, text, at, deliver: false });
		const inMid = event.message?.mid ?? '';
		if (reply === undefined) return { inMid };
		const res = await graph(sandbox, 'POST', '/v26.0/me/messages', {
			token: A.accessToken,
			json: { recipient: { id: from }, message: { text: reply } },
		});
		return { inMid, outMid: res.json.message_id as string };
	}

	it('lists conversations newest activity first, with participants and Graph times', async () => {
		sandbox.addCustomer({ id: OTHER, username: 'other_customer' });
		const now = sandbox.now();
		await exchange(CUSTOMER, now - 2 * HOUR_MS, 'older');
		await exchange(OTHER, now - HOUR_MS, 'newer');

		const res = await getA('/v26.0/me/conversations?platform=instagram&fields=id,updated_time,participants');
		expect(res.status).toBe(200);
		expect(res.json.data).toEqual([
			{
				id: conversationIdFor(A.igUserId, OTHER),
				updated_time: new Date(now - HOUR_MS).toISOString().replace(/\.\d{3}Z$/, '+0000'),
				participants: {
					data: [
						{ username: A.username, id: A.igUserId },
						{ username: 'other_customer', id: OTHER },
					],
				},
			},
			{
				id: conversationIdFor(A.igUserId, CUSTOMER),
				updated_time: new Date(now - 2 * HOUR_MS).toISOString().replace(/\.\d{3}Z$/, '+0000'),
				participants: {
					data: [
						{ username: A.username, id: A.igUserId },
						{ username: SANDBOX_DEFAULTS.customer.username, id: CUSTOMER },
					],
				},
			},
		]);
		expect(res.json.paging).toMatchObject({
			cursors: { before: expect.any(String), after: expect.any(String) },
		});
		expect((res.json.paging as Json).next).toBeUndefined();
	});

	it('filters by user_id and defaults to id + updated_time', async () => {
		sandbox.addCustomer({ id: OTHER });
		await exchange(CUSTOMER, sandbox.now() - 1000, 'a');
		await exchange(OTHER, sandbox.now(), 'b');
		const res = await getA(`/v26.0/me/conversations?user_id=${OTHER}`);
		expect(res.json.data).toEqual([
			{ id: conversationIdFor(A.igUserId, OTHER), updated_time: expect.stringMatching(/\+0000$/) },
		]);
		const none = await getA('/v26.0/me/conversations?platform=instagram&user_id=3333333333333333');
		expect(none.json).toEqual({ data: [] });
	});

	it('pages with limit, paging.cursors.after and paging.next', async () => {
		for (let i = 0; i < 3; i++) {
			const id = `55500000000000${i}`;
			sandbox.addCustomer({ id });
			await exchange(id, sandbox.now() - i * 1000, `m${i}`);
		}
		const first = await getA('/v26.0/me/conversations?platform=instagram&limit=2');
		expect(dataOf(first.json).map((c) => c.id)).toEqual([
			conversationIdFor(A.igUserId, '555000000000000'),
			conversationIdFor(A.igUserId, '555000000000001'),
		]);
		const paging = first.json.paging as { next: string; cursors: { after: string } };
		expect(paging.next).toContain('/v26.0/me/conversations?');
		expect(paging.next).toContain(`after=${paging.cursors.after}`);
		expect(paging.next).not.toContain('access_token');
		const second = await getA(
			`/v26.0/me/conversations?platform=instagram&limit=2&after=${paging.cursors.after}`,
		);
		expect(dataOf(second.json).map((c) => c.id)).toEqual([conversationIdFor(A.igUserId, '555000000000002')]);
		expect((second.json.paging as Json).next).toBeUndefined();
		const bad = await getA('/v26.0/me/conversations?after=nonsense');
		expect(errorOf(bad).code).toBe(100);
	});

	it('expands the newest messages with messages.limit(n){fields}, newest first, with paging', async () => {
		const now = sandbox.now();
		const { inMid, outMid } = await exchange(CUSTOMER, now - 60_000, 'hello', 'hi there');
		const { inMid: laterMid } = await exchange(CUSTOMER, now + 1000, 'thanks');
		const res = await getA(
			'/v26.0/me/conversations?platform=instagram&fields=id,participants,messages.limit(2){id,created_time,from,to,message}',
		);
		const [conversation] = dataOf(res.json);
		const messages = conversation?.messages as Json;
		expect(dataOf(messages)).toEqual([
			{
				id: laterMid,
				created_time: expect.any(String),
				from: { username: SANDBOX_DEFAULTS.customer.username, id: CUSTOMER },
				to: { data: [{ username: A.username, id: A.igUserId }] },
				message: 'thanks',
			},
			{
				id: outMid,
				created_time: expect.any(String),
				from: { username: A.username, id: A.igUserId },
				to: { data: [{ username: SANDBOX_DEFAULTS.customer.username, id: CUSTOMER }] },
				message: 'hi there',
			},
		]);
		const paging = messages.paging as { next: string; cursors: { after: string } };
		expect(paging.next).toContain(`/v26.0/${conversationIdFor(A.igUserId, CUSTOMER)}/messages?`);
		const rest = await getA(
			`/v26.0/${conversationIdFor(A.igUserId, CUSTOMER)}/messages?fields=id,message&limit=2&after=${paging.cursors.after}`,
		);
		expect(rest.json.data).toEqual([{ id: inMid, message: 'hello' }]);
	});

	it('answers GET /{conversation-id}, /{conversation-id}/messages and /{message-id}', async () => {
		const { inMid } = await exchange(CUSTOMER, sandbox.now(), 'hello');
		const id = conversationIdFor(A.igUserId, CUSTOMER);
		const conv = await getA(`/v26.0/${id}?fields=id,updated_time`);
		expect(conv.json).toEqual({ id, updated_time: expect.stringMatching(/\+0000$/) });
		const edge = await getA(`/v26.0/${id}/messages`);
		expect(edge.json.data).toEqual([{ id: inMid, created_time: expect.any(String) }]);
		const message = await getA(
			`/v26.0/${inMid}?fields=id,created_time,from,to,message,attachments,shares,story,reactions,is_unsupported`,
		);
		expect(message.json).toEqual({
			id: inMid,
			created_time: expect.any(String),
			from: { username: SANDBOX_DEFAULTS.customer.username, id: CUSTOMER },
			to: { data: [{ username: A.username, id: A.igUserId }] },
			message: 'hello',
			is_unsupported: false,
		});
		expect(errorOf(await getA(`/v26.0/${id}?fields=nope`)).message).toContain('nonexisting field (nope)');
		// another account cannot read it
		expect(errorOf(await getB(`/v26.0/${id}`))).toMatchObject({ code: 100, error_subcode: 33 });
	});

	it('renders sent attachments the way the Conversations API does', async () => {
		await exchange(CUSTOMER, sandbox.now(), 'hi');
		await graph(sandbox, 'POST', '/v26.0/me/messages', {
			token: A.accessToken,
			json: {
				recipient: { id: CUSTOMER },
				message: { attachment: { type: 'image', payload: { url: 'https://x.test/a.jpg' } } },
			},
		});
		const res = await getA(
			`/v26.0/${conversationIdFor(A.igUserId, CUSTOMER)}/messages?fields=message,attachments&limit=1`,
		);
		expect(res.json.data).toEqual([
			{
				id: expect.any(String),
				message: '',
				attachments: {
					data: [
						{
							id: expect.any(String),
							image_data: { url: 'https://x.test/a.jpg', preview_url: 'https://x.test/a.jpg' },
						},
					],
				},
			},
		]);
	});

	it('flavour B: requires platform, serves /{page-id}/conversations', async () => {
		await sandbox.customerSays({ text: 'via page', account: 'facebookPage', deliver: false });
		expect(errorOf(await getB(`/v26.0/${B.pageId}/conversations`)).code).toBe(100);
		const res = await getB(`/v26.0/${B.pageId}/conversations?platform=instagram&fields=participants`);
		expect(dataOf(res.json)[0]?.participants).toEqual({
			data: [
				{ username: B.username, id: B.igUserId },
				{ username: SANDBOX_DEFAULTS.customer.username, id: CUSTOMER },
			],
		});
		expect((await getB(`/v26.0/${B.pageId}/conversations?platform=messenger`)).json).toEqual({ data: [] });
	});

	it('answers 36103 for an account where messaging is not available', async () => {
		sandbox.state.setAccountOptions(A.igUserId, { messagingNotAvailable: true });
		const res = await getA('/v26.0/me/conversations?platform=instagram');
		expect(res.status).toBe(400);
		expect(errorOf(res)).toMatchObject({ code: 36103 });
		sandbox.reset();
		expect((await getA('/v26.0/me/conversations?platform=instagram')).status).toBe(200);
	});

	describe('2 calls per second per account (§7.4)', () => {
		it('refuses a burst with 613, accepts again after 500 ms, counts per account', async () => {
			sandbox.state.setConversationsRateLimit(2);
			const statuses = [];
			for (let i = 0; i < 3; i++)
				statuses.push((await getA('/v26.0/me/conversations?platform=instagram')).status);
			expect(statuses).toEqual([200, 200, 400]);
			const refused = await getA('/v26.0/me/conversations?platform=instagram');
			expect(errorOf(refused)).toMatchObject({
				code: 613,
				message: '(#613) Calls to this api have exceeded the rate limit.',
			});
			// the other account has its own budget
			expect((await getB(`/v26.0/${B.pageId}/conversations?platform=instagram`)).status).toBe(200);
			await new Promise((resolve) => setTimeout(resolve, 550));
			expect((await getA('/v26.0/me/conversations?platform=instagram')).status).toBe(200);
		});

		it('never refuses calls spaced 500 ms apart', () => {
			sandbox.state.setConversationsRateLimit(2);
			const results = Array.from({ length: 10 }, (_, i) =>
				sandbox.state.takeConversationsCall('acc', 1_000_000 + i * 500),
			);
			expect(results.every(Boolean)).toBe(true);
			// the bucket holds one second's worth: one extra call in the same instant, not two
			expect(sandbox.state.takeConversationsCall('acc', 1_004_500)).toBe(true);
			expect(sandbox.state.takeConversationsCall('acc', 1_004_500)).toBe(false);
		});

		it('can be turned off', async () => {
			sandbox.state.setConversationsRateLimit(null);
			for (let i = 0; i < 5; i++)
				expect((await getA('/v26.0/me/conversations?platform=instagram')).status).toBe(200);
		});
	});
});

describe('sandbox Graph: User Profile API', () => {
	let sandbox: MetaSandbox;

	beforeAll(async () => {
		sandbox = await MetaSandbox.start();
	});
	afterAll(async () => {
		await sandbox.stop();
	});
	beforeEach(() => sandbox.reset());

	const FIELDS =
		'name,username,profile_pic,follower_count,is_user_follow_business,is_business_follow_user,is_verified_user';
	const getA = (path: string) => graph(sandbox, 'GET', path, { token: A.accessToken });

	it('refuses the profile of someone who never messaged the account (consent)', async () => {
		const res = await getA(`/v26.0/${CUSTOMER}?fields=${FIELDS}`);
		expect(res.status).toBe(400);
		expect(errorOf(res).message).toBe('User consent is required to access user profile');
	});

	it('returns every field once the person has messaged', async () => {
		await sandbox.customerSays({ text: 'hi', deliver: false });
		sandbox.state.setProfile(A.igUserId, CUSTOMER, {
			followerCount: 120,
			isUserFollowBusiness: true,
			isVerifiedUser: false,
		});
		const res = await getA(`/v26.0/${CUSTOMER}?fields=${FIELDS}`);
		expect(res.json).toEqual({
			name: SANDBOX_DEFAULTS.customer.name,
			username: SANDBOX_DEFAULTS.customer.username,
			profile_pic: `https://scontent.sandbox.invalid/profile/${CUSTOMER}.jpg`,
			follower_count: 120,
			is_user_follow_business: true,
			is_business_follow_user: false,
			is_verified_user: false,
			id: CUSTOMER,
		});
	});

	it('refuses the extended fields when told to, keeps the basic ones', async () => {
		await sandbox.customerSays({ text: 'hi', deliver: false });
		sandbox.state.setProfile(A.igUserId, CUSTOMER, { refuseExtendedFields: true });
		expect(errorOf(await getA(`/v26.0/${CUSTOMER}?fields=${FIELDS}`)).code).toBe(100);
		expect((await getA(`/v26.0/${CUSTOMER}?fields=name,username,profile_pic`)).json).toMatchObject({
			username: SANDBOX_DEFAULTS.customer.username,
		});
	});

	it('does not know IGSIDs of other accounts', async () => {
		expect(errorOf(await getA('/v26.0/9999999999999999?fields=name'))).toMatchObject({
			code: 100,
			error_subcode: 33,
		});
	});
});
