import { MetaSandbox, SANDBOX_DEFAULTS } from '../../../sandbox';
import { graph } from '../sandbox/helpers';

const ig = SANDBOX_DEFAULTS.instagram;
const page = SANDBOX_DEFAULTS.facebookPage;
const REDIRECT = 'http://127.0.0.1:5678/rest/oauth2-credential/callback';

describe('sandbox: Instagram login, token exchange and refresh, Page token', () => {
	let sandbox: MetaSandbox;

	beforeAll(async () => {
		sandbox = await MetaSandbox.start();
	});
	afterAll(async () => {
		await sandbox.stop();
	});
	beforeEach(() => {
		sandbox.reset();
		sandbox.clock.freeze();
		sandbox.state.configureTokens({
			shortLivedMs: 3_600_000,
			longLivedMs: 60 * 86_400_000,
			refreshMinAgeMs: 86_400_000,
			codeTtlMs: 3_600_000,
			tokenResponse: 'wrapped',
		});
	});

	async function authorize(
		scope = 'instagram_business_basic,instagram_business_manage_messages',
	): Promise<string> {
		const url = new URL(`${sandbox.url}/oauth/authorize`);
		url.search = new URLSearchParams({
			client_id: ig.instagramAppId,
			redirect_uri: REDIRECT,
			response_type: 'code',
			scope,
			state: 'st8',
		}).toString();
		const res = await fetch(url, { redirect: 'manual' });
		expect(res.status).toBe(302);
		const location = res.headers.get('location') ?? '';
		expect(location).toMatch(
			/^http:\/\/127\.0\.0\.1:5678\/rest\/oauth2-credential\/callback\?code=AQ[\w-]+&state=st8#_$/,
		);
		return new URL(location).searchParams.get('code') ?? '';
	}

	const exchangeForm = (code: string) => ({
		client_id: ig.instagramAppId,
		client_secret: ig.instagramAppSecret,
		grant_type: 'authorization_code',
		redirect_uri: REDIRECT,
		code,
	});

	it('authorize → form-encoded exchange (wrapped answer) → single-use code', async () => {
		const code = await authorize();
		expect(code).not.toContain('#');
		const res = await graph(sandbox, 'POST', '/oauth/access_token', { form: exchangeForm(code) });
		expect(res.status).toBe(200);
		const entry = (res.json.data as Array<Record<string, unknown>>)[0];
		expect(entry).toEqual({
			access_token: expect.stringMatching(/^IGAA-short-/),
			user_id: ig.id,
			permissions: 'instagram_business_basic,instagram_business_manage_messages',
		});
		const again = await graph(sandbox, 'POST', '/oauth/access_token', { form: exchangeForm(code) });
		expect(again).toMatchObject({
			status: 400,
			json: {
				error_type: 'OAuthException',
				code: 400,
				error_message: 'Matching code was not found or was already used',
			},
		});
	});

	it('flat answer with a numeric user_id when configured; JSON bodies and expired codes are refused', async () => {
		sandbox.state.configureTokens({ tokenResponse: 'flat', userIdAsNumber: true });
		const res = await graph(sandbox, 'POST', '/oauth/access_token', {
			form: exchangeForm(await authorize()),
		});
		expect(res.json).toMatchObject({
			access_token: expect.stringMatching(/^IGAA-short-/),
			user_id: Number(ig.id),
		});
		const json = await graph(sandbox, 'POST', '/oauth/access_token', {
			json: exchangeForm(await authorize()),
		});
		expect(json).toMatchObject({
			status: 400,
			json: { error_type: 'OAuthException', error_message: 'Missing required field client_id' },
		});
		const late = await authorize();
		sandbox.clock.advance(3_600_000);
		expect(
			(await graph(sandbox, 'POST', '/oauth/access_token', { form: exchangeForm(late) })).json.error_message,
		).toBe('Matching code was not found or was already used');
	});

	it('short → long (ig_exchange_token) → refresh only from 24 h of age, each issue a new token; expired → 190/463', async () => {
		const short = sandbox.state.issueToken(ig.igUserId, 'short', sandbox.now(), 3_600_000).token;
		const wrongSecret = await graph(
			sandbox,
			'GET',
			`/access_token?grant_type=ig_exchange_token&client_secret=nope&access_token=${short}`,
		);
		expect(wrongSecret.status).toBe(400);
		const long = await graph(
			sandbox,
			'GET',
			`/access_token?grant_type=ig_exchange_token&client_secret=${ig.instagramAppSecret}&access_token=${short}`,
		);
		expect(long.json).toEqual({
			access_token: expect.stringMatching(/^IGAA-long-/),
			token_type: 'bearer',
			expires_in: 60 * 86_400,
		});
		const longToken = String(long.json.access_token);

		sandbox.clock.advance(86_400_000 - 60_000); // 23 h 59 min
		const young = await graph(
			sandbox,
			'GET',
			`/refresh_access_token?grant_type=ig_refresh_token&access_token=${longToken}`,
		);
		expect(young.status).toBe(400);
		sandbox.clock.advance(60_000); // 24 h
		const refreshed = await graph(
			sandbox,
			'GET',
			`/refresh_access_token?grant_type=ig_refresh_token&access_token=${longToken}`,
		);
		expect(refreshed.status).toBe(200);
		expect(refreshed.json.access_token).not.toBe(longToken);

		// The new token works on the Graph API; the short one died after its hour.
		expect(
			(
				await graph(sandbox, 'GET', '/v26.0/me?fields=user_id', {
					token: String(refreshed.json.access_token),
				})
			).json,
		).toMatchObject({ user_id: ig.igUserId });
		const dead = await graph(sandbox, 'GET', '/v26.0/me?fields=user_id', { token: short });
		expect(dead.json.error).toMatchObject({ code: 190, error_subcode: 463, type: 'OAuthException' });
		sandbox.clock.advance(60 * 86_400_000);
		const tooLate = await graph(
			sandbox,
			'GET',
			`/refresh_access_token?grant_type=ig_refresh_token&access_token=${String(refreshed.json.access_token)}`,
		);
		expect(tooLate.json.error).toMatchObject({ code: 190, error_subcode: 463 });
	});

	it('Page: /me/accounts with a user token, /{page-id}?fields=access_token,instagram_business_account', async () => {
		const accounts = await graph(
			sandbox,
			'GET',
			'/v26.0/me/accounts?fields=id,access_token,instagram_business_account',
			{ token: SANDBOX_DEFAULTS.facebookUserToken },
		);
		expect(accounts.json.data).toEqual([
			{
				id: page.pageId,
				access_token: page.pageAccessToken,
				instagram_business_account: { id: page.igUserId },
			},
		]);
		const node = await graph(
			sandbox,
			'GET',
			`/v26.0/${page.pageId}?fields=access_token,instagram_business_account`,
			{ token: SANDBOX_DEFAULTS.facebookUserToken },
		);
		expect(node.json).toEqual({
			access_token: page.pageAccessToken,
			instagram_business_account: { id: page.igUserId },
			id: page.pageId,
		});
		const withPageToken = await graph(sandbox, 'GET', '/v26.0/me/accounts', { token: page.pageAccessToken });
		expect(withPageToken.json.error).toMatchObject({ code: 100 });
		const igOnPage = await graph(sandbox, 'GET', `/v26.0/${page.pageId}?fields=id`, {
			token: ig.accessToken,
		});
		expect(igOnPage.json.error).toMatchObject({ code: 100, error_subcode: 33 });
	});
});
