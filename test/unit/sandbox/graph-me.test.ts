import { MetaSandbox, SANDBOX_DEFAULTS } from '../../../sandbox';
import { errorOf, graph } from './helpers';

const A = SANDBOX_DEFAULTS.instagram;
const B = SANDBOX_DEFAULTS.facebookPage;

describe('sandbox Graph: /me, auth, versions', () => {
	let sandbox: MetaSandbox;

	beforeAll(async () => {
		sandbox = await MetaSandbox.start();
	});
	afterAll(async () => {
		await sandbox.stop();
	});
	beforeEach(() => sandbox.reset());

	it('listens on 127.0.0.1 with a random port', () => {
		expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(sandbox.port).toBeGreaterThan(0);
	});

	it('flavour A: /me returns the requested fields, user_id is the webhook IG id, id always included', async () => {
		const res = await graph(sandbox, 'GET', '/v23.0/me?fields=user_id,username,name,account_type', {
			token: A.accessToken,
		});
		expect(res.status).toBe(200);
		expect(res.json).toEqual({
			id: A.id,
			user_id: '17841400000000001',
			username: 'sandbox_shop',
			name: 'Sandbox Shop',
			account_type: 'Business',
		});
		expect(res.json.id).not.toBe(res.json.user_id);
	});

	it('flavour A: field filtering (only user_id requested → user_id + id)', async () => {
		const res = await graph(sandbox, 'GET', '/v21.0/me?fields=user_id', {
			token: A.accessToken,
			tokenIn: 'query',
		});
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ user_id: A.igUserId, id: A.id });
	});

	it('flavour A: unknown field → (#100) nonexisting field', async () => {
		const res = await graph(sandbox, 'GET', '/v23.0/me?fields=user_id,bogus', { token: A.accessToken });
		expect(res.status).toBe(400);
		expect(errorOf(res)).toMatchObject({
			code: 100,
			message: '(#100) Tried accessing nonexisting field (bogus) on node type (User)',
		});
	});

	it('flavour B: /me with the Page token is the Page', async () => {
		const res = await graph(sandbox, 'GET', '/v23.0/me?fields=id,name', { token: B.pageAccessToken });
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ id: '100000000000001', name: 'Sandbox Page' });
		const withIg = await graph(sandbox, 'GET', '/v23.0/me?fields=instagram_business_account{id,username}', {
			token: B.pageAccessToken,
		});
		expect(withIg.json).toEqual({
			instagram_business_account: { id: B.igUserId, username: B.username },
			id: B.pageId,
		});
		const defaults = await graph(sandbox, 'GET', '/v23.0/me', { token: B.pageAccessToken, tokenIn: 'query' });
		expect(defaults.json).toEqual({ name: B.pageName, id: B.pageId });
	});

	it('missing token → 400 OAuthException 2500 with an fbtrace_id', async () => {
		const res = await graph(sandbox, 'GET', '/v23.0/me?fields=user_id');
		expect(res.status).toBe(400);
		const error = errorOf(res);
		expect(error).toMatchObject({
			message: 'An active access token must be used to query information about the current user.',
			type: 'OAuthException',
			code: 2500,
		});
		expect(typeof error.fbtrace_id).toBe('string');
		expect((error.fbtrace_id as string).length).toBeGreaterThan(10);
	});

	it('unknown token → 400 OAuthException 190, random fbtrace ids', async () => {
		const r1 = await graph(sandbox, 'GET', '/v23.0/me', { token: 'IGAA-not-a-real-token' });
		const r2 = await graph(sandbox, 'GET', '/v23.0/me', { token: 'EAAB-nope', tokenIn: 'query' });
		for (const r of [r1, r2]) {
			expect(r.status).toBe(400);
			expect(errorOf(r)).toMatchObject({
				message: 'Invalid OAuth access token - Cannot parse access token',
				type: 'OAuthException',
				code: 190,
			});
		}
		expect(errorOf(r1).fbtrace_id).not.toEqual(errorOf(r2).fbtrace_id);
	});

	it('access_token in a form body is accepted too', async () => {
		const res = await graph(sandbox, 'POST', `/v23.0/me/messages`, {
			form: {
				access_token: A.accessToken,
				recipient: JSON.stringify({ id: 'nobody' }),
				message: JSON.stringify({ text: 'x' }),
			},
		});
		// authenticated (otherwise 190/104), then the unknown recipient is refused
		expect(errorOf(res)).toMatchObject({ code: 100, error_subcode: 2018001 });
	});

	it.each(['v21.0', 'v23.0', 'v26.0', 'v27.0'])('accepts %s', async (v) => {
		const res = await graph(sandbox, 'GET', `/${v}/me`, { token: A.accessToken });
		expect(res.status).toBe(200);
		expect(res.headers.get('facebook-api-version')).toBe(v);
	});

	it.each(['v19.0', 'v20.0'])(
		'serves the retired %s as the oldest usable version, and says so',
		async (v) => {
			const res = await graph(sandbox, 'GET', `/${v}/me`, { token: A.accessToken });
			expect(res.status).toBe(200);
			expect(res.headers.get('facebook-api-version')).toBe('v21.0');
		},
	);

	it.each(['/v28.0/me', '/v23.1/me'])('refuses version %s', async (path) => {
		const res = await graph(sandbox, 'GET', path, { token: A.accessToken });
		expect(res.status).toBe(400);
		expect(errorOf(res)).toMatchObject({ code: 12, type: 'OAuthException' });
	});

	it('refuses a path without version prefix', async () => {
		const res = await graph(sandbox, 'GET', '/me', { token: A.accessToken });
		expect(res.status).toBe(400);
		expect(errorOf(res)).toMatchObject({ code: 2500 });
	});

	it('unknown edge → Unknown path components', async () => {
		const res = await graph(sandbox, 'GET', '/v23.0/me/bogus_edge', { token: A.accessToken });
		expect(res.status).toBe(400);
		expect(errorOf(res)).toMatchObject({ code: 2500, message: 'Unknown path components: /bogus_edge' });
	});

	it('logs Graph requests without tokens or secrets', async () => {
		await graph(sandbox, 'GET', '/v23.0/me?fields=user_id', { token: A.accessToken, tokenIn: 'query' });
		await graph(sandbox, 'GET', '/v23.0/me', { token: B.pageAccessToken });
		await graph(sandbox, 'POST', '/v23.0/me/messages', {
			form: { access_token: A.accessToken, client_secret: A.instagramAppSecret },
		});
		const log = sandbox.requests();
		expect(log.map((r) => [r.method, r.path, r.status])).toEqual([
			['GET', '/v23.0/me', 200],
			['GET', '/v23.0/me', 200],
			['POST', '/v23.0/me/messages', 400],
		]);
		expect(log[0]?.query).toEqual({ fields: 'user_id', access_token: '[redacted]' });
		expect(log[1]?.accountId).toBe(B.igUserId);
		const dump = JSON.stringify(log);
		expect(dump).not.toContain(A.accessToken);
		expect(dump).not.toContain(B.pageAccessToken);
		expect(dump).not.toContain(A.instagramAppSecret);
	});
});
