import { HOUR_MS, MetaSandbox, SANDBOX_DEFAULTS } from '../../../sandbox';
import { FACEBOOK_PAGE_INBOX_APP_ID, INSTAGRAM_INBOX_APP_ID } from '../../../sandbox/state/threadOwnership';
import { CaptureServer, errorOf, graph } from './helpers';

const A = SANDBOX_DEFAULTS.instagram;
const B = SANDBOX_DEFAULTS.facebookPage;
const CUSTOMER = SANDBOX_DEFAULTS.customer.id;
const THIS_APP = A.instagramAppId;
/** Conversation Routing is served for the Facebook Page setup: "this app" is the Meta app. */
const PAGE_APP = B.metaAppId;
const INBOX = INSTAGRAM_INBOX_APP_ID;

describe('sandbox Graph: Conversation Routing (Conversation Control APIs, Jul 2026)', () => {
	let sandbox: MetaSandbox;
	let receiver: CaptureServer;

	beforeAll(async () => {
		receiver = await CaptureServer.start();
		sandbox = await MetaSandbox.start();
	});
	afterAll(async () => {
		await sandbox.stop();
		await receiver.stop();
	});
	beforeEach(async () => {
		sandbox.reset();
		sandbox.clearWebhook();
		receiver.requests.length = 0;
		await sandbox.customerSays({ text: 'hello', at: sandbox.now() - HOUR_MS, deliver: false });
		await sandbox.customerSays({
			text: 'hello',
			account: 'facebookPage',
			at: sandbox.now() - HOUR_MS,
			deliver: false,
		});
	});

	const sendA = (text = 'Hi') =>
		graph(sandbox, 'POST', '/v23.0/me/messages', {
			token: A.accessToken,
			json: { recipient: { id: CUSTOMER }, messaging_type: 'RESPONSE', message: { text } },
		});
	const postB = (path: string, body: unknown) =>
		graph(sandbox, 'POST', `/v23.0/me/${path}`, { token: B.pageAccessToken, json: body });
	const ownerB = (customer: string = CUSTOMER) =>
		graph(sandbox, 'GET', `/v23.0/me/thread_owner?recipient=${customer}`, { token: B.pageAccessToken });
	const sendB = (text = 'Hi') =>
		postB('messages', { recipient: { id: CUSTOMER }, messaging_type: 'RESPONSE', message: { text } });
	const ownerOfB = () => sandbox.threadOwner(CUSTOMER, 'facebookPage');
	/** The inbox lets the Page's thread go idle (no owner). */
	const inboxLeavesIdle = () =>
		sandbox.state.threads.force(
			sandbox.facebookPage,
			CUSTOMER,
			'release',
			INBOX,
			null,
			undefined,
			sandbox.now(),
		);
	/** Webhook bodies the receiver got, parsed. */
	const received = () =>
		receiver.requests.map(
			(r) => JSON.parse(r.raw.toString('utf8')) as { entry: Array<Record<string, unknown>> },
		);

	it('a thread belongs to this app (the default app) until passed; thread_owner gives app_id and expiration', async () => {
		const res = await ownerB();
		expect(res.status).toBe(200);
		expect(res.json).toEqual({
			data: [{ thread_owner: { app_id: PAGE_APP, expiration: expect.any(Number) } }],
		});
		expect(ownerOfB()).toBe(PAGE_APP);
	});

	it('Instagram Login: no thread-control edge on graph.instagram.com (Meta documents them for the Page only)', async () => {
		for (const edge of [
			'pass_thread_control',
			'take_thread_control',
			'release_thread_control',
			'request_thread_control',
		]) {
			const res = await graph(sandbox, 'POST', `/v23.0/me/${edge}`, {
				token: A.accessToken,
				json: { recipient: { id: CUSTOMER }, target_app_id: INBOX },
			});
			expect(res.status).toBe(400);
			expect(errorOf(res)).toMatchObject({ code: 2500, message: `Unknown path components: /${edge}` });
		}
		const owner = await graph(sandbox, 'GET', `/v23.0/me/thread_owner?recipient=${CUSTOMER}`, {
			token: A.accessToken,
		});
		expect(errorOf(owner).code).toBe(2500);
		expect(sandbox.threadOwner(CUSTOMER, 'instagram')).toBe(THIS_APP);
	});

	it('pass → inbox owns the thread, sends fail with 10/2018300 and are recorded as rejected', async () => {
		const pass = await postB('pass_thread_control', {
			recipient: { id: CUSTOMER },
			target_app_id: INBOX,
			metadata: 'escalated',
		});
		expect(pass.status).toBe(200);
		expect(pass.json).toEqual({ success: true });
		expect((await ownerB()).json).toEqual({
			data: [{ thread_owner: { app_id: INBOX, expiration: expect.any(Number) } }],
		});

		const send = await sendB();
		expect(send.status).toBe(400);
		expect(errorOf(send)).toMatchObject({ code: 10, error_subcode: 2018300, type: 'OAuthException' });
		expect(sandbox.sent()).toEqual([]);
		expect(sandbox.rejected()).toHaveLength(1);
		expect(sandbox.rejected()[0]?.error.error_subcode).toBe(2018300);
	});

	it('an app that is neither owner nor default app learns only the expiration; an idle thread gives an empty answer', async () => {
		sandbox.state.threads.setPrimary(sandbox.facebookPage, INBOX);
		await sandbox.inboxTakes({ account: 'facebookPage' });
		expect((await ownerB()).json).toEqual({ data: [{ thread_owner: { expiration: expect.any(Number) } }] });
		inboxLeavesIdle();
		expect((await ownerB()).json).toEqual({ data: [] });
	});

	it('take by the default app gets the thread back and sends work again', async () => {
		await postB('pass_thread_control', { recipient: { id: CUSTOMER }, target_app_id: INBOX });
		const take = await postB('take_thread_control', { recipient: { id: CUSTOMER }, metadata: 'bot resumes' });
		expect(take.json).toEqual({ success: true });
		expect(ownerOfB()).toBe(PAGE_APP);
		expect((await sendB()).status).toBe(200);
	});

	it('without Conversation Routing: take fails with error 27, request works and an idle thread goes to the caller', async () => {
		sandbox.state.threads.setRouting(sandbox.facebookPage, false);
		await postB('pass_thread_control', { recipient: { id: CUSTOMER }, target_app_id: INBOX });
		const take = await postB('take_thread_control', { recipient: { id: CUSTOMER } });
		expect(take.status).toBe(400);
		expect(errorOf(take)).toMatchObject({
			code: 27,
			message: '(#27) Take thread control is not supported when Conversation Routing is not enabled.',
		});
		expect(ownerOfB()).toBe(INBOX);

		expect((await postB('request_thread_control', { recipient: { id: CUSTOMER } })).json).toEqual({
			success: true,
		});
		expect(ownerOfB()).toBe(INBOX);
		inboxLeavesIdle();
		await postB('request_thread_control', { recipient: { id: CUSTOMER } });
		expect(ownerOfB()).toBe(PAGE_APP);
	});

	it('thread_control in the Send API: pass or release with the message; checked before anything is sent', async () => {
		const send = (extra: Record<string, unknown>, token: string = B.pageAccessToken) =>
			graph(sandbox, 'POST', '/v23.0/me/messages', {
				token,
				json: { recipient: { id: CUSTOMER }, message: { text: 'One moment' }, ...extra },
			});
		const onLogin = await send({ thread_control: { app_id: INBOX, control_type: 'pass' } }, A.accessToken);
		expect(onLogin.status).toBe(400);
		const unknownApp = await send({ thread_control: { app_id: '123', control_type: 'pass' } });
		expect(errorOf(unknownApp).code).toBe(100);
		const release = await send({ thread_control: { app_id: INBOX, control_type: 'release' } });
		expect(release.status).toBe(200); // this app owns the thread: release leaves it idle
		expect(ownerOfB()).toBeNull();
		sandbox.state.threads.setRouting(sandbox.facebookPage, false);
		expect((await send({ thread_control: { app_id: INBOX, control_type: 'pass' } })).status).toBe(400);
		expect(sandbox.sent()).toHaveLength(1);
		sandbox.state.threads.setRouting(sandbox.facebookPage, true);
		const pass = await send({ thread_control: { app_id: INBOX, control_type: 'pass' } });
		expect(pass.json).toEqual({ recipient_id: CUSTOMER, message_id: expect.any(String) });
		expect(ownerOfB()).toBe(INBOX);
	});

	it('with Conversation Routing, request_thread_control is refused', async () => {
		const request = await postB('request_thread_control', { recipient: { id: CUSTOMER } });
		expect(request.status).toBe(400);
		expect(errorOf(request).code).toBe(100);
		expect(sandbox.state.threads.requests).toEqual([]);
	});

	it('pass without target_app_id goes to the Instagram Inbox; unknown target apps and passing to oneself are refused', async () => {
		const unknown = await postB('pass_thread_control', { recipient: { id: CUSTOMER }, target_app_id: '123' });
		expect(unknown.status).toBe(400);
		expect(errorOf(unknown).code).toBe(100);
		const self = await postB('pass_thread_control', { recipient: { id: CUSTOMER }, target_app_id: PAGE_APP });
		expect(errorOf(self).code).toBe(100);
		expect(ownerOfB()).toBe(PAGE_APP);

		expect((await postB('pass_thread_control', { recipient: { id: CUSTOMER } })).json).toEqual({
			success: true,
		});
		expect(ownerOfB()).toBe(INBOX);
	});

	it('apps added to the account are valid targets', async () => {
		sandbox.state.threads.addApp(sandbox.facebookPage, '555000000000001');
		expect(
			(await postB('pass_thread_control', { recipient: { id: CUSTOMER }, target_app_id: '555000000000001' }))
				.status,
		).toBe(200);
		expect(ownerOfB()).toBe('555000000000001');
	});

	it('only the owner may pass or release; only the default app may take', async () => {
		await postB('pass_thread_control', { recipient: { id: CUSTOMER }, target_app_id: INBOX });
		const again = await postB('pass_thread_control', {
			recipient: { id: CUSTOMER },
			target_app_id: FACEBOOK_PAGE_INBOX_APP_ID,
		});
		expect(errorOf(again)).toMatchObject({ code: 100, error_subcode: 2534037 });
		const release = await postB('release_thread_control', { recipient: { id: CUSTOMER } });
		expect(errorOf(release)).toMatchObject({ code: 100, error_subcode: 2534037 });

		sandbox.state.threads.setPrimary(sandbox.facebookPage, INBOX);
		const take = await postB('take_thread_control', { recipient: { id: CUSTOMER } });
		expect(take.status).toBe(400);
		expect(errorOf(take).code).toBe(10);
		expect(ownerOfB()).toBe(INBOX);
	});

	it('release by the default app leaves the thread idle: thread_owner is empty and anyone may send', async () => {
		expect((await postB('release_thread_control', { recipient: { id: CUSTOMER } })).json).toEqual({
			success: true,
		});
		expect((await ownerB()).json).toEqual({ data: [] });
		expect(ownerOfB()).toBeNull();
		expect((await sendB()).status).toBe(200);
	});

	it('request (without routing) records the request without changing the owner', async () => {
		sandbox.state.threads.setRouting(sandbox.facebookPage, false);
		await postB('pass_thread_control', { recipient: { id: CUSTOMER }, target_app_id: INBOX });
		expect(
			(await postB('request_thread_control', { recipient: { id: CUSTOMER }, metadata: 'please' })).json,
		).toEqual({ success: true });
		expect(ownerOfB()).toBe(INBOX);
		expect(sandbox.state.threads.requests).toMatchObject([
			{ action: 'request', byAppId: PAGE_APP, previousOwner: INBOX, metadata: 'please' },
		]);
	});

	it('validates the recipient, metadata and the path id like Meta', async () => {
		expect(errorOf(await postB('pass_thread_control', { target_app_id: INBOX })).code).toBe(100);
		expect(
			errorOf(await postB('pass_thread_control', { recipient: { id: '9999' }, target_app_id: INBOX }))
				.error_subcode,
		).toBe(2018001);
		expect(
			errorOf(await postB('take_thread_control', { recipient: { id: CUSTOMER }, metadata: 'x'.repeat(1001) }))
				.code,
		).toBe(100);
		expect(errorOf(await ownerB('9999')).error_subcode).toBe(2018001);
		const missing = await graph(sandbox, 'GET', '/v23.0/me/thread_owner', { token: B.pageAccessToken });
		expect(errorOf(missing).code).toBe(100);
		const other = await graph(sandbox, 'POST', '/v23.0/12345/take_thread_control', {
			token: B.pageAccessToken,
			json: { recipient: { id: CUSTOMER } },
		});
		expect(errorOf(other)).toMatchObject({ code: 100, error_subcode: 33 });
	});

	it('the Page id works as self; threads of the two setups are apart', async () => {
		const res = await graph(sandbox, 'POST', `/v23.0/${B.pageId}/pass_thread_control`, {
			token: B.pageAccessToken,
			form: { recipient: JSON.stringify({ id: CUSTOMER }), target_app_id: INBOX },
		});
		expect(res.json).toEqual({ success: true });
		expect(ownerOfB()).toBe(INBOX);
		expect(sandbox.threadOwner(CUSTOMER, 'instagram')).toBe(THIS_APP);
		sandbox.reset();
		expect(ownerOfB()).toBe(B.metaAppId);
	});

	describe('webhooks', () => {
		beforeEach(() => sandbox.setWebhook({ callbackUrl: receiver.url }));

		it('pass and take emit pass_thread_control / take_thread_control in messaging[]', async () => {
			await postB('pass_thread_control', {
				recipient: { id: CUSTOMER },
				target_app_id: INBOX,
				metadata: 'escalated',
			});
			await sandbox.flush(); // deliveries run in the background: one at a time keeps the order
			await postB('take_thread_control', { recipient: { id: CUSTOMER } });
			await sandbox.flush();
			await receiver.waitFor(2);
			const [pass, take] = received();
			expect(pass?.entry[0]?.id).toBe(B.igUserId);
			expect(pass?.entry[0]?.messaging).toEqual([
				{
					sender: { id: CUSTOMER },
					recipient: { id: B.igUserId },
					timestamp: expect.any(Number),
					pass_thread_control: {
						previous_owner_app_id: PAGE_APP,
						new_owner_app_id: INBOX,
						metadata: 'escalated',
					},
				},
			]);
			expect(take?.entry[0]?.messaging).toEqual([
				expect.objectContaining({
					take_thread_control: { previous_owner_app_id: INBOX, new_owner_app_id: PAGE_APP },
				}),
			]);
		});

		it('while the inbox holds the thread, customer messages arrive under standby[]; after the inbox releases, under messaging[]', async () => {
			await sandbox.inboxTakes();
			await sandbox.flush();
			const standby = await sandbox.customerSays({ text: 'is anyone there?' });
			expect(standby.payload.entry[0]?.standby).toEqual([standby.event]);
			expect(standby.payload.entry[0]?.messaging).toBeUndefined();

			const change = await sandbox.inboxReleases({ metadata: 'done' });
			expect(change).toMatchObject({ action: 'pass', previousOwner: INBOX, newOwner: THIS_APP });
			expect(sandbox.threadOwner()).toBe(THIS_APP);
			const back = await sandbox.customerSays({ text: 'thanks' });
			expect(back.payload.entry[0]?.messaging).toEqual([back.event]);
			expect(back.payload.entry[0]?.standby).toBeUndefined();

			await receiver.waitFor(4);
			const kinds = received().map((b) => {
				const entry = b.entry[0] ?? {};
				const list = (entry.messaging ?? entry.standby) as Array<Record<string, unknown>>;
				return `${entry.messaging ? 'messaging' : 'standby'}:${Object.keys(list[0] ?? {}).filter((k) => !['sender', 'recipient', 'timestamp'].includes(k))[0]}`;
			});
			expect(kinds).toEqual([
				'messaging:take_thread_control',
				'standby:message',
				'messaging:pass_thread_control',
				'messaging:message',
			]);
			expect(received()[2]?.entry[0]?.messaging).toEqual([
				expect.objectContaining({
					pass_thread_control: { previous_owner_app_id: INBOX, new_owner_app_id: THIS_APP, metadata: 'done' },
				}),
			]);
		});

		it('inboxTakes moves the thread to the inbox (take_thread_control) and blocks sends', async () => {
			await sandbox.inboxTakes();
			expect(sandbox.threadOwner()).toBe(INBOX);
			await receiver.waitFor(1);
			expect(received()[0]?.entry[0]?.messaging).toEqual([
				expect.objectContaining({
					take_thread_control: { previous_owner_app_id: THIS_APP, new_owner_app_id: INBOX },
				}),
			]);
			expect(errorOf(await sendA()).error_subcode).toBe(2018300);
		});

		it('a take from idle sends no webhook (Meta: "no webhooks would be sent")', async () => {
			await postB('release_thread_control', { recipient: { id: CUSTOMER } });
			expect(ownerOfB()).toBeNull();
			expect((await postB('take_thread_control', { recipient: { id: CUSTOMER } })).json).toEqual({
				success: true,
			});
			expect(ownerOfB()).toBe(PAGE_APP);
			await sandbox.flush();
			expect(receiver.requests).toEqual([]);
		});

		it('inboxReleases fails when the inbox does not hold the thread', async () => {
			await expect(sandbox.inboxReleases()).rejects.toThrow(/thread owner/);
		});

		it('control API: /_sandbox/inbox/take, /_sandbox/thread-owner, /_sandbox/inbox/release', async () => {
			const take = await graph(sandbox, 'POST', '/_sandbox/inbox/take', { json: { customerId: CUSTOMER } });
			expect(take.status).toBe(200);
			expect((await graph(sandbox, 'GET', `/_sandbox/thread-owner?customerId=${CUSTOMER}`)).json).toEqual({
				ownerAppId: INBOX,
			});
			const release = await graph(sandbox, 'POST', '/_sandbox/inbox/release', {
				json: { customerId: CUSTOMER, metadata: 'resolved' },
			});
			expect(release.status).toBe(200);
			expect(release.json.change).toMatchObject({
				previousOwner: INBOX,
				newOwner: THIS_APP,
				metadata: 'resolved',
			});
			expect((await graph(sandbox, 'GET', '/_sandbox/thread-owner')).json).toEqual({ ownerAppId: THIS_APP });
			const again = await graph(sandbox, 'POST', '/_sandbox/inbox/release', { json: {} });
			expect(again.status).toBe(409);
		});
	});

	it('no webhook is attempted when no callback is configured', async () => {
		await postB('pass_thread_control', { recipient: { id: CUSTOMER }, target_app_id: INBOX });
		await sandbox.flush();
		expect(sandbox.deliveries()).toEqual([]);
	});
});
