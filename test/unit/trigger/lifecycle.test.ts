import nock from 'nock';

import { SUBSCRIPTION_STATE_KEY } from '../../../nodes/InstagramMessaging/trigger/subscriptions';
import { TOKEN, instagramLoginCredentials, triggerNode } from '../harness';
import {
	APP_TOKEN,
	FACEBOOK,
	INSTAGRAM,
	META_APP_ID,
	PAGE_ID,
	PAGE_TOKEN,
	PRODUCTION_URL,
	TEST_URL,
	automaticNode,
	callHook,
	facebookPageCredentials,
	metaAppCredentials,
	nodeStaticData,
	pageTriggerNode,
	workflowFor,
} from './helpers';

const INSTAGRAM_APP_ID = '990000000000001';

interface Recorded {
	method: string;
	url: string;
	query: Record<string, string>;
	body?: unknown;
	auth: string;
}

/** A small stateful Meta at the nock boundary: one app subscription, one account subscription per host. */
class FakeMeta {
	readonly requests: Recorded[] = [];
	app: { callback_url: string; fields: string[]; verify_token: string } | null = null;
	account: { fields: string[] } | null = null;
	/** Next POST to the app subscriptions edge fails like a failed verification handshake. */
	failNextAppPost = false;

	install(): void {
		for (const host of [FACEBOOK, INSTAGRAM]) {
			const scope = nock(host).persist();
			for (const method of ['get', 'post', 'delete'] as const) {
				const handle = this.handle.bind(this);
				scope[method](/.*/)
					.query(true)
					.reply(function (uri, body) {
						return handle(host, method.toUpperCase(), uri, body, this.req.headers);
					});
			}
		}
	}

	private handle(
		host: string,
		method: string,
		uri: string,
		body: unknown,
		headers: Record<string, string | string[] | undefined>,
	): [number, unknown] {
		const url = new URL(host + uri);
		const query = Object.fromEntries(url.searchParams);
		// Credentials are checked here; recorded requests keep only which one was used. The app token
		// (app id|app secret) is accepted only in the Authorization header, never in the URL.
		if (query.access_token === APP_TOKEN)
			return [400, { error: { message: 'app secret in the URL', type: 'OAuthException', code: 190 } }];
		const bearer = String(headers.authorization ?? '').replace(/^Bearer /, '');
		const appToken = bearer === APP_TOKEN ? APP_TOKEN : query.access_token;
		delete query.access_token;
		const auth = appToken === APP_TOKEN ? 'app' : (appToken ?? 'header');
		this.requests.push({ method, url: `${host}${url.pathname}`, query, ...(body ? { body } : {}), auth });
		const path = url.pathname;
		if (path === `/v26.0/${META_APP_ID}/subscriptions`) {
			if (appToken !== APP_TOKEN)
				return [400, { error: { message: 'Invalid OAuth access token', type: 'OAuthException', code: 190 } }];
			if (method === 'GET') {
				return [
					200,
					{
						data: this.app
							? [
									{
										object: 'instagram',
										callback_url: this.app.callback_url,
										active: true,
										fields: this.app.fields.map((name) => ({ name, version: 'v26.0' })),
									},
								]
							: [],
					},
				];
			}
			if (method === 'POST') {
				if (this.failNextAppPost) {
					this.failNextAppPost = false;
					return [
						400,
						{
							error: {
								message:
									'(#2200) callback verification failed with the following errors: HTTP Status Code = 403',
								type: 'OAuthException',
								code: 2200,
							},
						},
					];
				}
				const b = body as Record<string, string>;
				this.app = {
					callback_url: b.callback_url,
					fields: b.fields.split(','),
					verify_token: b.verify_token,
				};
				return [200, { success: true }];
			}
			this.app = null;
			return [200, { success: true }];
		}
		if (path === '/v26.0/me/subscribed_apps' || path === `/v26.0/${PAGE_ID}/subscribed_apps`) {
			if (method === 'GET')
				return [
					200,
					{
						// graph.instagram.com lists the Instagram app (no Meta sample; production code expects it).
						data: this.account
							? [
									host === INSTAGRAM
										? { id: INSTAGRAM_APP_ID, subscribed_fields: this.account.fields }
										: { id: META_APP_ID, name: 'App', subscribed_fields: this.account.fields },
								]
							: [],
					},
				];
			if (method === 'POST') {
				this.account = { fields: (query.subscribed_fields ?? '').split(',') };
				return [200, { success: true }];
			}
			this.account = null;
			return [200, { success: true }];
		}
		return [404, { error: { message: `unexpected ${method} ${path}`, code: 100 } }];
	}

	calls(): string[] {
		return this.requests.map(
			(r) => `${r.method} ${r.url.replace(/^https:\/\/graph\.(facebook|instagram)\.com\/v26\.0/, '$1:')}`,
		);
	}
}

const igCredentials = { ...instagramLoginCredentials, ...metaAppCredentials };
const pageCredentials = { ...facebookPageCredentials, ...metaAppCredentials };
const igNode = () => automaticNode(triggerNode({ events: ['message', 'postback', 'reaction', 'referral'] }));
const DEFAULT_FIELDS = ['message_reactions', 'messages', 'messaging_postbacks', 'messaging_referral'];

let meta: FakeMeta;
beforeEach(() => {
	meta = new FakeMeta();
	meta.install();
});

describe('Manual subscription', () => {
	it('touches nothing at Meta', async () => {
		const node = triggerNode();
		for (const method of ['checkExists', 'create', 'delete'] as const) {
			expect((await callHook(method, { node, credentials: instagramLoginCredentials })).result).toBe(true);
		}
		expect(meta.requests).toEqual([]);
	});

	it.each(['change-me-to-a-long-random-string', ''])(
		"activation refuses the examples' placeholder verify token (%j), in Manual mode too",
		async (verifyToken) => {
			const node = triggerNode({ verifyToken });
			await expect(callHook('checkExists', { node, credentials: instagramLoginCredentials })).rejects.toThrow(
				'The Verify Token is still the placeholder from the example',
			);
			expect(meta.requests).toEqual([]);
		},
	);
});

describe('Automatic subscription, Instagram Login', () => {
	it('activation subscribes the app and the account; deactivation removes both', async () => {
		const node = igNode();
		const workflow = workflowFor(node);
		expect((await callHook('checkExists', { node, workflow, credentials: igCredentials })).result).toBe(
			false,
		);
		expect((await callHook('create', { node, workflow, credentials: igCredentials })).result).toBe(true);
		expect(meta.calls()).toEqual([
			'GET facebook:/880000000000001/subscriptions',
			'GET facebook:/880000000000001/subscriptions',
			'POST facebook:/880000000000001/subscriptions',
			'GET instagram:/me/subscribed_apps',
			'POST instagram:/me/subscribed_apps',
		]);
		expect(meta.requests[2]).toMatchObject({
			auth: 'app',
			body: {
				object: 'instagram',
				callback_url: PRODUCTION_URL,
				verify_token: 'unit-verify-token',
				fields: DEFAULT_FIELDS.join(','),
				include_values: 'true',
			},
		});
		expect(meta.requests[4]).toMatchObject({
			auth: 'header',
			query: { subscribed_fields: DEFAULT_FIELDS.join(',') },
		});
		expect(nodeStaticData(workflow, node)[SUBSCRIPTION_STATE_KEY]).toEqual({
			role: 'production',
			appId: META_APP_ID,
			callbackUrl: PRODUCTION_URL,
			fields: DEFAULT_FIELDS,
			previous: null,
			accountSubscribedByUs: true,
			accountPath: '/me/subscribed_apps',
		});

		// After a restart n8n asks again: everything is in place, nothing to create.
		meta.requests.length = 0;
		expect((await callHook('checkExists', { node, workflow, credentials: igCredentials })).result).toBe(true);
		expect(meta.calls()).toEqual([
			'GET facebook:/880000000000001/subscriptions',
			'GET instagram:/me/subscribed_apps',
		]);

		meta.requests.length = 0;
		expect((await callHook('delete', { node, workflow, credentials: igCredentials })).result).toBe(true);
		expect(meta.calls()).toEqual([
			'GET facebook:/880000000000001/subscriptions',
			'DELETE facebook:/880000000000001/subscriptions',
			'DELETE instagram:/me/subscribed_apps',
		]);
		expect(meta.requests[1].query).toEqual({ object: 'instagram' });
		expect(meta.app).toBeNull();
		expect(meta.account).toBeNull();
		expect(nodeStaticData(workflow, node)[SUBSCRIPTION_STATE_KEY]).toBeUndefined();
	});

	it('subscribes the fields of the chosen events (standby included when asked)', async () => {
		const node = automaticNode(
			triggerNode({
				events: ['message', 'echo', 'seen', 'mention', 'optin', 'handover_pass', 'unknown'],
				options: { includeStandby: true },
			}),
		);
		await callHook('create', { node, credentials: igCredentials });
		// Instagram Login has its own echo field (Meta's field table, 28 Oct 2026).
		expect(meta.app?.fields).toEqual([
			'comments',
			'message_echoes',
			'messages',
			'messaging_handover',
			'messaging_optins',
			'messaging_seen',
			'standby',
		]);
		expect(meta.account?.fields).toEqual([
			'comments',
			'message_echoes',
			'messages',
			'messaging_handover',
			'messaging_optins',
			'messaging_seen',
		]);
	});

	it('re-creates when the fields changed, and leaves an account it did not subscribe', async () => {
		meta.app = { callback_url: PRODUCTION_URL, fields: ['messages'], verify_token: 'x' };
		meta.account = { fields: ['messages', 'comments'] };
		const node = igNode();
		const workflow = workflowFor(node);
		expect((await callHook('checkExists', { node, workflow, credentials: igCredentials })).result).toBe(
			false,
		);
		await callHook('create', { node, workflow, credentials: igCredentials });
		expect(meta.app?.fields).toEqual(DEFAULT_FIELDS);
		// The account's existing fields are kept and ours added.
		expect(meta.account?.fields).toEqual(['comments', ...DEFAULT_FIELDS]);
		expect(nodeStaticData(workflow, node)[SUBSCRIPTION_STATE_KEY]).toMatchObject({
			accountSubscribedByUs: false,
		});
		meta.requests.length = 0;
		await callHook('delete', { node, workflow, credentials: igCredentials });
		expect(meta.calls()).toEqual([
			'GET facebook:/880000000000001/subscriptions',
			'DELETE facebook:/880000000000001/subscriptions',
		]);
		expect(meta.account).not.toBeNull();
	});

	it('never takes over a callback that belongs to another URL: a clear error, nothing changed', async () => {
		const other = 'https://n8n.example.com/webhook/another-workflow/webhook';
		meta.app = { callback_url: other, fields: ['messages'], verify_token: 'theirs' };
		const node = igNode();
		for (const method of ['checkExists', 'create'] as const) {
			const error = await callHook(method, { node, credentials: igCredentials }).catch((e: unknown) => e);
			expect(error).toMatchObject({
				name: 'NodeOperationError',
				message: `The Meta app ${META_APP_ID} already sends its Instagram webhooks to ${other}`,
			});
			expect((error as { description: string }).description).toMatch(
				/Deactivate the workflow .* Manual; or use another Meta app/,
			);
		}
		expect(meta.requests.every((r) => r.method === 'GET')).toBe(true);
		expect(meta.app.callback_url).toBe(other);
	});

	it('deactivation leaves a callback that points elsewhere by now', async () => {
		const node = igNode();
		const workflow = workflowFor(node);
		await callHook('create', { node, workflow, credentials: igCredentials });
		meta.app = { callback_url: 'https://elsewhere.example/hook', fields: ['messages'], verify_token: 'x' };
		meta.requests.length = 0;
		const logs: string[] = [];
		expect((await callHook('delete', { node, workflow, credentials: igCredentials, logs })).result).toBe(
			true,
		);
		expect(meta.calls()).toEqual([
			'GET facebook:/880000000000001/subscriptions',
			'DELETE instagram:/me/subscribed_apps',
		]);
		expect(meta.app?.callback_url).toBe('https://elsewhere.example/hook');
		expect(logs.join('\n')).toMatch(/left the Meta app 880000000000001 webhook in place/);
	});

	it('a failing Meta call on deactivation is logged, not thrown', async () => {
		const node = igNode();
		const logs: string[] = [];
		const { result } = await callHook('delete', {
			node,
			credentials: { ...instagramLoginCredentials, metaAppApi: { appId: META_APP_ID, appSecret: 'wrong' } },
			logs,
		});
		expect(result).toBe(false);
		expect(logs.join('\n')).toMatch(/could not remove its Meta subscription/);
		expect(logs.join('\n')).not.toContain('wrong');
		expect(logs.join('\n')).not.toContain(TOKEN);
	});

	it("surfaces Meta's verification failure on activation", async () => {
		meta.failNextAppPost = true;
		const error = await callHook('create', { node: igNode(), credentials: igCredentials }).catch(
			(e: unknown) => e,
		);
		expect(error).toMatchObject({ name: 'NodeApiError' });
		expect(meta.app).toBeNull();
		expect(meta.account).toBeNull();
	});
});

describe('test URL and production URL of the same node', () => {
	it('testing takes the webhook over and puts the production subscription back afterwards', async () => {
		const node = igNode();
		const production = workflowFor(node);
		await callHook('create', { node, workflow: production, credentials: igCredentials });
		expect(meta.app?.callback_url).toBe(PRODUCTION_URL);

		// The editor's "Listen for test event": a separate workflow object with its own static data.
		const test = workflowFor(node);
		meta.requests.length = 0;
		expect(
			(await callHook('checkExists', { node, workflow: test, credentials: igCredentials, isTest: true }))
				.result,
		).toBe(false);
		await callHook('create', { node, workflow: test, credentials: igCredentials, isTest: true });
		expect(meta.app?.callback_url).toBe(TEST_URL);
		expect(nodeStaticData(test, node)[SUBSCRIPTION_STATE_KEY]).toMatchObject({
			role: 'test',
			callbackUrl: TEST_URL,
			previous: { callbackUrl: PRODUCTION_URL, fields: DEFAULT_FIELDS },
			accountSubscribedByUs: false,
		});

		meta.requests.length = 0;
		await callHook('delete', { node, workflow: test, credentials: igCredentials, isTest: true });
		expect(meta.calls()).toEqual([
			'GET facebook:/880000000000001/subscriptions',
			'POST facebook:/880000000000001/subscriptions',
		]);
		expect(meta.app).toEqual({
			callback_url: PRODUCTION_URL,
			fields: DEFAULT_FIELDS,
			verify_token: 'unit-verify-token',
		});
		expect(meta.account).not.toBeNull();

		// Production is still intact: deactivating it later removes it.
		await callHook('delete', { node, workflow: production, credentials: igCredentials });
		expect(meta.app).toBeNull();
		expect(meta.account).toBeNull();
	});

	it('testing without a production subscription removes the test subscription afterwards', async () => {
		const node = igNode();
		const test = workflowFor(node);
		await callHook('create', { node, workflow: test, credentials: igCredentials, isTest: true });
		expect(meta.app?.callback_url).toBe(TEST_URL);
		await callHook('delete', { node, workflow: test, credentials: igCredentials, isTest: true });
		expect(meta.app).toBeNull();
		expect(meta.account).toBeNull();
	});

	it('a test subscription left behind (n8n stopped mid-test) is taken over by production', async () => {
		meta.app = { callback_url: TEST_URL, fields: DEFAULT_FIELDS, verify_token: 'unit-verify-token' };
		const node = igNode();
		expect((await callHook('checkExists', { node, credentials: igCredentials })).result).toBe(false);
		await callHook('create', { node, credentials: igCredentials });
		expect(meta.app?.callback_url).toBe(PRODUCTION_URL);
	});

	it('restoring production falls back to removing the test subscription when Meta refuses', async () => {
		const node = igNode();
		await callHook('create', { node, workflow: workflowFor(node), credentials: igCredentials });
		const test = workflowFor(node);
		await callHook('create', { node, workflow: test, credentials: igCredentials, isTest: true });
		meta.failNextAppPost = true;
		const logs: string[] = [];
		expect(
			(await callHook('delete', { node, workflow: test, credentials: igCredentials, isTest: true, logs }))
				.result,
		).toBe(true);
		expect(logs.join('\n')).toMatch(/could not put the production webhook back/);
		expect(meta.app).toBeNull();
	});
});

describe('Automatic subscription, Facebook Page', () => {
	it('subscribes the Page with its token and removes it again', async () => {
		const node = automaticNode(
			pageTriggerNode({ events: ['message', 'mention', 'policy_enforcement', 'message_edit'] }),
		);
		const workflow = workflowFor(node);
		await callHook('create', { node, workflow, credentials: pageCredentials });
		expect(meta.calls()).toEqual([
			'GET facebook:/880000000000001/subscriptions',
			'POST facebook:/880000000000001/subscriptions',
			'GET facebook:/100000000000001/subscribed_apps',
			'POST facebook:/100000000000001/subscribed_apps',
		]);
		// message_edit is an Instagram Login field; mentions and policy enforcement are Page ones.
		expect(meta.app?.fields).toEqual(['mentions', 'messages', 'messaging_policy_enforcement']);
		expect(meta.requests[3]).toMatchObject({ auth: 'header', query: { subscribed_fields: 'messages' } });
		expect(PAGE_TOKEN).not.toBe(TOKEN);
		await callHook('delete', { node, workflow, credentials: pageCredentials });
		expect(meta.calls().slice(-3)).toEqual([
			'GET facebook:/880000000000001/subscriptions',
			'DELETE facebook:/880000000000001/subscriptions',
			'DELETE facebook:/100000000000001/subscribed_apps',
		]);
		expect(meta.app).toBeNull();
	});
});
