import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import {
	InstagramLoginOAuth2Api,
	normalizeTokenData,
} from '../../../credentials/InstagramLoginOAuth2Api.credentials';
import { asFreshProcess, n8nRequestHelpers } from '../harness';

type Reply = { statusCode: number; body: IDataObject };

/**
 * Instagram's token endpoints at the network boundary, answering from a script in order, behind
 * the request helper n8n hands to preAuthentication; each call's URL is recorded.
 */
function fakeInstagram(replies: Reply[], origin = 'https://graph.instagram.com', delayMs = 0) {
	const calls: URL[] = [];
	nock(origin)
		.persist()
		.get(/^\/(access_token|refresh_access_token)/)
		.delay(delayMs)
		.reply(function (uri) {
			calls.push(new URL(uri, origin));
			const reply = replies.shift();
			return reply ? [reply.statusCode, reply.body] : [500, { error: { message: `unexpected call ${uri}` } }];
		});
	return { helpers: n8nRequestHelpers(), calls };
}

const type = new InstagramLoginOAuth2Api();
const base = {
	clientId: '990',
	clientSecret: 'ig-secret',
};

describe('Instagram Login OAuth2 credential', () => {
	beforeEach(() => {
		asFreshProcess();
	});
	afterEach(() => nock.cleanAll());

	it("is an OAuth2 credential with Instagram's endpoints, body authentication and comma-separated scopes", () => {
		expect(type.extends).toEqual(['oAuth2Api']);
		const byName = Object.fromEntries(type.properties.map((p) => [p.name, p.default]));
		expect(byName.grantType).toBe('authorizationCode');
		expect(byName.authentication).toBe('body');
		expect(String(byName.authUrl)).toContain('"https://www.instagram.com/oauth/authorize"');
		expect(String(byName.accessTokenUrl)).toContain('"https://api.instagram.com/oauth/access_token"');
		expect(String(byName.scope)).toContain('instagram_business_basic,instagram_business_manage_messages');
		expect(String(byName.scope)).toContain('",instagram_business_manage_comments"');
	});

	it('its form says that a renewed token does not survive a restart and points to the access-token credential', () => {
		const notice = type.properties.find((p) => p.name === 'restartNotice');
		expect(notice?.type).toBe('notice');
		expect(notice?.displayName).toMatch(/lost when n8n restarts/);
		expect(notice?.displayName).toContain('Instagram Login (Access Token) API');
	});

	it('reads the wrapped and the flat code-exchange answer, with a big numeric user_id as a string', () => {
		const wrapped = {
			data: [
				{ access_token: 'IGAA-short', user_id: '27000000000000001', permissions: 'instagram_business_basic' },
			],
		};
		expect(normalizeTokenData(wrapped)).toEqual({
			access_token: 'IGAA-short',
			user_id: '27000000000000001',
			permissions: 'instagram_business_basic',
		});
		// JSON.parse would have rounded a number above 2^53; what n8n stored is read back as text.
		expect(normalizeTokenData({ access_token: 'IGAA-short', user_id: 27000000000000000 }).user_id).toBe(
			'27000000000000000',
		);
		expect(normalizeTokenData(undefined)).toEqual({});
	});

	it('swaps the 1-hour token for the 60-day one once, then reuses it without calls', async () => {
		const { helpers, calls } = fakeInstagram([
			{ statusCode: 200, body: { access_token: 'IGAA-long-1', token_type: 'bearer', expires_in: 5183944 } },
		]);
		const credentials = { ...base, oauthTokenData: { data: [{ access_token: 'IGAA-short', user_id: '1' }] } };
		const first = await type.preAuthentication.call(helpers, credentials);
		expect(first).toEqual({ oauthTokenData: { access_token: 'IGAA-long-1', user_id: '1' } });
		expect(calls).toHaveLength(1);
		expect(calls[0].pathname).toBe('/access_token');
		expect(Object.fromEntries(calls[0].searchParams)).toEqual({
			grant_type: 'ig_exchange_token',
			client_secret: 'ig-secret',
			access_token: 'IGAA-short',
		});
		const second = await type.preAuthentication.call(helpers, credentials);
		expect(second).toEqual(first);
		expect(calls).toHaveLength(1);
	});

	it('20 concurrent requests before the first exchange: one ig_exchange_token call, all get the 60-day token', async () => {
		const { helpers, calls } = fakeInstagram(
			[{ statusCode: 200, body: { access_token: 'IGAA-long-shared', expires_in: 5183944 } }],
			'https://graph.instagram.com',
			50,
		);
		const credentials = { ...base, oauthTokenData: { access_token: 'IGAA-short-concurrent' } };
		const results = await Promise.all(
			Array.from({ length: 20 }, () => type.preAuthentication.call(helpers, credentials)),
		);
		expect(calls).toHaveLength(1);
		for (const result of results)
			expect(result).toEqual({ oauthTokenData: { access_token: 'IGAA-long-shared' } });
	});

	it('refreshes the long-lived token once it is due (seconds against a stand-in)', async () => {
		const { helpers, calls } = fakeInstagram(
			[
				{ statusCode: 200, body: { access_token: 'IGAA-long-1', expires_in: 2 } },
				{ statusCode: 200, body: { access_token: 'IGAA-long-2', expires_in: 2 } },
			],
			'http://127.0.0.1:1',
		);
		const credentials = {
			...base,
			apiBaseUrl: 'http://127.0.0.1:1/',
			oauthTokenData: { access_token: 'IGAA-short' },
		};
		await type.preAuthentication.call(helpers, credentials);
		await new Promise((resolve) => setTimeout(resolve, 1_050));
		const refreshed = await type.preAuthentication.call(helpers, credentials);
		expect(calls[1].pathname).toBe('/refresh_access_token');
		expect(Object.fromEntries(calls[1].searchParams)).toEqual({
			grant_type: 'ig_refresh_token',
			access_token: 'IGAA-long-1',
		});
		expect(refreshed).toEqual({ oauthTokenData: { access_token: 'IGAA-long-2' } });
	});

	it('a dead short token (exchange refused): keeps signing with it, so Meta\'s 190 reaches the node as "reconnect"', async () => {
		const { helpers } = fakeInstagram([
			{
				statusCode: 400,
				body: {
					error: { message: 'Session has expired', type: 'OAuthException', code: 190, error_subcode: 463 },
				},
			},
		]);
		const result = await type.preAuthentication.call(helpers, {
			...base,
			oauthTokenData: { access_token: 'IGAA-short' },
		});
		expect(result).toEqual({ oauthTokenData: { access_token: 'IGAA-short' } });
	});

	it('a network failure never surfaces the URL (it holds the secret)', async () => {
		nock('https://graph.instagram.com')
			.get(/^\/access_token/)
			.replyWithError(
				Object.assign(
					new Error('connect ECONNREFUSED https://graph.instagram.com/access_token?client_secret=ig-secret'),
					{
						code: 'ECONNREFUSED',
					},
				),
			);
		const helpers = n8nRequestHelpers();
		await expect(
			type.preAuthentication.call(helpers, { ...base, oauthTokenData: { access_token: 'IGAA-short' } }),
		).resolves.toEqual({
			oauthTokenData: { access_token: 'IGAA-short' },
		});
	});
});
