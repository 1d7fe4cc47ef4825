import { DAY_MS, HOUR_MS, MID_PREFIX, MetaSandbox, SANDBOX_DEFAULTS } from '../../../sandbox';
import { errorOf, graph } from './helpers';

const A = SANDBOX_DEFAULTS.instagram;
const B = SANDBOX_DEFAULTS.facebookPage;
const CUSTOMER = SANDBOX_DEFAULTS.customer.id;

describe('sandbox Graph: Send API', () => {
	let sandbox: MetaSandbox;

	beforeAll(async () => {
		sandbox = await MetaSandbox.start();
	});
	afterAll(async () => {
		await sandbox.stop();
	});
	beforeEach(() => sandbox.reset());

	/** The customer wrote `agoMs` ago to the account (no webhook delivery). */
	async function customerWrote(
		agoMs: number,
		account: 'instagram' | 'facebookPage' = 'instagram',
		from: string = CUSTOMER,
	): Promise<void> {
		await sandbox.customerSays({ text: 'hello', account, from, at: sandbox.now() - agoMs, deliver: false });
	}

	const sendA = (body: unknown, path = '/v23.0/me/messages') =>
		graph(sandbox, 'POST', path, { token: A.accessToken, json: body });
	const sendB = (body: unknown, path = `/v23.0/${B.pageId}/messages`) =>
		graph(sandbox, 'POST', path, { token: B.pageAccessToken, json: body });

	describe('success and the sent record', () => {
		it('flavour A: returns recipient_id + a fresh mid and records the send verbatim', async () => {
			await customerWrote(HOUR_MS);
			sandbox.clock.freeze();
			const body = { recipient: { id: CUSTOMER }, messaging_type: 'RESPONSE', message: { text: 'Hi there' } };
			const res = await sendA(body, `/v23.0/${A.igUserId}/messages`);
			expect(res.status).toBe(200);
			expect(res.json.recipient_id).toBe(CUSTOMER);
			const mid = res.json.message_id as string;
			expect(mid.startsWith(MID_PREFIX)).toBe(true);
			expect(mid.length).toBeGreaterThan(MID_PREFIX.length + 20);

			const [record, ...rest] = sandbox.sent();
			expect(rest).toEqual([]);
			expect(record).toMatchObject({
				at: sandbox.now(),
				accountId: A.igUserId,
				flavour: 'instagram',
				recipientId: CUSTOMER,
				messageId: mid,
				kind: 'message',
				text: 'Hi there',
				messagingType: 'RESPONSE',
				body,
			});
			expect(record?.tag).toBeUndefined();
			expect(sandbox.rejected()).toEqual([]);
			// appended to the conversation
			const conv = sandbox.conversation(CUSTOMER, 'instagram');
			expect(conv?.messages.map((m) => [m.direction, m.text])).toEqual([
				['inbound', 'hello'],
				['outbound', 'Hi there'],
			]);
			expect(conv?.messages[1]?.mid).toBe(mid);
		});

		it('message ids are unique', async () => {
			await customerWrote(0);
			const r1 = await sendA({ recipient: { id: CUSTOMER }, message: { text: 'one' } });
			const r2 = await sendA({ recipient: { id: CUSTOMER }, message: { text: 'two' } });
			expect(r1.json.message_id).not.toEqual(r2.json.message_id);
			expect(sandbox.sent().map((s) => s.seq)).toEqual(
				[...sandbox.sent().map((s) => s.seq)].sort((a, b) => a - b),
			);
		});

		it('flavour B: /{pageId}/messages and /me/messages with the Page token', async () => {
			await customerWrote(HOUR_MS, 'facebookPage');
			expect((await sendB({ recipient: { id: CUSTOMER }, message: { text: 'via page id' } })).status).toBe(
				200,
			);
			expect(
				(await sendB({ recipient: { id: CUSTOMER }, message: { text: 'via me' } }, '/v23.0/me/messages'))
					.status,
			).toBe(200);
			expect(
				sandbox.sent({ accountId: 'facebookPage' }).map((s) => [s.flavour, s.accountId, s.text]),
			).toEqual([
				['facebookPage', B.igUserId, 'via page id'],
				['facebookPage', B.igUserId, 'via me'],
			]);
			expect(sandbox.sent({ accountId: A.igUserId })).toEqual([]);
		});

		it('accepts a form-encoded body with JSON-stringified recipient/message, and does not record the token', async () => {
			await customerWrote(0);
			const res = await graph(sandbox, 'POST', '/v23.0/me/messages', {
				form: {
					access_token: A.accessToken,
					recipient: JSON.stringify({ id: CUSTOMER }),
					message: JSON.stringify({ text: 'form body' }),
				},
			});
			expect(res.status).toBe(200);
			expect(sandbox.sent()[0]?.body).toEqual({
				recipient: { id: CUSTOMER },
				message: { text: 'form body' },
			});
			expect(JSON.stringify(sandbox.sent())).not.toContain(A.accessToken);
		});

		it('attachment-only messages are accepted', async () => {
			await customerWrote(0);
			const res = await sendA({
				recipient: { id: CUSTOMER },
				message: { attachment: { type: 'image', payload: { url: 'https://cdn.example.com/a.jpg' } } },
			});
			expect(res.status).toBe(200);
			expect(sandbox.sent()[0]?.text).toBeUndefined();
		});

		it('sender actions answer only recipient_id and are recorded as such', async () => {
			await customerWrote(0);
			const res = await sendA({ recipient: { id: CUSTOMER }, sender_action: 'typing_on' });
			expect(res.status).toBe(200);
			expect(res.json).toEqual({ recipient_id: CUSTOMER });
			expect(sandbox.sent()[0]).toMatchObject({ kind: 'senderAction', senderAction: 'typing_on' });
			expect(sandbox.sent()[0]?.messageId).toBeUndefined();
		});
	});

	describe('validation', () => {
		beforeEach(() => customerWrote(0));

		it('1000 UTF-8 bytes of multi-byte text is accepted, 1001 bytes is refused', async () => {
			const twoByte = 'é'.repeat(500); // 1000 bytes, 500 chars
			expect(Buffer.byteLength(twoByte)).toBe(1000);
			const ok = await sendA({ recipient: { id: CUSTOMER }, message: { text: twoByte } });
			expect(ok.status).toBe(200);
			const emoji = '😀'.repeat(250); // 1000 bytes
			expect((await sendA({ recipient: { id: CUSTOMER }, message: { text: emoji } })).status).toBe(200);

			const tooLong = await sendA({ recipient: { id: CUSTOMER }, message: { text: twoByte + 'a' } });
			expect(tooLong.status).toBe(400);
			expect(errorOf(tooLong)).toMatchObject({
				code: 100,
				message: '(#100) Length of param message[text] must be less than or equal to 1000',
			});
			// bytes, not characters: 334 chars of 3 bytes each
			const euros = await sendA({ recipient: { id: CUSTOMER }, message: { text: '€'.repeat(334) } });
			expect(euros.status).toBe(400);
			expect(sandbox.sent()).toHaveLength(2);
			expect(sandbox.rejected()).toHaveLength(2);
			expect(sandbox.rejected()[0]?.error.code).toBe(100);
		});

		it('unknown or missing recipient.id → 100 / 2018001 No matching user found', async () => {
			const res = await sendA({ recipient: { id: '9999999999999999' }, message: { text: 'hi' } });
			expect(res.status).toBe(400);
			expect(errorOf(res)).toMatchObject({
				code: 100,
				error_subcode: 2018001,
				message: '(#100) No matching user found',
			});
			const missing = await sendA({ message: { text: 'hi' } });
			expect(errorOf(missing)).toMatchObject({ code: 100 });
			expect(sandbox.sent()).toEqual([]);
			expect(sandbox.rejected({ recipientId: '9999999999999999' })).toHaveLength(1);
		});

		it('IGSIDs are scoped per account: a customer of A is unknown to B', async () => {
			const res = await sendB({ recipient: { id: 'only-talks-to-a' }, message: { text: 'hi' } });
			await customerWrote(0, 'instagram', 'only-talks-to-a');
			expect(errorOf(res)).toMatchObject({ error_subcode: 2018001 });
			const again = await sendB({ recipient: { id: 'only-talks-to-a' }, message: { text: 'hi' } });
			expect(errorOf(again)).toMatchObject({ error_subcode: 2018001 });
		});

		it('a message with neither text nor attachment → 100', async () => {
			const res = await sendA({ recipient: { id: CUSTOMER }, message: {} });
			expect(res.status).toBe(400);
			expect(errorOf(res)).toMatchObject({
				code: 100,
				message: '(#100) Message cannot be empty, must provide valid attachment or text',
			});
			const none = await sendA({ recipient: { id: CUSTOMER } });
			expect(errorOf(none)).toMatchObject({ code: 100 });
		});

		it('a path id that is not the token’s account → 100 Unsupported post request (GraphMethodException)', async () => {
			for (const res of [
				await sendA({ recipient: { id: CUSTOMER }, message: { text: 'x' } }, `/v23.0/${B.pageId}/messages`),
				await sendA({ recipient: { id: CUSTOMER }, message: { text: 'x' } }, `/v23.0/${B.igUserId}/messages`),
				// flavour B addresses the Page, not the IG id (§3.1)
				await sendB({ recipient: { id: CUSTOMER }, message: { text: 'x' } }, `/v23.0/${B.igUserId}/messages`),
			]) {
				expect(res.status).toBe(400);
				const error = errorOf(res);
				expect(error).toMatchObject({ code: 100, type: 'GraphMethodException' });
				expect(error.message).toMatch(/^Unsupported post request/);
			}
			expect(sandbox.sent()).toEqual([]);
		});

		it('an unknown token on a send is rejected and recorded with no account', async () => {
			const res = await graph(sandbox, 'POST', '/v23.0/me/messages', {
				token: 'bad',
				json: { recipient: { id: CUSTOMER }, message: { text: 'x' } },
			});
			expect(errorOf(res)).toMatchObject({ code: 190 });
			expect(sandbox.rejected()).toMatchObject([
				{ status: 400, recipientId: CUSTOMER, error: { code: 190 } },
			]);
			expect(sandbox.rejected()[0]?.accountId).toBeUndefined();
		});
	});

	describe('messaging window (§3.2)', () => {
		const text = { recipient: { id: CUSTOMER }, message: { text: 'hello again' } };
		const humanAgent = { ...text, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };

		it('23 h after the last inbound: ok', async () => {
			await customerWrote(23 * HOUR_MS);
			expect((await sendA(text)).status).toBe(200);
		});

		it('flavour A, 25 h: 403 IGApiException 10 / 2534022, nothing sent', async () => {
			await customerWrote(25 * HOUR_MS);
			const res = await sendA(text);
			expect(res.status).toBe(403);
			expect(errorOf(res)).toMatchObject({
				message: '(#10) This message is sent outside of allowed window.',
				type: 'IGApiException',
				code: 10,
				error_subcode: 2534022,
			});
			expect(sandbox.sent()).toEqual([]);
			expect(sandbox.rejected()).toMatchObject([
				{ accountId: A.igUserId, flavour: 'instagram', status: 403, error: { error_subcode: 2534022 } },
			]);
		});

		it('flavour B, 25 h: 400 OAuthException 10 / 2018278', async () => {
			await customerWrote(25 * HOUR_MS, 'facebookPage');
			const res = await sendB(text);
			expect(res.status).toBe(400);
			expect(errorOf(res)).toMatchObject({ type: 'OAuthException', code: 10, error_subcode: 2018278 });
			expect(sandbox.sent()).toEqual([]);
		});

		it('25 h with HUMAN_AGENT: ok (with MESSAGE_TAG, and tag alone)', async () => {
			await customerWrote(25 * HOUR_MS);
			expect((await sendA(humanAgent)).status).toBe(200);
			expect((await sendA({ ...text, tag: 'HUMAN_AGENT' })).status).toBe(200);
			expect(sandbox.sent().map((s) => [s.tag, s.messagingType])).toEqual([
				['HUMAN_AGENT', 'MESSAGE_TAG'],
				['HUMAN_AGENT', undefined],
			]);
		});

		it('25 h with another tag or HUMAN_AGENT under messaging_type RESPONSE: refused', async () => {
			await customerWrote(25 * HOUR_MS);
			expect(
				errorOf(await sendA({ ...text, messaging_type: 'MESSAGE_TAG', tag: 'ACCOUNT_UPDATE' })),
			).toMatchObject({ code: 10 });
			expect(errorOf(await sendA({ ...text, messaging_type: 'RESPONSE', tag: 'HUMAN_AGENT' }))).toMatchObject(
				{ code: 10 },
			);
		});

		it('8 days with HUMAN_AGENT: refused (both flavours)', async () => {
			await customerWrote(8 * DAY_MS);
			await customerWrote(8 * DAY_MS, 'facebookPage');
			expect(errorOf(await sendA(humanAgent))).toMatchObject({ code: 10, error_subcode: 2534022 });
			expect(errorOf(await sendB(humanAgent))).toMatchObject({ code: 10, error_subcode: 2018278 });
		});

		it('a known customer who never wrote: refused', async () => {
			const res = await sendA(text);
			expect(errorOf(res)).toMatchObject({ code: 10, error_subcode: 2534022 });
		});

		it('exact boundaries with a frozen clock: 24 h ok, 24 h + 1 ms refused; 7 d ok with tag, 7 d + 1 ms refused', async () => {
			const now = sandbox.clock.freeze();
			await sandbox.customerSays({ text: 'x', at: now - 24 * HOUR_MS, deliver: false });
			expect((await sendA(text)).status).toBe(200);
			sandbox.clock.advance(1);
			expect((await sendA(text)).status).toBe(403);
			sandbox.clock.advance(6 * DAY_MS - 1);
			expect((await sendA(humanAgent)).status).toBe(200);
			sandbox.clock.advance(1);
			expect((await sendA(humanAgent)).status).toBe(403);
		});

		it('advancing the clock closes the window; a new inbound reopens it', async () => {
			await customerWrote(0);
			sandbox.clock.advance(25 * HOUR_MS);
			expect((await sendA(text)).status).toBe(403);
			await customerWrote(0);
			expect((await sendA(text)).status).toBe(200);
		});

		it('MESSAGE_TAG without tag → 100', async () => {
			await customerWrote(0);
			expect(errorOf(await sendA({ ...text, messaging_type: 'MESSAGE_TAG' }))).toMatchObject({ code: 100 });
		});
	});

	it('config.now drives the clock', async () => {
		const fixed = await MetaSandbox.start({ now: () => 1_760_000_000_000 });
		try {
			expect(fixed.now()).toBe(1_760_000_000_000);
			fixed.clock.advance(5);
			expect(fixed.now()).toBe(1_760_000_000_005);
			fixed.clock.set(1_000);
			expect(fixed.now()).toBe(1_000);
		} finally {
			await fixed.stop();
		}
	});
});
