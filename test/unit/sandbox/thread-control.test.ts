import { HOUR_MS, MetaSandbox, SANDBOX_DEFAULTS } from '../../../sandbox';
import { FACEBOOK_PAGE_INBOX_APP_ID, INSTAGRAM_INBOX_APP_ID } from '../../../sandbox/graph/threadControl';
import { CaptureServer, errorOf, graph } from './helpers';

const A = SANDBOX_DEFAULTS.instagram;
const B = SANDBOX_DEFAULTS.facebookPage;
const CUSTOMER = SANDBOX_DEFAULTS.customer.id;
const THIS_APP = A.instagramAppId;
const INBOX = INSTAGRAM_INBOX_APP_ID;

describe('sandbox Graph: Conversation Routing / handover (§6)', () => {
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
	});

	const postA = (path: string, body: unknown) =>
		graph(sandbox, 'POST', `/v23.0/me/${path}`, { token: A.accessToken, json: body });
	const ownerA = (customer: string = CUSTOMER) =>
		graph(sandbox, 'GET', `/v23.0/me/thread_owner?recipient=${customer}`, { token: A.accessToken });
	const sendA = (text = 'Hi') =>
		postA('messages', { recipient: { id: CUSTOMER }, messaging_type: 'RESPONSE', message: { text } });
	/** Webhook bodies the receiver got, parsed. */
	const received = () =>
		receiver.requests.map(
			(r) => JSON.parse(r.raw.toString('utf8')) as { entry: Array<Record<string, unknown>> },
		);

	it('a thread belongs to this app (the primary) until passed', async () => {
		const res = await ownerA();
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ data: [{ thread_owner: { app_id: THIS_APP } }] });
		expect(sandbox.threadOwner()).toBe(THIS_APP);
	});

	it('pass → inbox owns the thread, sends fail with 10/2018300 and are recorded as rejected', async () => {
		const pass = await postA('pass_thread_control', {
			recipient: { id: CUSTOMER },
			target_app_id: INBOX,
			metadata: 'escalated',
		});
		expect(pass.status).toBe(200);
		expect(pass.json).toEqual({ success: true });
		expect((await ownerA()).json).toEqual({ data: [{ thread_owner: { app_id: INBOX } }] });

		const send = await sendA();
		expect(send.status).toBe(400);
		expect(errorOf(send)).toMatchObject({ code: 10, error_subcode: 2018300, type: 'OAuthException' });
		expect(sandbox.sent()).toEqual([]);
		expect(sandbox.rejected()).toHaveLength(1);
		expect(sandbox.rejected()[0]?.error.error_subcode).toBe(2018300);
	});

	it('take by the primary app gets the thread back and sends work again', async () => {
		await postA('pass_thread_control', { recipient: { id: CUSTOMER }, target_app_id: INBOX });
		const take = await postA('take_thread_control', { recipient: { id: CUSTOMER }, metadata: 'bot resumes' });
		expect(take.json).toEqual({ success: true });
		expect(sandbox.threadOwner()).toBe(THIS_APP);
		expect((await sendA()).status).toBe(200);
	});

	it('pass without target_app_id goes to the Instagram Inbox; unknown target apps and passing to oneself are refused', async () => {
		const unknown = await postA('pass_thread_control', { recipient: { id: CUSTOMER }, target_app_id: '123' });
		expect(unknown.status).toBe(400);
		expect(errorOf(unknown).code).toBe(100);
		const self = await postA('pass_thread_control', { recipient: { id: CUSTOMER }, target_app_id: THIS_APP });
		expect(errorOf(self).code).toBe(100);
		expect(sandbox.threadOwner()).toBe(THIS_APP);

		expect((await postA('pass_thread_control', { recipient: { id: CUSTOMER } })).json).toEqual({
			success: true,
		});
		expect(sandbox.threadOwner()).toBe(INBOX);
	});

	it('apps added to the account are valid targets', async () => {
		sandbox.state.threads.addApp(sandbox.instagram, '555000000000001');
		expect(
			(await postA('pass_thread_control', { recipient: { id: CUSTOMER }, target_app_id: '555000000000001' }))
				.status,
		).toBe(200);
		expect(sandbox.threadOwner()).toBe('555000000000001');
	});

	it('only the owner may pass or release; only the primary app may take', async () => {
		await postA('pass_thread_control', { recipient: { id: CUSTOMER }, target_app_id: INBOX });
		const again = await postA('pass_thread_control', {
			recipient: { id: CUSTOMER },
			target_app_id: FACEBOOK_PAGE_INBOX_APP_ID,
		});
		expect(errorOf(again)).toMatchObject({ code: 10, error_subcode: 2018300 });
		const release = await postA('release_thread_control', { recipient: { id: CUSTOMER } });
		expect(errorOf(release)).toMatchObject({ code: 10, error_subcode: 2018300 });

		sandbox.state.threads.setPrimary(sandbox.instagram, INBOX);
		const take = await postA('take_thread_control', { recipient: { id: CUSTOMER } });
		expect(take.status).toBe(400);
		expect(errorOf(take).code).toBe(10);
		expect(sandbox.threadOwner()).toBe(INBOX);
	});

	it('release by the primary app leaves the thread idle: thread_owner is empty and anyone may send', async () => {
		expect((await postA('release_thread_control', { recipient: { id: CUSTOMER } })).json).toEqual({
			success: true,
		});
		expect((await ownerA()).json).toEqual({ data: [] });
		expect(sandbox.threadOwner()).toBeNull();
		expect((await sendA()).status).toBe(200);
	});

	it('request records the request without changing the owner', async () => {
		await postA('pass_thread_control', { recipient: { id: CUSTOMER }, target_app_id: INBOX });
		expect(
			(await postA('request_thread_control', { recipient: { id: CUSTOMER }, metadata: 'please' })).json,
		).toEqual({ success: true });
		expect(sandbox.threadOwner()).toBe(INBOX);
		expect(sandbox.state.threads.requests).toMatchObject([
			{ action: 'request', byAppId: THIS_APP, previousOwner: INBOX, metadata: 'please' },
		]);
	});

	it('validates the recipient, metadata and the path id like Meta', async () => {
		expect(errorOf(await postA('pass_thread_control', { target_app_id: INBOX })).code).toBe(100);
		expect(
			errorOf(await postA('pass_thread_control', { recipient: { id: '9999' }, target_app_id: INBOX }))
				.error_subcode,
		).toBe(2018001);
		expect(
			errorOf(await postA('take_thread_control', { recipient: { id: CUSTOMER }, metadata: 'x'.repeat(1001) }))
				.code,
		).toBe(100);
		expect(errorOf(await ownerA('9999')).error_subcode).toBe(2018001);
		const missing = await graph(sandbox, 'GET', '/v23.0/me/thread_owner', { token: A.accessToken });
		expect(errorOf(missing).code).toBe(100);
		const other = await graph(sandbox, 'POST', '/v23.0/12345/take_thread_control', {
			token: A.accessToken,
			json: { recipient: { id: CUSTOMER } },
		});
		expect(errorOf(other)).toMatchObject({ code: 100, error_subcode: 33 });
	});

	it('flavour B: the Page id works as self, this app is the Meta app', async () => {
		await sandbox.customerSays({ text: 'hi', account: 'facebookPage', at: sandbox.now(), deliver: false });
		const res = await graph(sandbox, 'POST', `/v23.0/${B.pageId}/pass_thread_control`, {
			token: B.pageAccessToken,
			form: { recipient: JSON.stringify({ id: CUSTOMER }), target_app_id: INBOX },
		});
		expect(res.json).toEqual({ success: true });
		expect(sandbox.threadOwner(CUSTOMER, 'facebookPage')).toBe(INBOX);
		expect(sandbox.threadOwner(CUSTOMER, 'instagram')).toBe(THIS_APP);
		sandbox.reset();
		expect(sandbox.threadOwner(CUSTOMER, 'facebookPage')).toBe(B.metaAppId);
	});

	describe('webhooks', () => {
		beforeEach(() => sandbox.setWebhook({ callbackUrl: receiver.url }));

		it('pass and take emit pass_thread_control / take_thread_control in messaging[]', async () => {
			await postA('pass_thread_control', {
				recipient: { id: CUSTOMER },
				target_app_id: INBOX,
				metadata: 'escalated',
			});
			await sandbox.flush(); // deliveries run in the background: one at a time keeps the order
			await postA('take_thread_control', { recipient: { id: CUSTOMER } });
			await sandbox.flush();
			await receiver.waitFor(2);
			const [pass, take] = received();
			expect(pass?.entry[0]?.id).toBe(A.igUserId);
			expect(pass?.entry[0]?.messaging).toEqual([
				{
					sender: { id: CUSTOMER },
					recipient: { id: A.igUserId },
					timestamp: expect.any(Number),
					pass_thread_control: {
						previous_owner_app_id: THIS_APP,
						new_owner_app_id: INBOX,
						metadata: 'escalated',
					},
				},
			]);
			expect(take?.entry[0]?.messaging).toEqual([
				expect.objectContaining({
					take_thread_control: { previous_owner_app_id: INBOX, new_owner_app_id: THIS_APP },
				}),
			]);
		});

		it('while the inbox holds the thread, customer messages arrive under standby[]; after the inbox releases, under messaging[]', async () => {
			await postA('pass_thread_control', { recipient: { id: CUSTOMER }, target_app_id: INBOX });
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
				'messaging:pass_thread_control',
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
		await postA('pass_thread_control', { recipient: { id: CUSTOMER }, target_app_id: INBOX });
		await sandbox.flush();
		expect(sandbox.deliveries()).toEqual([]);
	});
});
