import http from 'http';
import type { AddressInfo } from 'net';

import { MetaSandbox } from '../../../sandbox';
import { fixtureNames, fixturePayload } from '../../../sandbox/webhooks/fixtures';
import { errorOf, graph } from '../sandbox/helpers';

/** A callback that answers Meta's handshake for one verify token and records POSTs. */
async function callbackServer(verifyToken: string) {
	const posts: Array<{ body: string; signature?: string }> = [];
	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		if (req.method === 'GET') {
			const ok =
				url.searchParams.get('hub.mode') === 'subscribe' &&
				url.searchParams.get('hub.verify_token') === verifyToken;
			res.writeHead(ok ? 200 : 403).end(ok ? url.searchParams.get('hub.challenge') : 'no');
			return;
		}
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			posts.push({
				body: Buffer.concat(chunks).toString(),
				signature: req.headers['x-hub-signature-256'] as string | undefined,
			});
			res.writeHead(200).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
	return { url, posts, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let sandbox: MetaSandbox;
beforeAll(async () => {
	sandbox = await MetaSandbox.start();
});
afterAll(async () => {
	await sandbox.stop();
});
afterEach(() => {
	sandbox.state.clearSubscriptions();
	sandbox.clearWebhook();
});

describe('sandbox: webhook subscriptions', () => {
	it('app subscriptions need the app token of the app in the path', async () => {
		const { metaAppId, metaAppSecret, pageAccessToken } = sandbox.facebookPage;
		const user = await graph(sandbox, 'GET', `/v26.0/${metaAppId}/subscriptions`, {
			token: pageAccessToken,
			tokenIn: 'query',
		});
		expect(errorOf(user)).toMatchObject({ code: 15 });
		const other = await graph(sandbox, 'GET', `/v26.0/${sandbox.instagram.instagramAppId}/subscriptions`, {
			token: `${metaAppId}|${metaAppSecret}`,
			tokenIn: 'query',
		});
		expect(errorOf(other)).toMatchObject({ code: 100 });
		const ok = await graph(sandbox, 'GET', `/v26.0/${metaAppId}/subscriptions`, {
			token: `${metaAppId}|${metaAppSecret}`,
			tokenIn: 'query',
		});
		expect(ok).toMatchObject({ status: 200, json: { data: [] } });
	});

	it('POST verifies the callback first, keeps one callback per object, and routes signed deliveries there', async () => {
		const account = sandbox.facebookPage;
		const appToken = `${account.metaAppId}|${account.metaAppSecret}`;
		const cb = await callbackServer('vt');
		try {
			const refused = await graph(sandbox, 'POST', `/v26.0/${account.metaAppId}/subscriptions`, {
				token: appToken,
				tokenIn: 'query',
				json: { object: 'instagram', callback_url: cb.url, verify_token: 'wrong', fields: 'messages' },
			});
			expect(errorOf(refused)).toMatchObject({ code: 2200 });
			expect(sandbox.state.appSubscriptions(account.metaAppId)).toEqual([]);

			const ok = await graph(sandbox, 'POST', `/v26.0/${account.metaAppId}/subscriptions`, {
				token: appToken,
				tokenIn: 'query',
				json: {
					object: 'instagram',
					callback_url: cb.url,
					verify_token: 'vt',
					fields: 'messages,messaging_seen',
				},
			});
			expect(ok.json).toEqual({ success: 'true' });
			const listed = await graph(sandbox, 'GET', `/v26.0/${account.metaAppId}/subscriptions`, {
				token: appToken,
				tokenIn: 'query',
			});
			expect(listed.json.data).toEqual([
				{
					object: 'instagram',
					callback_url: cb.url,
					active: true,
					fields: [
						{ name: 'messages', version: 'v26.0' },
						{ name: 'messaging_seen', version: 'v26.0' },
					],
				},
			]);

			// Not subscribed at account level yet: nothing to deliver to.
			expect(sandbox.webhook(account.igUserId)).toBeUndefined();
			const sub = await graph(
				sandbox,
				'POST',
				`/v26.0/${account.pageId}/subscribed_apps?subscribed_fields=messages`,
				{ token: account.pageAccessToken },
			);
			expect(sub.json).toEqual({ success: 'true' });
			const apps = await graph(sandbox, 'GET', `/v26.0/${account.pageId}/subscribed_apps`, {
				token: account.pageAccessToken,
			});
			expect(apps.json.data).toEqual([
				expect.objectContaining({
					id: account.metaAppId,
					name: expect.any(String),
					subscribed_fields: ['messages'],
				}),
			]);
			expect(sandbox.webhook(account.igUserId)).toEqual({ callbackUrl: cb.url, verifyToken: 'vt' });

			await sandbox.deliver(fixturePayload('message-text', { accountId: account.igUserId }) as object);
			expect(cb.posts).toHaveLength(1);
			expect(cb.posts[0].body).toContain(`"id":"${account.igUserId}"`);
			const { createHmac } = await import('crypto');
			expect(cb.posts[0].signature).toBe(
				'sha256=' + createHmac('sha256', account.metaAppSecret).update(cb.posts[0].body).digest('hex'),
			);

			await graph(sandbox, 'DELETE', `/v26.0/${account.pageId}/subscribed_apps`, {
				token: account.pageAccessToken,
			});
			expect(sandbox.webhook(account.igUserId)).toBeUndefined();
			await graph(sandbox, 'DELETE', `/v26.0/${account.metaAppId}/subscriptions?object=instagram`, {
				token: appToken,
				tokenIn: 'query',
			});
			expect(sandbox.state.appSubscriptions(account.metaAppId)).toEqual([]);
		} finally {
			await cb.close();
		}
	});

	it('Instagram Login: the Meta app manages /{app-id}/subscriptions; the Instagram app id is refused there', async () => {
		const account = sandbox.instagram;
		const cb = await callbackServer('vt');
		try {
			const withInstagramApp = await graph(
				sandbox,
				'POST',
				`/v26.0/${account.instagramAppId}/subscriptions`,
				{
					token: `${account.instagramAppId}|${account.instagramAppSecret}`,
					tokenIn: 'query',
					form: { object: 'instagram', callback_url: cb.url, verify_token: 'vt', fields: 'messages' },
				},
			);
			expect(errorOf(withInstagramApp)).toMatchObject({ code: 100, error_subcode: 33 });
			expect(cb.posts).toEqual([]);

			const ok = await graph(sandbox, 'POST', `/v26.0/${account.metaAppId}/subscriptions`, {
				token: `${account.metaAppId}|${account.metaAppSecret}`,
				tokenIn: 'query',
				form: {
					object: 'instagram',
					callback_url: cb.url,
					verify_token: 'vt',
					fields: 'messages,message_reactions',
				},
			});
			expect(ok.json).toEqual({ success: 'true' });
			const missing = await graph(sandbox, 'POST', '/v26.0/me/subscribed_apps', {
				token: account.accessToken,
			});
			expect(errorOf(missing)).toMatchObject({ code: 100 });
			await graph(sandbox, 'POST', '/v26.0/me/subscribed_apps?subscribed_fields=messages,message_reactions', {
				token: account.accessToken,
			});
			// No Meta sample for graph.instagram.com: the Instagram app id, no name.
			const apps = await graph(sandbox, 'GET', '/v26.0/me/subscribed_apps', { token: account.accessToken });
			expect(apps.json.data).toEqual([
				{ id: account.instagramAppId, subscribed_fields: ['messages', 'message_reactions'] },
			]);
			await sandbox.deliver(fixturePayload('reaction-react', { accountId: account.igUserId }) as object);
			const { createHmac } = await import('crypto');
			expect(cb.posts[0].signature).toBe(
				'sha256=' + createHmac('sha256', account.instagramAppSecret).update(cb.posts[0].body).digest('hex'),
			);
		} finally {
			await cb.close();
		}
	});

	it('refuses field names Meta does not list for the setup, at app and at account level', async () => {
		const ig = sandbox.instagram;
		const page = sandbox.facebookPage;
		const cb = await callbackServer('vt');
		try {
			const post = (app: { metaAppId: string; metaAppSecret: string }, fields: string) =>
				graph(sandbox, 'POST', `/v26.0/${app.metaAppId}/subscriptions`, {
					token: `${app.metaAppId}|${app.metaAppSecret}`,
					tokenIn: 'query',
					form: { object: 'instagram', callback_url: cb.url, verify_token: 'vt', fields },
				});
			for (const [app, fields, bad] of [
				[ig, 'messages,message_edit', 'message_edit'],
				[ig, 'messages,mentions', 'mentions'],
				[ig, 'messages,messaging_policy_enforcement', 'messaging_policy_enforcement'],
				[page, 'messages,messaging_optins', 'messaging_optins'],
				[page, 'messages,message_echoes', 'message_echoes'],
				[page, 'messages,messaging_referrals', 'messaging_referrals'],
			] as const) {
				const res = await post(app, fields);
				expect(res.status).toBe(400);
				expect(errorOf(res).message).toContain(`got "${bad}"`);
			}
			expect((await post(ig, 'messages,message_echoes,messaging_optins')).status).toBe(200);
			expect((await post(page, 'messages,mentions,messaging_policy_enforcement')).status).toBe(200);

			const pageLevel = await graph(
				sandbox,
				'POST',
				`/v26.0/${page.pageId}/subscribed_apps?subscribed_fields=messages,messaging_referral`,
				{ token: page.pageAccessToken },
			);
			expect(errorOf(pageLevel).message).toContain('got "messaging_referral"');
		} finally {
			await cb.close();
		}
	});

	it('delivers only the fields the app subscribed to', async () => {
		const account = sandbox.instagram;
		const cb = await callbackServer('vt');
		try {
			await graph(sandbox, 'POST', `/v26.0/${account.metaAppId}/subscriptions`, {
				token: `${account.metaAppId}|${account.metaAppSecret}`,
				tokenIn: 'query',
				form: { object: 'instagram', callback_url: cb.url, verify_token: 'vt', fields: 'messages' },
			});
			await graph(sandbox, 'POST', '/v26.0/me/subscribed_apps?subscribed_fields=messages', {
				token: account.accessToken,
			});
			const seen = await sandbox.deliver(fixturePayload('seen', { accountId: account.igUserId }) as object);
			expect(seen).toMatchObject({ status: 0, notDelivered: expect.stringContaining('subscribed field') });
			const echo = await sandbox.deliver(fixturePayload('echo', { accountId: account.igUserId }) as object);
			expect(echo.status).toBe(0); // Instagram Login sends echoes under message_echoes
			expect(cb.posts).toEqual([]);
			await sandbox.deliver(fixturePayload('message-text', { accountId: account.igUserId }) as object);
			expect(cb.posts).toHaveLength(1);
			// A mixed batch keeps only the subscribed events.
			await sandbox.deliver(fixturePayload('batch-mixed', { accountId: account.igUserId }) as object);
			const batch = JSON.parse(cb.posts[1]?.body ?? '{}') as {
				entry: Array<{ messaging?: Array<Record<string, unknown>> }>;
			};
			const kinds = batch.entry.flatMap((e) =>
				(e.messaging ?? []).map((m) =>
					Object.keys(m).find((k) => !['sender', 'recipient', 'timestamp'].includes(k)),
				),
			);
			expect(new Set(kinds)).toEqual(new Set(['message']));
		} finally {
			await cb.close();
		}
	});

	it('rewrites every fixture for a sandbox account', () => {
		for (const name of fixtureNames()) {
			const text = JSON.stringify(
				fixturePayload(name, { accountId: '999', customerId: '42', idSuffix: '.x' }),
			);
			expect(text).not.toContain('17841400000000001');
			expect(text).not.toContain('"1111111111111111"');
		}
		const reaction = fixturePayload('message-text', { accountId: '999', idSuffix: '.x' }) as {
			entry: Array<{ messaging: Array<{ message: { mid: string } }> }>;
		};
		expect(reaction.entry[0].messaging[0].message.mid).toMatch(/\.x$/);
	});
});
