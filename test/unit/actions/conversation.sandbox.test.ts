/**
 * Conversation and User operations against the Meta sandbox (loopback, real HTTP through n8n-core),
 * with the sandbox enforcing Meta's 2 calls/s Conversations API limit.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { parseWebhookPayload, toItemJson } from '../../../nodes/InstagramMessaging/events';
import { echoEvent, envelopeFor, MetaSandbox, SANDBOX_DEFAULTS } from '../../../sandbox';
import { conversationIdFor } from '../../../sandbox/state';
import { actionNode, runWorkflow } from '../harness';
import { graph } from '../sandbox/helpers';

jest.setTimeout(30_000);

const A = SANDBOX_DEFAULTS.instagram;
const CUSTOMER = SANDBOX_DEFAULTS.customer.id;
const OTHER = '2222222222222222';
const NODE = 'Instagram Messaging';
const MIN = 60_000;

describe('Conversation and User operations against the sandbox', () => {
	let sandbox: MetaSandbox;
	let credentials: Record<string, ICredentialDataDecryptedObject>;
	let t0: number;
	const triggerItems: IDataObject[] = [];

	beforeAll(async () => {
		sandbox = await MetaSandbox.start();
		credentials = {
			instagramLoginApi: {
				accessToken: A.accessToken,
				appSecret: A.instagramAppSecret,
				apiBaseUrl: sandbox.url,
			},
		};
	});
	afterAll(async () => {
		await sandbox.stop();
	});
	beforeEach(async () => {
		sandbox.reset();
		sandbox.state.setConversationsRateLimit(2);
		// whole seconds: the Conversations API reports times to the second
		t0 = Math.floor(sandbox.now() / 1000) * 1000;
		sandbox.clock.freeze(t0);
		sandbox.addCustomer({ id: OTHER, username: 'other_customer' });
		triggerItems.length = 0;
		const said = async (from: string, text: string, at: number) => {
			const { payload } = await sandbox.customerSays({ from, text, at, deliver: false });
			triggerItems.push(toItemJson(parseWebhookPayload(payload).events[0], { includeRaw: false }));
		};
		await said(CUSTOMER, 'Is the blue one in stock?', t0 - 30 * MIN);
		await said(OTHER, 'hello', t0 - 20 * MIN);
		const sent = await graph(sandbox, 'POST', '/v26.0/me/messages', {
			token: A.accessToken,
			json: { recipient: { id: CUSTOMER }, message: { text: 'Yes, it is!' } },
		});
		const echo = echoEvent({
			accountId: A.igUserId,
			customerId: CUSTOMER,
			mid: sent.json.message_id as string,
			text: 'Yes, it is!',
			timestamp: t0,
		});
		triggerItems.push(
			toItemJson(parseWebhookPayload(envelopeFor(A.igUserId, [echo])).events[0], { includeRaw: false }),
		);
	});

	const run = async (parameters: INodeParameters, input = [{ json: {} }], extra = {}) =>
		await runWorkflow({ nodes: [actionNode(parameters, extra)], credentials, input });

	/** Conversations API requests that Meta's throttling refused. */
	const throttled = () =>
		sandbox
			.requests()
			.filter((r) => r.status === 400 && /conversations|messages$|^\/v26\.0\/[^/]+$/.test(r.path));

	it('Get Many, Get (by customer), Get Messages (Limit 1 and all), Backfill and Get Profile, never throttled', async () => {
		const many = await run({ resource: 'conversation', operation: 'getMany', returnAll: true });
		expect(many.output(NODE).map((i) => i.json)).toEqual([
			{
				id: conversationIdFor(A.igUserId, CUSTOMER),
				updatedTime: new Date(t0).toISOString(),
				customerId: CUSTOMER,
				customerUsername: SANDBOX_DEFAULTS.customer.username,
			},
			{
				id: conversationIdFor(A.igUserId, OTHER),
				updatedTime: new Date(t0 - 20 * MIN).toISOString(),
				customerId: OTHER,
				customerUsername: 'other_customer',
			},
		]);

		const one = await run({
			resource: 'conversation',
			operation: 'get',
			findBy: 'customer',
			customerId: CUSTOMER,
			messageCount: 5,
		});
		const conversation = one.output(NODE)[0].json;
		expect(conversation.customerId).toBe(CUSTOMER);
		expect((conversation.messages as IDataObject[]).map((m) => [m.direction, m.text])).toEqual([
			['outbound', 'Yes, it is!'],
			['inbound', 'Is the blue one in stock?'],
		]);

		const rl = { __rl: true, mode: 'id', value: conversationIdFor(A.igUserId, CUSTOMER) };
		const latest = await run({
			resource: 'conversation',
			operation: 'getMessages',
			conversationId: rl,
			limit: 1,
		});
		expect(latest.output(NODE).map((i) => i.json.text)).toEqual(['Yes, it is!']);
		const all = await run({
			resource: 'conversation',
			operation: 'getMessages',
			conversationId: rl,
			returnAll: true,
			simplify: false,
		});
		expect(all.output(NODE).map((i) => i.json.message)).toEqual(['Yes, it is!', 'Is the blue one in stock?']);

		const backfill = await run({
			resource: 'conversation',
			operation: 'backfill',
			since: new Date(t0 - 60 * MIN).toISOString(),
		});
		expect(backfill.output(NODE).map((i) => i.json)).toEqual(triggerItems);

		const profile = await run({ resource: 'user', operation: 'getProfile', userId: CUSTOMER });
		expect(profile.output(NODE)[0].json).toMatchObject({
			id: CUSTOMER,
			username: SANDBOX_DEFAULTS.customer.username,
			followerCount: 0,
		});

		expect(throttled()).toEqual([]);
	});

	it('Meta details only the 20 newest messages: Get Messages and Backfill stop there and never invent a new message', async () => {
		sandbox.state.setConversationsRateLimit(50);
		for (let i = 0; i < 24; i++) {
			await sandbox.customerSays({
				from: OTHER,
				text: `message ${i}`,
				at: t0 - (60 - i) * MIN,
				deliver: false,
			});
		}
		const rl = { __rl: true, mode: 'id', value: conversationIdFor(A.igUserId, OTHER) };
		for (const simplify of [true, false]) {
			const all = await run({
				resource: 'conversation',
				operation: 'getMessages',
				conversationId: rl,
				returnAll: true,
				simplify,
			});
			const texts = all.output(NODE).map((i) => (simplify ? i.json.text : i.json.message));
			expect(texts).toHaveLength(20);
			expect(texts[0]).toBe('hello');
			expect(texts[19]).toBe('message 5');
		}
		const backfill = await run({
			resource: 'conversation',
			operation: 'backfill',
			since: new Date(t0 - 120 * MIN).toISOString(),
			options: { customerId: OTHER },
		});
		const items = backfill.output(NODE).map((i) => i.json);
		expect(items).toHaveLength(20);
		expect(items.every((item) => item.customerId === OTHER && item.eventType === 'message')).toBe(true);
		// Nothing stamped with the time of the run: every item keeps the message's own time.
		expect(Math.max(...items.map((item) => item.timestampMs as number))).toBe(t0 - 20 * MIN);
		expect(items[0].text).toBe('message 5');
	});

	it("spacing and retry get a workflow through a stricter limit: Meta's 613 is retried, not surfaced", async () => {
		sandbox.state.setConversationsRateLimit(1);
		const { output } = await run({ resource: 'conversation', operation: 'getMany', limit: 1 }, [
			{ json: {} },
			{ json: {} },
			{ json: {} },
		]);
		expect(output(NODE)).toHaveLength(3);
		expect(output(NODE).every((i) => i.json.customerId === CUSTOMER)).toBe(true);
		expect(throttled().length).toBeGreaterThan(0);
	});

	it('surfaces the consent rule for someone who never messaged, and 36103 for a non-eligible account', async () => {
		sandbox.addCustomer({ id: '3333333333333333', username: 'commenter' });
		const consent = await run({
			resource: 'user',
			operation: 'getProfile',
			userId: '3333333333333333',
			options: { fallbackToBasicFields: true },
		});
		expect(consent.error(NODE)?.message).toBe(
			'This person has not messaged the account, so Instagram does not share their profile',
		);

		sandbox.state.setAccountOptions(A.igUserId, { messagingNotAvailable: true });
		const ineligible = await run({ resource: 'conversation', operation: 'getMany', returnAll: true });
		expect(ineligible.error(NODE)?.message).toBe('Instagram messaging is not available for this account');
	});

	it('falls back to the basic profile fields when the sandbox refuses the extended ones', async () => {
		sandbox.state.setProfile(A.igUserId, CUSTOMER, { refuseExtendedFields: true });
		const { output } = await run({
			resource: 'user',
			operation: 'getProfile',
			userId: CUSTOMER,
			options: { fallbackToBasicFields: true },
		});
		expect(output(NODE)[0].json).toMatchObject({
			username: SANDBOX_DEFAULTS.customer.username,
			followerCount: null,
			basicFieldsOnly: true,
		});
	});
});
