import nock from 'nock';

import { searchConversations } from '../../../nodes/InstagramMessaging/methods/listSearch';
import {
	ACCOUNT,
	actionNode,
	CUSTOMER,
	GRAPH,
	instagramLoginCredentials,
	runWorkflow,
	TOKEN,
} from '../harness';
import {
	CONVERSATION,
	CUSTOMER_USERNAME,
	graphMessage,
	graphTime,
	loadOptionsContext,
	MESSAGE_FIELDS,
	participants,
	V,
} from './conversationHelpers';

jest.setTimeout(20_000);

const OTHER = '2222222222222222';
const CONVERSATION_2 = 'aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6Mg';
const T0 = Date.parse('2026-11-20T10:00:00Z');

function conversation(parameters: Record<string, unknown>, extra = {}) {
	return actionNode({ resource: 'conversation', ...parameters }, extra);
}

async function run(node: ReturnType<typeof conversation>, input = [{ json: {} }]) {
	return await runWorkflow({ nodes: [node], credentials: instagramLoginCredentials, input });
}

/** `/me?fields=user_id`: the business account id (for Simplify and direction). */
function meLookup() {
	return nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
		.get(`${V}/me`)
		.query({ fields: 'user_id' })
		.reply(200, { user_id: ACCOUNT, id: '27000000000000001' });
}

describe('Conversation → Get Many', () => {
	it('Limit 1: asks Meta for one conversation and flattens the participants', async () => {
		const list = nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get(`${V}/me/conversations`)
			.query({ platform: 'instagram', fields: 'id,updated_time,participants', limit: '1' })
			.reply(200, {
				data: [{ id: CONVERSATION, updated_time: graphTime(T0), participants: participants() }],
				paging: { cursors: { before: 'b0', after: 'a1' }, next: `${GRAPH}${V}/me/conversations?after=a1` },
			});
		const me = meLookup();
		const { output } = await run(conversation({ operation: 'getMany', returnAll: false, limit: 1 }));
		expect(output('Instagram Messaging')).toEqual([
			{
				json: {
					id: CONVERSATION,
					updatedTime: '2026-11-20T10:00:00.000Z',
					customerId: CUSTOMER,
					customerUsername: CUSTOMER_USERNAME,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(list.isDone() && me.isDone()).toBe(true);
	});

	it('Return All follows the cursor over two pages, spaced for the 2 calls/s limit, raw without Simplify', async () => {
		const at: number[] = [];
		const first = { id: CONVERSATION, updated_time: graphTime(T0), participants: participants() };
		const second = {
			id: CONVERSATION_2,
			updated_time: graphTime(T0 - 1000),
			participants: participants(OTHER, 'other'),
		};
		const scope = nock(GRAPH)
			.get(`${V}/me/conversations`)
			.query({ platform: 'instagram', fields: 'id,updated_time,participants', limit: '50' })
			.reply(() => {
				at.push(Date.now());
				return [200, { data: [first], paging: { cursors: { after: 'c1' }, next: 'https://next' } }];
			})
			.get(`${V}/me/conversations`)
			.query({ platform: 'instagram', fields: 'id,updated_time,participants', limit: '50', after: 'c1' })
			.reply(() => {
				at.push(Date.now());
				return [200, { data: [second], paging: { cursors: { after: 'c2' } } }];
			});
		const { output } = await run(conversation({ operation: 'getMany', returnAll: true, simplify: false }));
		expect(output('Instagram Messaging').map((item) => item.json)).toEqual([first, second]);
		expect(scope.isDone()).toBe(true);
		expect(at[1] - at[0]).toBeGreaterThanOrEqual(300);
	});

	it('filters by customer with user_id', async () => {
		const scope = nock(GRAPH)
			.get(`${V}/me/conversations`)
			.query({ platform: 'instagram', fields: 'id,updated_time,participants', limit: '50', user_id: OTHER })
			.reply(200, { data: [] });
		const { output } = await run(
			conversation({ operation: 'getMany', returnAll: true, filters: { customerId: OTHER } }),
		);
		expect(output('Instagram Messaging')).toEqual([]);
		expect(scope.isDone()).toBe(true);
	});

	it('keeps going with Continue On Fail: one good and one bad item, each paired', async () => {
		nock(GRAPH)
			.get(`${V}/me/conversations`)
			.query({ platform: 'instagram', fields: 'id,updated_time,participants', limit: '5', user_id: CUSTOMER })
			.reply(200, {
				data: [{ id: CONVERSATION, updated_time: graphTime(T0), participants: participants() }],
			});
		meLookup();
		const { output } = await run(
			conversation(
				{ operation: 'getMany', limit: 5, filters: { customerId: '={{ $json.customer }}' } },
				{ onError: 'continueRegularOutput' },
			),
			[{ json: { customer: CUSTOMER } }, { json: { customer: 'jane.doe' } }],
		);
		const items = output('Instagram Messaging');
		expect(items).toHaveLength(2);
		expect(items[0]).toEqual({
			json: {
				id: CONVERSATION,
				updatedTime: '2026-11-20T10:00:00.000Z',
				customerId: CUSTOMER,
				customerUsername: CUSTOMER_USERNAME,
			},
			pairedItem: { item: 0 },
		});
		expect(items[1].pairedItem).toEqual({ item: 1 });
		expect(items[1].json.error).toBe('Customer ID "jane.doe" is not an Instagram-scoped ID');
	});

	it('refuses to guess the account ID when /me has no user_id (Simplify needs it)', async () => {
		nock(GRAPH)
			.get(`${V}/me/conversations`)
			.query(true)
			.reply(200, {
				data: [{ id: CONVERSATION, updated_time: graphTime(T0), participants: participants() }],
			});
		nock(GRAPH).get(`${V}/me`).query({ fields: 'user_id' }).reply(200, { id: '27000000000000001' });
		const { error } = await run(conversation({ operation: 'getMany', returnAll: true }));
		expect(error('Instagram Messaging')?.message).toBe(
			'Could not read the Instagram account ID of the credential',
		);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('explains 36103 (messaging not available for the account) without retrying', async () => {
		const scope = nock(GRAPH)
			.get(`${V}/me/conversations`)
			.query(true)
			.reply(400, {
				error: {
					message: '(#36103) Instagram messaging is not available',
					code: 36103,
					type: 'OAuthException',
				},
			});
		const { error } = await run(conversation({ operation: 'getMany', returnAll: true }));
		expect(error('Instagram Messaging')?.message).toBe(
			'Instagram messaging is not available for this account',
		);
		expect(scope.isDone()).toBe(true);
	});
});

describe('Conversation → Get', () => {
	const fields = `id,updated_time,participants,messages.limit(20){${MESSAGE_FIELDS}}`;

	it('by conversation (from the list): one call with the latest messages expanded', async () => {
		const scope = nock(GRAPH)
			.get(`${V}/${CONVERSATION}`)
			.query({ fields })
			.reply(200, {
				id: CONVERSATION,
				updated_time: graphTime(T0),
				participants: participants(),
				messages: {
					data: [
						graphMessage('m_out', T0, 'Hi Jane!', 'outbound'),
						graphMessage('m_in', T0 - 60_000, 'Hello'),
					],
					paging: { cursors: { after: 'x' } },
				},
			});
		meLookup();
		const { output } = await run(
			conversation({ operation: 'get', conversationId: { __rl: true, mode: 'list', value: CONVERSATION } }),
		);
		expect(output('Instagram Messaging')[0].json).toEqual({
			id: CONVERSATION,
			updatedTime: '2026-11-20T10:00:00.000Z',
			customerId: CUSTOMER,
			customerUsername: CUSTOMER_USERNAME,
			messages: [
				{
					id: 'm_out',
					createdTime: '2026-11-20T10:00:00.000Z',
					direction: 'outbound',
					fromId: ACCOUNT,
					fromUsername: 'sandbox_shop',
					toId: CUSTOMER,
					toUsername: CUSTOMER_USERNAME,
					text: 'Hi Jane!',
					attachments: [],
					sharedLinks: [],
					storyMentionUrl: null,
					storyReplyUrl: null,
					reactions: [],
					isUnsupported: false,
				},
				expect.objectContaining({ id: 'm_in', direction: 'inbound', fromId: CUSTOMER, text: 'Hello' }),
			],
		});
		expect(scope.isDone()).toBe(true);
	});

	it('by customer ID: user_id lookup, raw without Simplify, no messages when Latest Messages is 0', async () => {
		const raw = { id: CONVERSATION, updated_time: graphTime(T0), participants: participants() };
		const scope = nock(GRAPH)
			.get(`${V}/me/conversations`)
			.query({ platform: 'instagram', user_id: CUSTOMER, fields: 'id,updated_time,participants' })
			.reply(200, { data: [raw] });
		const { output } = await run(
			conversation({
				operation: 'get',
				findBy: 'customer',
				customerId: CUSTOMER,
				messageCount: 0,
				simplify: false,
			}),
		);
		expect(output('Instagram Messaging')[0].json).toEqual(raw);
		expect(scope.isDone()).toBe(true);
	});

	it('says so when there is no conversation with the customer', async () => {
		nock(GRAPH).get(`${V}/me/conversations`).query(true).reply(200, { data: [] });
		const { error } = await run(conversation({ operation: 'get', findBy: 'customer', customerId: OTHER }));
		expect(error('Instagram Messaging')?.message).toBe(`No conversation with customer ${OTHER}`);
	});

	it('refuses an empty conversation before calling Meta', async () => {
		const { error } = await run(
			conversation({
				operation: 'get',
				conversationId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			}),
			[{ json: { id: ' ' } }],
		);
		expect(error('Instagram Messaging')?.message).toBe('Conversation is empty');
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('Conversation → Get Messages', () => {
	const messagesPath = `${V}/${CONVERSATION}/messages`;

	it('Limit 1: one message, simplified', async () => {
		const scope = nock(GRAPH)
			.get(messagesPath)
			.query({ fields: MESSAGE_FIELDS, limit: '1' })
			.reply(200, {
				data: [
					{
						...graphMessage('m_img', T0, ''),
						attachments: {
							data: [{ id: 'a1', image_data: { url: 'https://cdn.test/i.jpg', preview_url: 'p' } }],
						},
						shares: { data: [{ link: 'https://instagram.com/p/x' }] },
					},
				],
				paging: { cursors: { after: 'n1' }, next: 'https://next' },
			});
		meLookup();
		const { output } = await run(
			conversation({
				operation: 'getMessages',
				conversationId: { __rl: true, mode: 'id', value: CONVERSATION },
				limit: 1,
			}),
		);
		expect(output('Instagram Messaging').map((i) => i.json)).toEqual([
			{
				id: 'm_img',
				createdTime: '2026-11-20T10:00:00.000Z',
				direction: 'inbound',
				fromId: CUSTOMER,
				fromUsername: CUSTOMER_USERNAME,
				toId: ACCOUNT,
				toUsername: 'sandbox_shop',
				text: null,
				attachments: [{ type: 'image', url: 'https://cdn.test/i.jpg' }],
				sharedLinks: ['https://instagram.com/p/x'],
				storyMentionUrl: null,
				storyReplyUrl: null,
				reactions: [],
				isUnsupported: false,
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('Return All over two pages, raw without Simplify', async () => {
		const page1 = [graphMessage('m3', T0, 'three'), graphMessage('m2', T0 - 1000, 'two', 'outbound')];
		const page2 = [graphMessage('m1', T0 - 2000, 'one')];
		const scope = nock(GRAPH)
			.get(messagesPath)
			.query({ fields: MESSAGE_FIELDS, limit: '20' })
			.reply(200, { data: page1, paging: { cursors: { after: 'p2' }, next: 'https://next' } })
			.get(messagesPath)
			.query({ fields: MESSAGE_FIELDS, limit: '18', after: 'p2' })
			.reply(200, { data: page2, paging: { cursors: { after: 'p3' } } });
		const { output } = await run(
			conversation({
				operation: 'getMessages',
				conversationId: { __rl: true, mode: 'id', value: CONVERSATION },
				returnAll: true,
				simplify: false,
			}),
		);
		expect(output('Instagram Messaging').map((i) => i.json.id)).toEqual(['m3', 'm2', 'm1']);
		expect(output('Instagram Messaging')[1].json).toEqual(page1[1]);
		expect(scope.isDone()).toBe(true);
	});

	it('keeps going with Continue On Fail: one good and one bad item', async () => {
		nock(GRAPH)
			.get(messagesPath)
			.query({ fields: MESSAGE_FIELDS, limit: '20' })
			.reply(200, { data: [graphMessage('m1', T0, 'one', 'outbound')] });
		nock(GRAPH)
			.get(`${V}/nope/messages`)
			.query(true)
			.reply(400, {
				error: {
					message: "Unsupported get request. Object with ID 'nope' does not exist",
					type: 'GraphMethodException',
					code: 100,
					error_subcode: 33,
				},
			});
		const { output } = await run(
			conversation(
				{
					operation: 'getMessages',
					conversationId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					simplify: false,
				},
				{ onError: 'continueRegularOutput' },
			),
			[{ json: { id: CONVERSATION } }, { json: { id: 'nope' } }],
		);
		const items = output('Instagram Messaging');
		expect(items).toHaveLength(2);
		expect(items[0]).toEqual({ json: graphMessage('m1', T0, 'one', 'outbound'), pairedItem: { item: 0 } });
		expect(items[1].pairedItem).toEqual({ item: 1 });
		expect(items[1].json.error).toBe('The object does not exist or this token cannot see it');
	});
});

describe('Conversation resource locator: searchConversations', () => {
	const node = conversation({ operation: 'getMessages' });

	it("lists conversations by the customer's username and returns the cursor as pagination token", async () => {
		const scope = nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get(`${V}/me/conversations`)
			.query({ platform: 'instagram', fields: 'id,updated_time,participants', limit: '25' })
			.reply(200, {
				data: [
					{ id: CONVERSATION, updated_time: graphTime(T0), participants: participants() },
					{
						id: CONVERSATION_2,
						updated_time: graphTime(T0),
						participants: participants(OTHER, 'other_person'),
					},
				],
				paging: { cursors: { after: 'next-page' }, next: 'https://next' },
			})
			.get(`${V}/me/conversations`)
			.query({
				platform: 'instagram',
				fields: 'id,updated_time,participants',
				limit: '25',
				after: 'next-page',
			})
			.reply(200, {
				data: [
					{
						id: 'c3',
						updated_time: graphTime(T0),
						participants: participants('3333333333333333', 'jane_two'),
					},
				],
				paging: { cursors: { after: 'end' } },
			});
		meLookup();
		meLookup();
		const first = await searchConversations.call(loadOptionsContext(node, instagramLoginCredentials));
		expect(first).toEqual({
			results: [
				{ name: `@${CUSTOMER_USERNAME}`, value: CONVERSATION, description: `Customer ID ${CUSTOMER}` },
				{ name: '@other_person', value: CONVERSATION_2, description: `Customer ID ${OTHER}` },
			],
			paginationToken: 'next-page',
		});
		const second = await searchConversations.call(
			loadOptionsContext(node, instagramLoginCredentials),
			'JANE',
			'next-page',
		);
		expect(second).toEqual({
			results: [{ name: '@jane_two', value: 'c3', description: 'Customer ID 3333333333333333' }],
		});
		expect(scope.isDone()).toBe(true);
	});

	it('takes a numeric filter as the customer ID (user_id)', async () => {
		const scope = nock(GRAPH)
			.get(`${V}/me/conversations`)
			.query({ platform: 'instagram', fields: 'id,updated_time,participants', limit: '25', user_id: OTHER })
			.reply(200, { data: [] });
		const result = await searchConversations.call(loadOptionsContext(node, instagramLoginCredentials), OTHER);
		expect(result).toEqual({ results: [] });
		expect(scope.isDone()).toBe(true);
	});
});
