import { HOUR_MS, MetaSandbox, SANDBOX_DEFAULTS } from '../../../sandbox';
import type { SentRecord } from '../../../sandbox';
import { CaptureServer, errorOf, graph } from './helpers';

const A = SANDBOX_DEFAULTS.instagram;
const B = SANDBOX_DEFAULTS.facebookPage;
const CUSTOMER = SANDBOX_DEFAULTS.customer.id;

describe('sandbox faults', () => {
	let sandbox: MetaSandbox;
	const send = (text = 'hi') =>
		graph(sandbox, 'POST', '/v23.0/me/messages', {
			token: A.accessToken,
			json: { recipient: { id: CUSTOMER }, message: { text } },
		});

	beforeAll(async () => {
		sandbox = await MetaSandbox.start();
	});
	afterAll(async () => {
		await sandbox.stop();
	});
	beforeEach(async () => {
		sandbox.reset();
		await sandbox.customerSays({ text: 'hello', deliver: false });
	});

	it('"delivered, then an error" (afterHandling): the message is in sent and the caller gets the error', async () => {
		sandbox.injectFault({
			path: '/messages$',
			status: 500,
			error: { code: 1, error_subcode: 1357046, message: 'An unknown error has occurred.' },
			afterHandling: true,
		});
		const first = await send('delivered anyway');
		expect(first.status).toBe(500);
		expect(errorOf(first)).toMatchObject({ code: 1, error_subcode: 1357046 });
		expect(sandbox.sent().map((s) => s.text)).toEqual(['delivered anyway']);
		expect(sandbox.conversations()[0]?.messages.map((m) => m.text)).toContain('delivered anyway');
		expect(sandbox.rejected()).toMatchObject([{ status: 500, fault: true }]);
	});

	it('the token endpoints take faults too: an error before handling issues no token, a delay-only fault answers late with one', async () => {
		const refresh = () =>
			graph(sandbox, 'GET', `/refresh_access_token?grant_type=ig_refresh_token`, {
				token: A.accessToken,
				tokenIn: 'query',
			});
		const issued = () => sandbox.state.issuedTokens().filter((t) => t.refreshedFrom !== undefined).length;
		sandbox.injectFault({ path: '/refresh_access_token$', status: 500 });
		const failed = await refresh();
		expect(failed.status).toBe(500);
		expect(errorOf(failed)).toMatchObject({ code: 2, is_transient: true });
		expect(issued()).toBe(0);
		sandbox.injectFault({ path: '/refresh_access_token$', delayMs: 200 });
		const started = Date.now();
		const late = await refresh();
		expect(late.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
		expect(issued()).toBe(1);
		expect(sandbox.faults()).toEqual([]);
	});

	it('everyNth: only every third matching call fails', async () => {
		sandbox.injectFault({ path: '/messages$', status: 500, everyNth: 3, times: 2 });
		const statuses: number[] = [];
		for (let i = 0; i < 7; i++) statuses.push((await send(`m${i}`)).status);
		expect(statuses).toEqual([200, 200, 500, 200, 200, 500, 200]);
	});

	it('a 500 then success: transient Meta error once, recorded as a faulted rejection', async () => {
		sandbox.injectFault({ path: '/messages$', status: 500 });
		const first = await send('attempt 1');
		expect(first.status).toBe(500);
		expect(errorOf(first)).toMatchObject({ code: 2, is_transient: true, type: 'OAuthException' });
		expect(typeof errorOf(first).fbtrace_id).toBe('string');
		const second = await send('attempt 2');
		expect(second.status).toBe(200);
		expect(sandbox.sent().map((s) => s.text)).toEqual(['attempt 2']);
		expect(sandbox.rejected()).toMatchObject([{ status: 500, fault: true, recipientId: CUSTOMER }]);
		expect(sandbox.faults()).toEqual([]);
		expect(sandbox.requests().map((r) => [r.status, r.fault ?? false])).toEqual([
			[500, true],
			[200, false],
		]);
	});

	it('a custom Meta error for N requests, only for the matching method', async () => {
		sandbox.injectFault({
			method: 'POST',
			path: '/messages',
			status: 400,
			times: 2,
			error: { code: 613, message: 'Calls to this api have exceeded the rate limit.', is_transient: true },
			headers: { 'X-Business-Use-Case-Usage': '{}' },
		});
		const me = await graph(sandbox, 'GET', '/v23.0/me', { token: A.accessToken });
		expect(me.status).toBe(200);
		const r1 = await send();
		const r2 = await send();
		const r3 = await send();
		expect([r1.status, r2.status, r3.status]).toEqual([400, 400, 200]);
		expect(errorOf(r1)).toMatchObject({
			code: 613,
			type: 'OAuthException',
			message: 'Calls to this api have exceeded the rate limit.',
		});
		expect(r1.headers.get('x-business-use-case-usage')).toBe('{}');
	});

	it('faults apply before auth (Meta outage), and "times: Infinity" lasts until cleared', async () => {
		sandbox.injectFault({ path: '^/v\\d+\\.0/me$', status: 503, times: Infinity });
		expect((await graph(sandbox, 'GET', '/v23.0/me')).status).toBe(503);
		expect((await graph(sandbox, 'GET', '/v23.0/me', { token: A.accessToken })).status).toBe(503);
		expect(sandbox.faults()[0]?.remaining).toBe('always');
		sandbox.clearFaults();
		expect((await graph(sandbox, 'GET', '/v23.0/me', { token: A.accessToken })).status).toBe(200);
	});

	it('latency-only faults delay, then handle normally', async () => {
		sandbox.injectFault({ path: '/messages$', delayMs: 150 });
		const started = Date.now();
		const res = await send();
		expect(res.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});

	it('reset faults drop the connection', async () => {
		sandbox.injectFault({ path: '/messages$', reset: true });
		await expect(send()).rejects.toThrow();
		expect(sandbox.sent()).toEqual([]);
		expect((await send()).status).toBe(200);
	});

	it('waitForSent resolves when a send arrives, and times out otherwise', async () => {
		const waiting = sandbox.waitForSent({ recipientId: CUSTOMER, timeoutMs: 2000 });
		await send('awaited');
		const records: SentRecord[] = await waiting;
		expect(records.map((r) => r.text)).toEqual(['awaited']);
		await expect(sandbox.waitForSent({ count: 5, timeoutMs: 50 })).rejects.toThrow(/timed out/);
	});
});

describe('sandbox control API (/_sandbox/*)', () => {
	let sandbox: MetaSandbox;
	let receiver: CaptureServer;

	const control = async (
		method: string,
		path: string,
		body?: unknown,
	): Promise<{ status: number; json: Record<string, unknown> }> => {
		const res = await fetch(sandbox.url + path, {
			method,
			headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: res.status, json: (await res.json()) as Record<string, unknown> };
	};
	const dataOf = (r: { json: Record<string, unknown> }): Array<Record<string, unknown>> =>
		r.json.data as Array<Record<string, unknown>>;

	beforeAll(async () => {
		receiver = await CaptureServer.start();
		sandbox = await MetaSandbox.start();
	});
	afterAll(async () => {
		await sandbox.stop();
		await receiver.stop();
	});

	it('round trip: webhook → dm → send → sent/rejected → clock → faults → requests → reset', async () => {
		// configure the callback
		expect(
			(
				await control('POST', '/_sandbox/webhook', {
					callbackUrl: receiver.url,
					verifyToken: receiver.verifyToken,
				})
			).status,
		).toBe(200);
		const hook = await control('GET', '/_sandbox/webhook');
		expect(hook.json).toMatchObject({ callbackUrl: receiver.url, hasVerifyToken: true });
		const verify = await control('POST', '/_sandbox/webhook/verify', {});
		expect(verify.json).toMatchObject({ status: 200, ok: true });

		// a customer DMs → signed webhook delivered
		const dm = await control('POST', '/_sandbox/dm', { text: 'Hallo 👋', from: '3333' });
		expect(dm.status).toBe(200);
		expect(dm.json.delivery).toEqual({ status: 200, body: 'EVENT_RECEIVED' });
		expect(dm.json.event).toMatchObject({
			sender: { id: '3333' },
			recipient: { id: A.igUserId },
			message: { text: 'Hallo 👋' },
		});
		const posts = (await receiver.waitFor(2)).filter((r) => r.method === 'POST');
		expect(posts).toHaveLength(1);

		// the node replies through the Graph API
		const reply = await graph(sandbox, 'POST', `/v23.0/${A.igUserId}/messages`, {
			token: A.accessToken,
			json: { recipient: { id: '3333' }, message: { text: 'Hi!' } },
		});
		expect(reply.status).toBe(200);
		const sent = await control('GET', '/_sandbox/sent?recipientId=3333');
		expect(dataOf(sent)).toMatchObject([
			{ recipientId: '3333', text: 'Hi!', messageId: reply.json.message_id, accountId: A.igUserId },
		]);
		expect(dataOf(await control('GET', '/_sandbox/sent?recipientId=nobody'))).toEqual([]);
		expect(dataOf(await control('GET', `/_sandbox/sent?accountId=${B.igUserId}`))).toEqual([]);
		const lastSeq = dataOf(sent)[0]?.seq as number;
		expect(dataOf(await control('GET', `/_sandbox/sent?since=${lastSeq}`))).toEqual([]);

		// 25 h later the window is closed
		const clock = await control('POST', '/_sandbox/clock', { advanceMs: 25 * HOUR_MS });
		expect(clock.json.now as number).toBeGreaterThanOrEqual(Date.now() + 25 * HOUR_MS - 1000);
		const late = await graph(sandbox, 'POST', '/v23.0/me/messages', {
			token: A.accessToken,
			json: { recipient: { id: '3333' }, message: { text: 'late' } },
		});
		expect(late.status).toBe(403);
		expect(dataOf(await control('GET', '/_sandbox/rejected'))).toMatchObject([
			{ recipientId: '3333', status: 403, error: { code: 10, error_subcode: 2534022 } },
		]);

		// a DM placed in the past via agoMs
		const old = await control('POST', '/_sandbox/dm', {
			text: 'old',
			from: '4444',
			agoMs: 2 * HOUR_MS,
			deliver: false,
		});
		const oldTs = (old.json.event as { timestamp: number }).timestamp;
		expect(Math.abs(oldTs - ((clock.json.now as number) - 2 * HOUR_MS))).toBeLessThan(5000);
		expect(dataOf(await control('GET', '/_sandbox/conversations'))).toHaveLength(2);
		expect(old.json.delivery).toBeUndefined();

		// faults
		const fault = await control('POST', '/_sandbox/faults', {
			path: '/me$',
			status: 500,
			error: { code: 1, message: 'An unknown error has occurred.', is_transient: true },
			times: 'always',
		});
		expect(fault.status).toBe(200);
		expect(dataOf(await control('GET', '/_sandbox/faults'))).toHaveLength(1);
		expect((await graph(sandbox, 'GET', '/v23.0/me', { token: A.accessToken })).status).toBe(500);
		expect((await control('DELETE', '/_sandbox/faults')).status).toBe(200);
		expect(
			(await graph(sandbox, 'GET', '/v23.0/me', { token: A.accessToken, tokenIn: 'query' })).status,
		).toBe(200);

		// the request log has no secrets
		const requests = await control('GET', '/_sandbox/requests');
		expect(dataOf(requests).length).toBeGreaterThanOrEqual(4);
		expect(JSON.stringify(requests.json)).not.toContain(A.accessToken);
		const accounts = await control('GET', '/_sandbox/accounts');
		expect(JSON.stringify(accounts.json)).not.toContain(A.accessToken);
		expect(JSON.stringify(accounts.json)).not.toContain(B.metaAppSecret);
		expect(JSON.stringify(accounts.json)).toContain(A.igUserId);

		// reset clears records but keeps accounts and the webhook
		expect((await control('POST', '/_sandbox/reset')).status).toBe(200);
		expect(dataOf(await control('GET', '/_sandbox/sent'))).toEqual([]);
		expect(dataOf(await control('GET', '/_sandbox/rejected'))).toEqual([]);
		expect(dataOf(await control('GET', '/_sandbox/conversations'))).toEqual([]);
		expect((await graph(sandbox, 'GET', '/v23.0/me', { token: A.accessToken })).status).toBe(200);
		expect((await control('GET', '/_sandbox/webhook')).json.callbackUrl).toBe(receiver.url);
		expect(
			Math.abs(((await control('GET', '/_sandbox/clock')).json.now as number) - Date.now()),
		).toBeLessThan(5000);
	});

	it('refuses bad input with 400 and unknown endpoints with 404/405', async () => {
		expect((await control('POST', '/_sandbox/dm', {})).status).toBe(400);
		expect((await control('POST', '/_sandbox/dm', { text: 'x', account: 'nope' })).status).toBe(400);
		expect((await control('POST', '/_sandbox/faults', { status: 500 })).status).toBe(400);
		expect((await control('POST', '/_sandbox/faults', { path: '(', status: 500 })).status).toBe(400);
		expect((await control('POST', '/_sandbox/webhook', { callbackUrl: 'not a url' })).status).toBe(400);
		expect((await control('POST', '/_sandbox/dm', { text: 'x', signature: 'bogus' })).status).toBe(400);
		expect((await control('GET', '/_sandbox/nope')).status).toBe(404);
		expect((await control('PUT', '/_sandbox/sent')).status).toBe(405);
		const index = await control('GET', '/_sandbox');
		expect((index.json.endpoints as string[]).some((e) => e.startsWith('POST /_sandbox/dm'))).toBe(true);
	});

	it('reports an unreachable callback as 502 and logs the failed delivery', async () => {
		await control('POST', '/_sandbox/webhook', { callbackUrl: 'http://127.0.0.1:9/closed' });
		const r = await control('POST', '/_sandbox/dm', { text: 'x' });
		expect(r.status).toBe(502);
		const deliveries = dataOf(await control('GET', '/_sandbox/deliveries'));
		expect(deliveries[deliveries.length - 1]).toMatchObject({
			url: 'http://127.0.0.1:9/closed',
			error: expect.any(String),
		});
	});
});
