import nock from 'nock';

import { appSecretProof, FacebookPageApi } from '../../../credentials/FacebookPageApi.credentials';
import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import { actionNode, CUSTOMER, runWorkflow } from '../harness';

const FB = 'https://graph.facebook.com';
const V = `/${GRAPH_API_VERSION}`;
const USER_TOKEN = 'EAAB-user-token';
const PAGE_TOKEN = 'EAAB-page-token';
const SECRET = 'meta-app-secret';
const PAGE_ID = '100000000000001';
const IG_ID = '17841400000000002';

function inbound() {
	const timestampMs = Date.now() - 60_000;
	return {
		json: {
			eventType: 'message',
			customerId: CUSTOMER,
			timestampMs,
			windowExpiresAt: new Date(timestampMs + 86_400_000).toISOString(),
		},
	};
}

const sendNode = () =>
	actionNode(
		{
			authentication: 'facebookPageApi',
			resource: 'message',
			operation: 'sendText',
			recipientId: CUSTOMER,
			text: 'Hello!',
		},
		{ credentials: { facebookPageApi: { id: '2', name: 'Page' } } },
	);

function pageCredentials(extra: Record<string, unknown>) {
	return {
		facebookPageApi: {
			accessToken: PAGE_TOKEN,
			pageId: PAGE_ID,
			instagramAccountId: IG_ID,
			appSecret: SECRET,
			addProof: true,
			...extra,
		},
	} as never;
}

function sendReply(token: string) {
	return nock(FB, { reqheaders: { authorization: `Bearer ${token}` } })
		.post(`${V}/me/messages`)
		.query({ appsecret_proof: appSecretProof(token, SECRET) })
		.reply(200, { recipient_id: CUSTOMER, message_id: 'm_1' });
}

describe('Facebook Page credential', () => {
	it('appsecret_proof is HMAC-SHA256 of the token keyed with the app secret (RFC 4231-style vector)', () => {
		expect(appSecretProof('The quick brown fox jumps over the lazy dog', 'key')).toBe(
			'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
		);
	});

	it('authenticate adds the bearer token, and the proof only when asked', async () => {
		const type = new FacebookPageApi();
		const signed = await type.authenticate(
			{ accessToken: PAGE_TOKEN, appSecret: SECRET, addProof: true },
			{ url: '/x', qs: { a: 1 } },
		);
		expect(signed.headers).toEqual({ Authorization: `Bearer ${PAGE_TOKEN}` });
		expect(signed.qs).toEqual({ a: 1, appsecret_proof: appSecretProof(PAGE_TOKEN, SECRET) });
		const plain = await type.authenticate(
			{ accessToken: PAGE_TOKEN, appSecret: SECRET, addProof: false },
			{ url: '/x' },
		);
		expect(plain.qs).toBeUndefined();
	});

	it('a Page token with both ids: no lookup, the send carries the proof of the Page token', async () => {
		const send = sendReply(PAGE_TOKEN);
		const { credentials, output } = await runWorkflow({
			nodes: [sendNode()],
			credentials: pageCredentials({}),
			input: [inbound()],
		});
		expect(output('Instagram Messaging')[0].json.messageId).toBe('m_1');
		expect(send.isDone()).toBe(true);
		// The one write marks the lookup done; nothing is derived.
		expect(credentials.writes).toHaveLength(1);
		expect(credentials.writes[0].data.pageAccessToken ?? '').toBe('');
	});

	it('a user token and a Page ID: derives the Page token once, finds the Instagram account, saves both', async () => {
		const lookup = nock(FB, { reqheaders: { authorization: `Bearer ${USER_TOKEN}` } })
			.get(`${V}/${PAGE_ID}`)
			.query({
				fields: 'id,access_token,instagram_business_account',
				appsecret_proof: appSecretProof(USER_TOKEN, SECRET),
			})
			.reply(200, { id: PAGE_ID, access_token: PAGE_TOKEN, instagram_business_account: { id: IG_ID } });
		const send = sendReply(PAGE_TOKEN);
		const run = await runWorkflow({
			nodes: [sendNode()],
			credentials: pageCredentials({ loginType: 'user', accessToken: USER_TOKEN, instagramAccountId: '' }),
			input: [inbound()],
		});
		expect(lookup.isDone()).toBe(true);
		expect(send.isDone()).toBe(true);
		expect(run.credentials.writes).toHaveLength(1);
		expect(run.credentials.writes[0].data).toMatchObject({
			accessToken: USER_TOKEN,
			pageAccessToken: PAGE_TOKEN,
			pageId: PAGE_ID,
			instagramAccountId: IG_ID,
		});

		// The next execution reads the saved credential: no lookup again.
		nock.cleanAll();
		const again = sendReply(PAGE_TOKEN);
		const second = await runWorkflow({
			nodes: [sendNode()],
			credentials: { facebookPageApi: run.credentials.data.facebookPageApi } as never,
			input: [inbound()],
		});
		expect(again.isDone()).toBe(true);
		expect(second.credentials.writes).toHaveLength(0);
	});

	it('a user token without a Page ID: picks the Page with a linked Instagram account from /me/accounts', async () => {
		const accounts = nock(FB)
			.get(`${V}/me/accounts`)
			.query(true)
			.reply(200, {
				data: [
					{ id: '999', name: 'No IG', access_token: 'EAAB-other' },
					{ id: PAGE_ID, name: 'Shop', access_token: PAGE_TOKEN, instagram_business_account: { id: IG_ID } },
				],
			});
		const send = sendReply(PAGE_TOKEN);
		const run = await runWorkflow({
			nodes: [sendNode()],
			credentials: pageCredentials({
				loginType: 'user',
				accessToken: USER_TOKEN,
				pageId: '',
				instagramAccountId: '',
			}),
			input: [inbound()],
		});
		expect(accounts.isDone()).toBe(true);
		expect(send.isDone()).toBe(true);
		expect(run.credentials.writes[0].data).toMatchObject({
			pageId: PAGE_ID,
			instagramAccountId: IG_ID,
			pageAccessToken: PAGE_TOKEN,
		});
	});

	it('a Page token without the Instagram account ID: looks it up through the Page once and saves it', async () => {
		const lookup = nock(FB, { reqheaders: { authorization: `Bearer ${PAGE_TOKEN}` } })
			.get(`${V}/${PAGE_ID}`)
			.query({ fields: 'id,instagram_business_account', appsecret_proof: appSecretProof(PAGE_TOKEN, SECRET) })
			.reply(200, { id: PAGE_ID, instagram_business_account: { id: IG_ID } });
		const send = sendReply(PAGE_TOKEN);
		const run = await runWorkflow({
			nodes: [sendNode()],
			credentials: pageCredentials({ instagramAccountId: '' }),
			input: [inbound()],
		});
		expect(lookup.isDone()).toBe(true);
		expect(send.isDone()).toBe(true);
		expect(run.credentials.writes[0].data.instagramAccountId).toBe(IG_ID);
	});

	it('a failed derivation saves nothing and never puts the token in an error', async () => {
		const lookup = nock(FB)
			.get(`${V}/${PAGE_ID}`)
			.query(true)
			.reply(400, {
				error: {
					message: 'Invalid OAuth access token - Cannot parse access token',
					type: 'OAuthException',
					code: 190,
					fbtrace_id: 'A',
				},
			});
		const send = nock(FB)
			.post(`${V}/me/messages`)
			.query(true)
			.reply(400, {
				error: {
					message: 'Invalid OAuth access token - Cannot parse access token',
					type: 'OAuthException',
					code: 190,
					fbtrace_id: 'B',
				},
			});
		const run = await runWorkflow({
			nodes: [sendNode()],
			credentials: pageCredentials({
				loginType: 'user',
				accessToken: 'IGAA-wrong-flavour',
				instagramAccountId: '',
			}),
			input: [inbound()],
		});
		expect(lookup.isDone()).toBe(true);
		expect(send.isDone()).toBe(true);
		expect(run.credentials.writes).toHaveLength(0);
		const failure = run.error('Instagram Messaging') as Error & { description?: string };
		expect(failure.message).toBe('Meta cannot read this access token');
		expect(failure.description).toMatch(
			/an Instagram Login token \(IGAA…\) belongs in the "Instagram Login" credential/,
		);
		expect(JSON.stringify(failure) + String(failure.description)).not.toContain('IGAA-wrong-flavour');
	});
});
