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
			expect(ok.json).toEqual({ success: true });
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
			expect(sub.json).toEqual({ success: true });
			const apps = await graph(sandbox, 'GET', `/v26.0/${account.pageId}/subscribed_apps`, {
				token: account.pageAccessToken,
			});
			expect(apps.json.data).toEqual([
				{ id: account.metaAppId, name: 'Sandbox Meta app', subscribed_fields: ['messages'] },
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

	it('Instagram Login: /me/subscribed_apps with the user token, signed with the Instagram app secret', async () => {
		const account = sandbox.instagram;
		const cb = await callbackServer('vt');
		try {
			await graph(sandbox, 'POST', `/v26.0/${account.instagramAppId}/subscriptions`, {
				token: `${account.instagramAppId}|${account.instagramAppSecret}`,
				tokenIn: 'query',
				form: { object: 'instagram', callback_url: cb.url, verify_token: 'vt', fields: 'messages' },
			});
			const missing = await graph(sandbox, 'POST', '/v26.0/me/subscribed_apps', {
				token: account.accessToken,
			});
			expect(errorOf(missing)).toMatchObject({ code: 100 });
			await graph(sandbox, 'POST', '/v26.0/me/subscribed_apps?subscribed_fields=messages,message_reactions', {
				token: account.accessToken,
			});
			const apps = await graph(sandbox, 'GET', '/v26.0/me/subscribed_apps', { token: account.accessToken });
			expect(apps.json.data).toEqual([
				{
					id: account.instagramAppId,
					name: 'Sandbox Instagram app',
					subscribed_fields: ['messages', 'message_reactions'],
				},
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
