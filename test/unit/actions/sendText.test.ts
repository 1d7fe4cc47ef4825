import nock from 'nock';

import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import {
	ACCOUNT,
	actionNode,
	CUSTOMER,
	GRAPH,
	instagramLoginCredentials,
	runWorkflow,
	TOKEN,
} from '../harness';

const path = `/${GRAPH_API_VERSION}/me/messages`;
const HOUR = 3_600_000;

/** An inbound message item as the trigger emits it, written `ageMs` ago. */
function inbound(ageMs = 60_000, customerId = CUSTOMER) {
	const timestampMs = Date.now() - ageMs;
	return {
		json: {
			eventType: 'message',
			customerId,
			timestampMs,
			windowExpiresAt: new Date(timestampMs + 24 * HOUR).toISOString(),
			text: 'hi',
			mid: 'm_in',
		},
	};
}

function sendText(parameters: Record<string, unknown> = {}, extra = {}) {
	return actionNode(
		{ resource: 'message', operation: 'sendText', recipientId: CUSTOMER, text: 'Hello!', ...parameters },
		extra,
	);
}

describe('Message → Send Text', () => {
	it('posts the exact Send API body with the bearer token and returns the message id', async () => {
		const scope = nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.post(path, {
				recipient: { id: CUSTOMER },
				messaging_type: 'RESPONSE',
				message: { text: 'Hello!' },
			})
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_1' });

		const { output } = await runWorkflow({
			nodes: [sendText()],
			credentials: instagramLoginCredentials,
			input: [inbound()],
		});

		expect(output('Instagram Messaging')).toEqual([
			{
				json: { recipientId: CUSTOMER, messageId: 'm_1', writtenBy: 'bot', tag: null },
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('resolves expressions per item and quotes a message when asked', async () => {
		const scope = nock(GRAPH)
			.post(path, {
				recipient: { id: '2222222222222222' },
				messaging_type: 'RESPONSE',
				message: { text: 'You said: hi' },
				reply_to: { mid: 'm_in' },
			})
			.reply(200, { recipient_id: '2222222222222222', message_id: 'm_2' });

		const { output } = await runWorkflow({
			nodes: [
				sendText({
					recipientId: '={{ $json.customerId }}',
					text: '=You said: {{ $json.text }}',
					options: { replyToMid: '={{ $json.mid }}' },
				}),
			],
			credentials: instagramLoginCredentials,
			input: [inbound(60_000, '2222222222222222')],
		});
		expect(output('Instagram Messaging')[0].json).toMatchObject({
			recipientId: '2222222222222222',
			messageId: 'm_2',
		});
		expect(scope.isDone()).toBe(true);
	});

	it('refuses text over 1000 UTF-8 bytes before calling Meta', async () => {
		const text = 'ä'.repeat(501); // 1002 bytes, 501 characters
		const { error } = await runWorkflow({
			nodes: [sendText({ text })],
			credentials: instagramLoginCredentials,
			input: [inbound()],
		});
		expect(error('Instagram Messaging')?.message).toBe(
			'Text is too long: 1002 bytes, Instagram accepts at most 1000',
		);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('accepts exactly 1000 bytes', async () => {
		const text = 'ä'.repeat(500);
		const scope = nock(GRAPH).post(path).reply(200, { recipient_id: CUSTOMER, message_id: 'm_3' });
		const { output } = await runWorkflow({
			nodes: [sendText({ text })],
			credentials: instagramLoginCredentials,
			input: [inbound()],
		});
		expect(output('Instagram Messaging')[0].json.messageId).toBe('m_3');
		expect(scope.isDone()).toBe(true);
	});

	it('explains the 24 h window when Meta refuses, and never shows the token', async () => {
		nock(GRAPH)
			.post(path)
			.reply(403, {
				error: {
					message: '(#10) This message is sent outside of allowed window.',
					type: 'IGApiException',
					code: 10,
					error_subcode: 2534022,
					fbtrace_id: 'trace1',
				},
			});
		const { error } = await runWorkflow({
			nodes: [sendText()],
			credentials: instagramLoginCredentials,
			input: [inbound()],
		});
		const failure = error('Instagram Messaging') as Error & { description?: string; httpCode?: string };
		expect(failure.message).toBe(
			'Outside the messaging window: the customer has not written in the last 24 hours',
		);
		expect(failure.description).toContain('HUMAN_AGENT');
		expect(failure.description).toContain('subcode 2534022');
		expect(failure.httpCode).toBe('403');
		expect(JSON.stringify(failure)).not.toContain(TOKEN);
	});

	it('retries a throttled send and succeeds without sending twice', async () => {
		const scope = nock(GRAPH)
			.post(path)
			.reply(400, { error: { message: 'Application request limit reached', code: 4 } })
			.post(path)
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_4' });
		const { output } = await runWorkflow({
			nodes: [sendText()],
			credentials: instagramLoginCredentials,
			input: [inbound()],
		});
		expect(output('Instagram Messaging')[0].json.messageId).toBe('m_4');
		expect(scope.isDone()).toBe(true);
	});

	it('does not retry a send after a bare 502: Meta may already have delivered it', async () => {
		const scope = nock(GRAPH).post(path).reply(502, 'Bad Gateway');
		const { error } = await runWorkflow({
			nodes: [sendText()],
			credentials: instagramLoginCredentials,
			input: [inbound()],
		});
		expect(error('Instagram Messaging')?.message).toBe(
			'The message may have been delivered — Meta answered HTTP 502 without an error description',
		);
		expect((error('Instagram Messaging') as { description?: string } | undefined)?.description).toMatch(
			/^Do not resend blindly/,
		);
		expect(scope.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('keeps going with Continue On Fail: one good and one bad item, each paired', async () => {
		nock(GRAPH).post(path).reply(200, { recipient_id: CUSTOMER, message_id: 'm_ok' });
		const { output } = await runWorkflow({
			nodes: [
				sendText(
					{ recipientId: '={{ $json.to }}', windowOptions: { lastCustomerMessageAt: '={{ Date.now() }}' } },
					{ onError: 'continueRegularOutput' },
				),
			],
			credentials: instagramLoginCredentials,
			input: [{ json: { to: CUSTOMER } }, { json: { to: 'jane.doe' } }],
		});
		const items = output('Instagram Messaging');
		expect(items).toHaveLength(2);
		expect(items[0]).toEqual({
			json: { recipientId: CUSTOMER, messageId: 'm_ok', writtenBy: 'bot', tag: null },
			pairedItem: { item: 0 },
		});
		expect(items[1].pairedItem).toEqual({ item: 1 });
		expect(items[1].json.error).toBe('Recipient ID "jane.doe" is not an Instagram-scoped ID');
	});
});

describe('Message → Send Text: window and HUMAN_AGENT policy', () => {
	it('refuses a bot message 25 h after the customer wrote, before calling Meta', async () => {
		const { error } = await runWorkflow({
			nodes: [sendText()],
			credentials: instagramLoginCredentials,
			input: [inbound(25 * HOUR)],
		});
		const failure = error('Instagram Messaging') as Error & { description?: string };
		expect(failure.message).toBe(
			'Outside the 24-hour messaging window: the customer last wrote 25 hours ago',
		);
		expect(failure.description).toContain('"Written By" to "Human Agent"');
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('tags a human message written 3 days later with HUMAN_AGENT', async () => {
		const scope = nock(GRAPH)
			.post(path, {
				recipient: { id: CUSTOMER },
				message: { text: 'Hello!' },
				messaging_type: 'MESSAGE_TAG',
				tag: 'HUMAN_AGENT',
			})
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_h' });
		const { output } = await runWorkflow({
			nodes: [sendText({ writtenBy: 'human' })],
			credentials: instagramLoginCredentials,
			input: [inbound(3 * 24 * HOUR)],
		});
		expect(output('Instagram Messaging')[0].json).toEqual({
			recipientId: CUSTOMER,
			messageId: 'm_h',
			writtenBy: 'human',
			tag: 'HUMAN_AGENT',
		});
		expect(scope.isDone()).toBe(true);
	});

	it('refuses a human message 8 days later', async () => {
		const { error } = await runWorkflow({
			nodes: [sendText({ writtenBy: 'human' })],
			credentials: instagramLoginCredentials,
			input: [inbound(8 * 24 * HOUR)],
		});
		expect(error('Instagram Messaging')?.message).toBe(
			'Outside the messaging window: the customer last wrote 8 days ago, more than 7 days ago',
		);
	});

	it('never tags a bot message inside 24 h', async () => {
		const scope = nock(GRAPH)
			.post(path, (body) => body.messaging_type === 'RESPONSE' && body.tag === undefined)
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_b' });
		await runWorkflow({
			nodes: [sendText()],
			credentials: instagramLoginCredentials,
			input: [inbound(23 * HOUR)],
		});
		expect(scope.isDone()).toBe(true);
	});

	it("asks Meta's conversation for the last customer message when the item is not from the trigger", async () => {
		const twoDaysAgo = new Date(Date.now() - 2 * 24 * HOUR).toISOString().replace('Z', '+0000');
		const lookup = nock(GRAPH)
			.get(`/${GRAPH_API_VERSION}/me/conversations`)
			.query({ platform: 'instagram', user_id: CUSTOMER, fields: 'messages.limit(20){created_time,from}' })
			.reply(200, {
				data: [
					{
						id: 'c_1',
						messages: {
							data: [
								{ id: 'm_out', created_time: new Date().toISOString(), from: { id: ACCOUNT } },
								{ id: 'm_in', created_time: twoDaysAgo, from: { id: CUSTOMER } },
							],
						},
					},
				],
			});
		const send = nock(GRAPH)
			.post(path, (body) => body.tag === 'HUMAN_AGENT')
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_l' });
		const { output } = await runWorkflow({
			nodes: [sendText({ writtenBy: 'human' })],
			credentials: instagramLoginCredentials,
			input: [{ json: { ticket: 42 } }],
		});
		expect(output('Instagram Messaging')[0].json.tag).toBe('HUMAN_AGENT');
		expect(lookup.isDone() && send.isDone()).toBe(true);
	});
});
