import nock from 'nock';

import {
	dedupKeyFor,
	fromConversationMessage,
	messagesWithDetails,
	parseWebhookPayload,
	toItemJson,
} from '../../../nodes/InstagramMessaging/events';
import { echoEvent, envelopeFor, textMessageEvent } from '../../../sandbox';
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
	facebookPageCredentials,
	GRAPH_FB,
	graphMessage,
	graphTime,
	MESSAGE_FIELDS,
	PAGE_TOKEN,
	participants,
	V,
} from './conversationHelpers';

jest.setTimeout(20_000);

const OTHER = '2222222222222222';
const CONVERSATION_B = 'Y29udmVyc2F0aW9uLWI';
const T0 = Date.parse('2026-11-20T10:00:00Z');
const MIN = 60_000;
const SINCE = new Date(T0 - 60 * MIN).toISOString();
const LIST_FIELDS = `id,updated_time,participants,messages.limit(20){${MESSAGE_FIELDS}}`;

type Msg = { id: string; at: number; text: string; direction: 'inbound' | 'outbound'; customerId: string };

/** What the trigger emits for the same message, delivered as Meta's webhook. */
function triggerItem(message: Msg) {
	const event =
		message.direction === 'inbound'
			? textMessageEvent({
					accountId: ACCOUNT,
					customerId: message.customerId,
					text: message.text,
					mid: message.id,
					timestamp: message.at,
				})
			: echoEvent({
					accountId: ACCOUNT,
					customerId: message.customerId,
					text: message.text,
					mid: message.id,
					timestamp: message.at,
				});
	const { events } = parseWebhookPayload(envelopeFor(ACCOUNT, [event]));
	expect(events).toHaveLength(1);
	return toItemJson(events[0], { includeRaw: false });
}

const msg = (
	id: string,
	at: number,
	text: string,
	direction: Msg['direction'],
	customerId = CUSTOMER,
): Msg => ({
	id,
	at,
	text,
	direction,
	customerId,
});
const toGraph = (m: Msg) => graphMessage(m.id, m.at, m.text, m.direction, m.customerId);

function backfill(parameters: Record<string, unknown> = {}, extra = {}) {
	return actionNode({ resource: 'conversation', operation: 'backfill', since: SINCE, ...parameters }, extra);
}

describe('Conversation → Backfill', () => {
	const a0 = msg('m_a0', T0 - 120 * MIN, 'too old', 'inbound');
	const a1 = msg('m_a1', T0 - 30 * MIN, 'Hi, is the blue one in stock?', 'inbound');
	const a2 = msg('m_a2', T0 - 10 * MIN, 'And in size M?', 'inbound');
	const a3 = msg('m_a3', T0, 'Yes, both!', 'outbound');
	const b1 = msg('m_b1', T0 - 20 * MIN, 'hello', 'inbound', OTHER);

	function mockMeta(host = GRAPH, token = TOKEN) {
		const calls: number[] = [];
		const scope = nock(host, { reqheaders: { authorization: `Bearer ${token}` } })
			.get(`${V}/me/conversations`)
			.query({ platform: 'instagram', fields: LIST_FIELDS, limit: '25' })
			.reply(() => {
				calls.push(Date.now());
				return [
					200,
					{
						data: [
							{
								id: CONVERSATION,
								updated_time: graphTime(T0),
								participants: participants(),
								messages: {
									data: [a3, a2].map(toGraph),
									paging: { cursors: { after: 'ma' }, next: 'https://n' },
								},
							},
							{
								id: CONVERSATION_B,
								updated_time: graphTime(b1.at),
								participants: participants(OTHER, 'other'),
								messages: { data: [toGraph(b1)], paging: { cursors: { after: 'mb' } } },
							},
						],
						paging: { cursors: { after: 'p2' }, next: 'https://n' },
					},
				];
			})
			.get(`${V}/${CONVERSATION}/messages`)
			.query({ fields: MESSAGE_FIELDS, limit: '50', after: 'ma' })
			.reply(() => {
				calls.push(Date.now());
				return [
					200,
					{ data: [a1, a0].map(toGraph), paging: { cursors: { after: 'mc' }, next: 'https://n' } },
				];
			})
			.get(`${V}/me/conversations`)
			.query({ platform: 'instagram', fields: LIST_FIELDS, limit: '25', after: 'p2' })
			.reply(() => {
				calls.push(Date.now());
				return [
					200,
					{
						data: [
							{
								id: 'old',
								updated_time: graphTime(T0 - 180 * MIN),
								participants: participants('3333333333333333'),
							},
						],
						paging: { cursors: { after: 'p3' }, next: 'https://n' },
					},
				];
			});
		return { scope, calls };
	}

	it('emits every message since the time, oldest first, exactly as the trigger would', async () => {
		const { scope, calls } = mockMeta();
		const me = nock(GRAPH).get(`${V}/me`).query({ fields: 'user_id' }).reply(200, { user_id: ACCOUNT });
		const { output } = await runWorkflow({ nodes: [backfill()], credentials: instagramLoginCredentials });
		const items = output('Instagram Messaging');

		expect(items.map((i) => i.json)).toEqual([a1, b1, a2, a3].map(triggerItem));
		expect(
			items.map((i) => [i.json.eventType, i.json.customerId, i.json.mid, i.json.text, i.json.dedupKey]),
		).toEqual([
			['message', CUSTOMER, 'm_a1', a1.text, 'message:m_a1'],
			['message', OTHER, 'm_b1', 'hello', 'message:m_b1'],
			['message', CUSTOMER, 'm_a2', a2.text, 'message:m_a2'],
			['echo', CUSTOMER, 'm_a3', a3.text, 'echo:m_a3'],
		]);
		expect(items.every((i) => i.pairedItem && (i.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(scope.isDone() && me.isDone()).toBe(true);
		// Conversations API calls are spaced for 2 calls/s (slots are 500 ms apart; arrival times jitter under load)
		expect(calls[1] - calls[0]).toBeGreaterThanOrEqual(300);
		expect(calls[2] - calls[1]).toBeGreaterThanOrEqual(300);
	});

	it('leaves echoes out when asked, keeps raw when asked; Page setup takes the account id from the credential', async () => {
		const { scope } = mockMeta(GRAPH_FB, PAGE_TOKEN);
		const { output } = await runWorkflow({
			nodes: [
				backfill(
					{ authentication: 'facebookPageApi', options: { includeEchoes: false, includeRaw: true } },
					{ credentials: { facebookPageApi: { id: '2', name: 'Page' } } },
				),
			],
			credentials: facebookPageCredentials,
		});
		const items = output('Instagram Messaging').map((i) => i.json);
		expect(items.map((i) => i.mid)).toEqual(['m_a1', 'm_b1', 'm_a2']);
		expect(items[0].raw).toEqual(toGraph(a1));
		expect(scope.isDone()).toBe(true);
	});

	it('refuses a Since that is not a date, naming the field', async () => {
		const { error } = await runWorkflow({
			nodes: [backfill({ since: '={{ "last tuesday" }}' })],
			credentials: instagramLoginCredentials,
		});
		expect(error('Instagram Messaging')?.message).toBe('Since "last tuesday" is not a date');
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('fromConversationMessage (events vocabulary)', () => {
	it('gives the same dedupKey as the trigger parser for the same mid, both directions', () => {
		for (const m of [msg('m_x', T0, 'hi', 'inbound'), msg('m_y', T0, 'hello back', 'outbound')]) {
			const event = fromConversationMessage(toGraph(m), { accountId: ACCOUNT });
			const fromTrigger = triggerItem(m);
			expect(event?.dedupKey).toBe(fromTrigger.dedupKey);
			expect(event?.dedupKey).toBe(`${m.direction === 'inbound' ? 'message' : 'echo'}:${m.id}`);
			expect(event && dedupKeyFor(event, m.at, {})).toBe(fromTrigger.dedupKey);
		}
	});

	it('maps attachments, shares, story mentions and unsupported messages like the webhook would', () => {
		const base = graphMessage('m_z', T0, '');
		const image = fromConversationMessage(
			{ ...base, attachments: { data: [{ id: 'a', image_data: { url: 'https://cdn/i.jpg' } }] } },
			{ accountId: ACCOUNT },
		);
		expect(image).toMatchObject({
			eventType: 'message',
			messageKind: 'attachment',
			text: null,
			customerId: CUSTOMER,
		});
		expect(image?.attachments).toEqual([
			{ type: 'image', url: 'https://cdn/i.jpg', payload: { url: 'https://cdn/i.jpg' } },
		]);

		const share = fromConversationMessage(
			{ ...base, shares: { data: [{ link: 'https://ig/p/1' }] } },
			{ accountId: ACCOUNT },
		);
		expect(share?.messageKind).toBe('share');

		const mention = fromConversationMessage(
			{ ...base, story: { mention: { link: 'https://s', id: 's1' } } },
			{ accountId: ACCOUNT },
		);
		expect(mention?.messageKind).toBe('story_mention');

		const unsupported = fromConversationMessage({ ...base, is_unsupported: true }, { accountId: ACCOUNT });
		expect(unsupported).toMatchObject({
			eventType: 'message_unsupported',
			dedupKey: 'message_unsupported:m_z',
		});

		expect(fromConversationMessage({ message: 'no id' }, { accountId: ACCOUNT })).toBeNull();
	});

	it("uses the conversation's customer when the message has no to", () => {
		const event = fromConversationMessage(
			{ id: 'm_q', created_time: graphTime(T0), from: { id: OTHER } },
			{ accountId: ACCOUNT, customerId: OTHER },
		);
		expect(event).toMatchObject({
			eventType: 'message',
			customerId: OTHER,
			senderId: OTHER,
			recipientId: ACCOUNT,
			timestampMs: T0,
		});
	});

	it('a message without details (past the 20 newest: only id and time, or no time) is no event', () => {
		expect(
			fromConversationMessage(
				{ id: 'm_old', created_time: graphTime(T0) },
				{ accountId: ACCOUNT, customerId: OTHER },
			),
		).toBeNull();
		expect(
			fromConversationMessage(
				{ id: 'm_old', from: { id: OTHER } },
				{ accountId: ACCOUNT, customerId: OTHER },
			),
		).toBeNull();
		// A sender without an id tells nothing about who wrote it.
		expect(
			fromConversationMessage(
				{ id: 'm_old', created_time: graphTime(T0), from: { username: 'someone' } },
				{ accountId: ACCOUNT, customerId: OTHER },
			),
		).toBeNull();
	});

	it('within the 20 newest, a message without details is skipped, not the end of the list', () => {
		const detailed = (id: string) => ({ id, created_time: graphTime(T0), from: { id: OTHER } });
		const page = [detailed('m1'), { id: 'm2', created_time: graphTime(T0) }, detailed('m3')];
		expect(messagesWithDetails(page).messages.map((m) => m.id)).toEqual(['m1', 'm3']);
		expect(messagesWithDetails(page).exhausted).toBe(false);
		const tail = messagesWithDetails(page, 18);
		expect(tail.messages.map((m) => m.id)).toEqual(['m1']);
		expect(tail.exhausted).toBe(true);
	});
});
