/**
 * Credentials in a real n8n 2.41.1 against the sandbox, with token lifetimes of seconds:
 * - Instagram Login (access token): a workflow keeps sending across several token expiries and an
 *   n8n restart, because preAuthentication refreshes the token and n8n saves it in the credential;
 * - Instagram Login OAuth2: n8n's own /rest/oauth2-credential/auth + /callback complete the Meta
 *   login (wrapped token answer, `#_` suffix), the 1-hour token is swapped for a long-lived one and
 *   refreshed in memory; after a restart that memory is gone (n8n 2.41 cannot save it) and the
 *   node says to reconnect;
 * - Facebook Page: a user token becomes the Page token, the Page and Instagram ids are found, a DM
 *   is received and answered, every call signed with appsecret_proof;
 * - no token or secret in any item, error or log line.
 */
import axios from 'axios';
import { randomUUID } from 'crypto';

import { persistState } from '../../credentials/common/instagramToken';
import { SANDBOX_DEFAULTS, type MetaSandbox } from '../../sandbox';
import {
	nodeOutput,
	postAndWaitForExecution,
	useScenario,
	type CredentialRef,
	type N8nExecution,
	type N8nServer,
	type WorkflowJson,
} from './harness';

const ig = SANDBOX_DEFAULTS.instagram;
const page = SANDBOX_DEFAULTS.facebookPage;
const customer = SANDBOX_DEFAULTS.customer.id;
const LONG_LIVED_MS = 8_000;
const SHORT_LIVED_MS = 6_000;
/** How long a send loop may go on waiting for the refreshes it proves. */
const SEND_UNTIL_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sendWorkflow(
	name: string,
	path: string,
	authentication: string,
	credential: CredentialRef,
): WorkflowJson {
	return {
		name,
		nodes: [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${path}-hook`,
				parameters: { httpMethod: 'POST', path, options: {} },
			},
			{
				id: randomUUID(),
				name: 'Send',
				type: 'n8n-nodes-instagram-messaging.instagramMessaging',
				typeVersion: 1,
				position: [260, 0],
				parameters: {
					authentication,
					resource: 'message',
					operation: 'sendText',
					recipientId: customer,
					text: '={{ $json.body.text }}',
					options: {},
				},
				credentials: { [authentication]: credential },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Send', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

function pageReplyWorkflow(credential: CredentialRef): WorkflowJson {
	return {
		name: 'Page flavour reply',
		nodes: [
			{
				id: 'b1c2d3e4-0000-4000-8000-000000000001',
				name: 'Trigger',
				type: 'n8n-nodes-instagram-messaging.instagramMessagingTrigger',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'page-flavour',
				parameters: {
					authentication: 'facebookPageApi',
					verifyToken: 'page-verify-token',
					events: ['message'],
					options: {},
				},
				credentials: { facebookPageApi: credential },
			},
			{
				id: 'b1c2d3e4-0000-4000-8000-000000000002',
				name: 'Reply',
				type: 'n8n-nodes-instagram-messaging.instagramMessaging',
				typeVersion: 1,
				position: [260, 0],
				parameters: {
					authentication: 'facebookPageApi',
					resource: 'message',
					operation: 'sendText',
					recipientId: '={{ $json.customerId }}',
					text: '=Echo: {{ $json.text }}',
					options: {},
				},
				credentials: { facebookPageApi: credential },
			},
		],
		connections: { Trigger: { main: [[{ node: 'Reply', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

describe('credentials in a real n8n', () => {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let dashboardToken: string;
	let keepAliveWf: string;
	let oauthWf: string;
	let pageWf: string;
	let oauthCredential: CredentialRef;
	let wrongFlavour: CredentialRef;
	let expiredCredential: CredentialRef;
	let expiredToken: string;
	const executions: N8nExecution[] = [];

	async function send(path: string, workflowId: string, text: string): Promise<N8nExecution> {
		const { execution } = await postAndWaitForExecution(server, path, { text }, workflowId);
		executions.push(execution);
		return execution;
	}

	const wrongFlavourData = () => ({
		loginType: 'page',
		accessToken: ig.accessToken,
		pageId: page.pageId,
		instagramAccountId: page.igUserId,
		apiBaseUrl: sandbox.url,
	});
	const expiredData = () => ({
		accessToken: expiredToken,
		apiBaseUrl: sandbox.url,
	});

	async function credentialTest(
		ref: CredentialRef,
		type: string,
		data: object,
	): Promise<{ status: string; message: string }> {
		const res = await server.rest.post<{ data: { status: string; message: string } }>('/credentials/test', {
			credentials: { id: ref.id, name: ref.name, type, data },
		});
		return res.data.data;
	}

	let recorded: ReturnType<typeof persistState>;
	useScenario(
		{
			name: 'credentials',
			prepareSandbox: async (meta) => {
				meta.state.configureTokens({
					shortLivedMs: SHORT_LIVED_MS,
					longLivedMs: LONG_LIVED_MS,
					refreshMinAgeMs: 1_000,
					tokenResponse: 'wrapped',
				});
				// A dashboard-generated long-lived token (valid 10 min at the sandbox); every refresh of it lives 8 s.
				dashboardToken = meta.state.issueToken(ig.igUserId, 'long', meta.now(), 10 * 60_000).token;
				// The credential has recorded it before, as a token of 8 s: Meta's tokens live 60 days and
				// are refreshed from day 50, so only a recorded short lifetime makes refreshes come in seconds.
				recorded = persistState(
					{ token: dashboardToken, issuedAt: Date.now(), expiresAt: Date.now() + LONG_LIVED_MS },
					dashboardToken,
				);
				await meta.customerSays({ text: 'hi', deliver: false });
				await meta.customerSays({ text: 'hi page', account: 'facebookPage', deliver: false });
				expiredToken = meta.state.issueToken(ig.igUserId, 'long', meta.now() - 10_000, 5_000).token;
				sandbox = meta;
			},
			extraCredentials: (meta) => [
				{
					name: 'IG dashboard token',
					type: 'instagramLoginApi',
					data: {
						accessToken: dashboardToken,
						...recorded,
						appSecret: ig.instagramAppSecret,
						apiBaseUrl: meta.url,
					},
				},
				{
					name: 'IG OAuth2',
					type: 'instagramLoginOAuth2Api',
					data: {
						clientId: ig.instagramAppId,
						clientSecret: ig.instagramAppSecret,
						apiBaseUrl: meta.url,
					},
				},
				{
					name: 'Page via user token',
					type: 'facebookPageApi',
					data: {
						loginType: 'user',
						accessToken: SANDBOX_DEFAULTS.facebookUserToken,
						pageId: '',
						instagramAccountId: '',
						appSecret: page.metaAppSecret,
						addProof: true,
						apiBaseUrl: meta.url,
					},
				},
				{ name: 'Page with an IG token', type: 'facebookPageApi', data: wrongFlavourData() },
				{ name: 'IG expired', type: 'instagramLoginApi', data: expiredData() },
			],
			// Each workflow uses one of the credentials above, by id.
			bindByType: false,
			workflows: (_defaults, [keepAlive, oauth, pageCred]) => [
				sendWorkflow('Keep alive', 'keep-alive', 'instagramLoginApi', keepAlive),
				sendWorkflow('OAuth send', 'oauth-send', 'instagramLoginOAuth2Api', oauth),
				pageReplyWorkflow(pageCred),
			],
			webhookPaths: ['keep-alive', 'page-flavour/webhook'],
			setCallback: false,
		},
		(scenario) => {
			server = scenario.server;
			[, oauthCredential, , wrongFlavour, expiredCredential] = scenario.extraCredentials;
			[keepAliveWf, oauthWf, pageWf] = scenario.workflowIds;
		},
	);

	it("connects the OAuth2 credential through n8n's own OAuth endpoints", async () => {
		const auth = await server.rest.get<{ data: string }>('/oauth2-credential/auth', {
			params: { id: oauthCredential.id },
		});
		const authorizeUrl = new URL(auth.data.data);
		expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(`${sandbox.url}/oauth/authorize`);
		expect(authorizeUrl.searchParams.get('client_id')).toBe(ig.instagramAppId);
		expect(authorizeUrl.searchParams.get('response_type')).toBe('code');
		expect(authorizeUrl.searchParams.get('scope')).toBe(
			'instagram_business_basic,instagram_business_manage_messages',
		);
		const redirectUri = authorizeUrl.searchParams.get('redirect_uri');
		expect(redirectUri).toMatch(/^http:\/\/(127\.0\.0\.1|localhost):\d+\/rest\/oauth2-credential\/callback$/);
		const bindingCookie = (auth.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);

		// The "browser": Instagram's dialog redirects back with ?code=…&state=…#_
		const dialog = await axios.get(authorizeUrl.toString(), { maxRedirects: 0, validateStatus: () => true });
		expect(dialog.status).toBe(302);
		const location = String(dialog.headers.location);
		expect(location.startsWith(`${redirectUri}?code=`)).toBe(true);
		expect(location.endsWith('#_')).toBe(true);

		// A browser never sends the fragment; axios does the same (Node's http strips it).
		const cookie = [String(server.rest.defaults.headers.cookie ?? ''), ...bindingCookie]
			.filter(Boolean)
			.join('; ');
		const callback = await axios.get(location, { headers: { cookie }, validateStatus: () => true });
		expect(callback.status).toBe(200);
		expect(String(callback.data)).not.toMatch(/error/i);
		const exchanges = sandbox.requests({ path: '^/oauth/access_token$' });
		expect(exchanges).toHaveLength(1);
		expect(exchanges[0]).toMatchObject({ method: 'POST', status: 200 });
		expect(sandbox.state.issuedTokens().filter((t) => t.kind === 'short')).toHaveLength(1);
	});

	it('sends with the OAuth2 credential past the 1-hour token, on a long-lived token refreshed in memory', async () => {
		const start = Date.now();
		const refreshes = () =>
			sandbox.requests({ path: '^/refresh_access_token$' }).filter((r) => r.status === 200).length;
		let i = 0;
		// Past both tokens' lives, with at least 10 sends and 2 refreshes: a busy machine sends less
		// often, so the sends go on until then (up to a bound), instead of for a fixed time only.
		while (
			Date.now() - start < SHORT_LIVED_MS + LONG_LIVED_MS + 2_000 ||
			((i < 10 || refreshes() < 2) && Date.now() - start < SEND_UNTIL_MS)
		) {
			const execution = await send('oauth-send', oauthWf, `oauth ${++i}`);
			expect(execution.status).toBe('success');
			await sleep(1_000);
		}
		expect(sandbox.requests({ path: '^/access_token$' }).filter((r) => r.status === 200)).toHaveLength(1);
		expect(refreshes()).toBeGreaterThanOrEqual(2);
		// (The first message of a thread carries the bot disclosure before the text.)
		expect(sandbox.sent().filter((s) => /(^|\n)oauth \d+$/.test(s.text ?? ''))).toHaveLength(i);
	});

	it('keeps a dashboard token alive across several expiries (refreshed token saved in the credential)', async () => {
		const start = Date.now();
		const refreshed = () =>
			sandbox.state
				.issuedTokens()
				.filter(
					(t) =>
						t.kind === 'long' &&
						t.token !== dashboardToken &&
						t.expiresAt !== undefined &&
						t.expiresAt - t.issuedAt === LONG_LIVED_MS,
				)
				.filter((t) => t.issuedAt >= start);
		const expired = () => refreshed().filter((t) => (t.expiresAt ?? Infinity) <= sandbox.now());
		let i = 0;
		// Three token lives at least, and until 4 refreshed tokens were issued and 3 of them expired
		// (up to a bound): a busy machine sends, and so refreshes, less often.
		while (
			Date.now() - start < 3 * LONG_LIVED_MS ||
			((refreshed().length < 4 || expired().length < 3) && Date.now() - start < SEND_UNTIL_MS)
		) {
			const execution = await send('keep-alive', keepAliveWf, `keep ${++i}`);
			expect(execution.status).toBe('success');
			await sleep(700);
		}
		// Several refreshed tokens have lived their 8 s and expired while the sends went on.
		expect(refreshed().length).toBeGreaterThanOrEqual(4);
		expect(expired().length).toBeGreaterThanOrEqual(3);
		expect(sandbox.sent().filter((s) => /(^|\n)keep \d+$/.test(s.text ?? ''))).toHaveLength(i);
	});

	it('keeps working after an n8n restart; the OAuth2 credential asks to reconnect instead', async () => {
		// Keep the sandbox's clock still while n8n restarts, so a slow restart does not outlive 8-s tokens.
		sandbox.clock.freeze();
		await server.restart();
		await server.waitForWebhook('keep-alive', 'POST');
		sandbox.clock.unfreeze();
		const sentBefore = sandbox.sent().length;
		for (let i = 1; i <= 6; i++) {
			const execution = await send('keep-alive', keepAliveWf, `after restart ${i}`);
			expect(execution.status).toBe('success');
			await sleep(1_500);
		}
		expect(sandbox.sent().length).toBe(sentBefore + 6);

		const failed = await send('oauth-send', oauthWf, 'oauth after restart');
		expect(failed.status).toBe('error');
		const error = JSON.stringify(failed.data?.resultData?.error ?? {});
		expect(error).toContain('The access token has expired');
		expect(error).toMatch(/reconnect/i);
	});

	it('Page flavour: derives the Page token from a user token and answers a DM end to end', async () => {
		const before = sandbox.sent({ accountId: page.igUserId }).length;
		sandbox.setWebhook(
			{ callbackUrl: server.webhookUrl('page-flavour/webhook'), verifyToken: 'page-verify-token' },
			'facebookPage',
		);
		const { delivery } = await sandbox.customerSays({ text: 'hello page', account: 'facebookPage' });
		expect(delivery?.status).toBe(200);
		const [execution] = await server.waitForExecutions(pageWf, 1);
		executions.push(execution);
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'Trigger')[0]).toMatchObject({
			accountId: page.igUserId,
			customerId: customer,
			text: 'hello page',
		});
		const sent = await sandbox.waitForSent({ accountId: page.igUserId, count: before + 1 });
		expect(sent[sent.length - 1]).toMatchObject({ recipientId: customer, flavour: 'facebookPage' });
		expect(sent[sent.length - 1].text).toMatch(/(^|\n)Echo: hello page$/);
		// The user token looked the Page up once; every Graph call carried appsecret_proof.
		const lookups = sandbox.requests({ path: `/(me/accounts|${page.pageId})$` });
		expect(lookups).toHaveLength(1);
		expect(lookups[0].query).toMatchObject({ appsecret_proof: '[redacted]' });
		const sends = sandbox
			.requests({ method: 'POST', path: '/messages$' })
			.filter((r) => r.accountId === page.igUserId);
		expect(sends.length).toBeGreaterThan(0);
		for (const r of sends) expect(r.query.appsecret_proof).toBe('[redacted]');
	});

	it('the credential test names the problem: wrong flavour, expired token; a good token passes', async () => {
		expect(await credentialTest(wrongFlavour, 'facebookPageApi', wrongFlavourData())).toEqual({
			status: 'Error',
			message: expect.stringMatching(/rather than an Instagram Login token \(IGAA…\)/),
		});
		expect(await credentialTest(expiredCredential, 'instagramLoginApi', expiredData())).toEqual({
			status: 'Error',
			message: expect.stringMatching(
				/^The access token has expired \(Meta error 190\/463\)\. Reconnect the credential/,
			),
		});
		const good = await credentialTest(wrongFlavour, 'facebookPageApi', {
			...wrongFlavourData(),
			accessToken: page.pageAccessToken,
		});
		expect(good.status).toBe('OK');
	});

	it('puts no token or secret in any item, error or log line', async () => {
		const secrets = [
			...sandbox.state.issuedTokens().map((t) => t.token),
			ig.accessToken,
			ig.instagramAppSecret,
			page.pageAccessToken,
			page.metaAppSecret,
			SANDBOX_DEFAULTS.facebookUserToken,
		];
		const all = [
			...(await server.executions({ workflowId: keepAliveWf, includeData: true })),
			...(await server.executions({ workflowId: oauthWf, includeData: true })),
			...(await server.executions({ workflowId: pageWf, includeData: true })),
			...executions,
		];
		const dump = JSON.stringify(all);
		const logs = server.logs();
		for (const secret of [...secrets, ...server.secrets()]) {
			expect(dump).not.toContain(secret);
			expect(logs).not.toContain(secret);
		}
	});
});
