import nock from 'nock';

import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import { actionNode, CUSTOMER, GRAPH, instagramLoginCredentials, runWorkflow } from '../harness';
import { inbound } from './messageHelpers';

const messages = `/${GRAPH_API_VERSION}/me/messages`;

function node(operation: string, parameters: Record<string, unknown>, extra = {}) {
	// The disclosure rule (send.ts) has its own tests; here every body is exactly the operation's.
	return actionNode(
		{ resource: 'message', operation, recipientId: CUSTOMER, discloseAutomation: false, ...parameters },
		extra,
	);
}

async function run(operation: string, parameters: Record<string, unknown>) {
	return await runWorkflow({
		nodes: [node(operation, parameters)],
		credentials: instagramLoginCredentials,
		input: [inbound()],
	});
}

describe('Message → Send Quick Replies', () => {
	it('posts the text with content_type text replies; an empty payload becomes the title', async () => {
		const scope = nock(GRAPH)
			.post(messages, {
				recipient: { id: CUSTOMER },
				message: {
					text: 'What do you need?',
					quick_replies: [
						{ content_type: 'text', title: 'Track order', payload: 'TRACK_ORDER' },
						{ content_type: 'text', title: 'Talk to a human', payload: 'Talk to a human' },
					],
				},
				messaging_type: 'RESPONSE',
			})
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_qr' });
		const { output } = await run('sendQuickReplies', {
			text: 'What do you need?',
			quickReplies: {
				quickReply: [
					{ title: 'Track order', payload: 'TRACK_ORDER' },
					{ title: 'Talk to a human', payload: '' },
				],
			},
		});
		expect(output('Instagram Messaging')[0].json).toEqual({
			recipientId: CUSTOMER,
			messageId: 'm_qr',
			writtenBy: 'bot',
			tag: null,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('names the quick reply whose title is too long, without calling Meta', async () => {
		const quickReply = [
			{ title: 'One', payload: '1' },
			{ title: 'Two', payload: '2' },
			{ title: 'A title of 24 character', payload: '3' },
		];
		quickReply[2].title = 'x'.repeat(24);
		const { error } = await run('sendQuickReplies', { text: 'Pick one', quickReplies: { quickReply } });
		expect(error('Instagram Messaging')?.message).toBe(
			'Quick Reply 3: Title is 24 characters, Instagram shows at most 20',
		);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('counts an emoji as one character and accepts 20', async () => {
		const title = '👍'.repeat(20);
		const scope = nock(GRAPH)
			.post(messages, (b) => b.message.quick_replies[0].title === title)
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_e' });
		await run('sendQuickReplies', { text: 'Ok?', quickReplies: { quickReply: [{ title, payload: 'OK' }] } });
		expect(scope.isDone()).toBe(true);
	});

	it('refuses 14 quick replies, none, and an empty text', async () => {
		const many = Array.from({ length: 14 }, (_, i) => ({ title: `Option ${i}`, payload: `P${i}` }));
		expect(
			(await run('sendQuickReplies', { text: 'Pick', quickReplies: { quickReply: many } })).error(
				'Instagram Messaging',
			)?.message,
		).toBe('Quick Replies: 14 given, Instagram accepts at most 13');
		expect(
			(await run('sendQuickReplies', { text: 'Pick', quickReplies: {} })).error('Instagram Messaging')
				?.message,
		).toBe('Quick Replies: add at least 1');
		expect(
			(
				await run('sendQuickReplies', {
					text: ' ',
					quickReplies: { quickReply: [{ title: 'A', payload: 'A' }] },
				})
			).error('Instagram Messaging')?.message,
		).toBe('Text is empty');
	});

	it('Continue On Fail: one good and one bad item, each paired', async () => {
		nock(GRAPH).post(messages).reply(200, { recipient_id: CUSTOMER, message_id: 'm_ok' });
		const { output } = await runWorkflow({
			nodes: [
				node(
					'sendQuickReplies',
					{ text: 'Pick', quickReplies: { quickReply: [{ title: '={{ $json.title }}', payload: 'P' }] } },
					{ onError: 'continueRegularOutput' },
				),
			],
			credentials: instagramLoginCredentials,
			input: [
				inbound(60_000, CUSTOMER, { title: 'Fine' }),
				inbound(60_000, CUSTOMER, { title: 'y'.repeat(21) }),
			],
		});
		const items = output('Instagram Messaging');
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json.messageId).toBe('m_ok');
		expect(items[1].json.error).toBe('Quick Reply 1: Title is 21 characters, Instagram shows at most 20');
	});
});

describe('Message → Send Generic Template', () => {
	it('posts cards with image, default action and both button types', async () => {
		const scope = nock(GRAPH)
			.post(messages, {
				recipient: { id: CUSTOMER },
				message: {
					attachment: {
						type: 'template',
						payload: {
							template_type: 'generic',
							elements: [
								{
									title: 'Blue tee',
									subtitle: '$24 — sizes S–XL',
									image_url: 'https://cdn.example.com/tee.jpg',
									default_action: { type: 'web_url', url: 'https://shop.example.com/tee' },
									buttons: [
										{ type: 'web_url', title: 'View', url: 'https://shop.example.com/tee' },
										{ type: 'postback', title: 'Buy', payload: 'BUY_TEE' },
									],
								},
								{ title: 'Red tee', subtitle: '$22' },
							],
						},
					},
				},
				messaging_type: 'RESPONSE',
			})
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_gen' });
		const { output } = await run('sendGenericTemplate', {
			cards: {
				card: [
					{
						title: 'Blue tee',
						subtitle: '$24 — sizes S–XL',
						imageUrl: 'https://cdn.example.com/tee.jpg',
						defaultActionUrl: 'https://shop.example.com/tee',
						buttons: {
							button: [
								{ type: 'web_url', title: 'View', url: 'https://shop.example.com/tee' },
								{ type: 'postback', title: 'Buy', payload: 'BUY_TEE' },
							],
						},
					},
					{ title: 'Red tee', subtitle: '$22' },
				],
			},
		});
		expect(output('Instagram Messaging')[0].json.messageId).toBe('m_gen');
		expect(scope.isDone()).toBe(true);
	});

	it('validates cards before calling Meta, naming card and button', async () => {
		const cases: Array<[unknown, string]> = [
			[
				{ card: [{ title: 'Only a title' }] },
				'Card 1: add a subtitle, an image, a default action or a button',
			],
			[
				{ card: [{ title: 'T', subtitle: 's'.repeat(81) }] },
				'Card 1: Subtitle is 81 characters, Instagram shows at most 80',
			],
			[
				{ card: [{ title: 't'.repeat(81), subtitle: 's' }] },
				'Card 1: Title is 81 characters, Instagram shows at most 80',
			],
			[{ card: [{ subtitle: 's' }] }, 'Card 1: Title is empty'],
			[
				{ card: Array.from({ length: 11 }, (_, i) => ({ title: `Card ${i}`, subtitle: 's' })) },
				'Cards: 11 given, Instagram accepts at most 10',
			],
			[
				{
					card: [
						{ title: 'A', subtitle: 'a' },
						{
							title: 'B',
							buttons: {
								button: Array.from({ length: 4 }, () => ({ type: 'postback', title: 'x', payload: 'x' })),
							},
						},
					],
				},
				'Card 2: Buttons: 4 given, Instagram accepts at most 3',
			],
			[
				{
					card: [
						{ title: 'A', buttons: { button: [{ type: 'web_url', title: 'Open', url: 'example.com' }] } },
					],
				},
				'Card 1: Button 1: URL "example.com" is not a web address',
			],
			[
				{ card: [{ title: 'A', buttons: { button: [{ type: 'postback', title: 'Go', payload: '' }] } }] },
				'Card 1: Button 1: Payload is empty',
			],
			[
				{ card: [{ title: 'A', imageUrl: 'ftp://x/y.png' }] },
				'Card 1: Image URL "ftp://x/y.png" is not a web address',
			],
		];
		for (const [cards, message] of cases) {
			const { error } = await run('sendGenericTemplate', { cards });
			expect(error('Instagram Messaging')?.message).toBe(message);
		}
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('Message → Send Button Template', () => {
	it('posts the text and buttons', async () => {
		const scope = nock(GRAPH)
			.post(messages, {
				recipient: { id: CUSTOMER },
				message: {
					attachment: {
						type: 'template',
						payload: {
							template_type: 'button',
							text: 'How can we help?',
							buttons: [
								{ type: 'postback', title: 'Order status', payload: 'STATUS' },
								{ type: 'web_url', title: 'FAQ', url: 'https://example.com/faq' },
							],
						},
					},
				},
				messaging_type: 'RESPONSE',
			})
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_btn' });
		const { output } = await run('sendButtonTemplate', {
			text: 'How can we help?',
			buttons: {
				button: [
					{ type: 'postback', title: 'Order status', payload: 'STATUS' },
					{ type: 'web_url', title: 'FAQ', url: 'https://example.com/faq' },
				],
			},
		});
		expect(output('Instagram Messaging')[0].json.messageId).toBe('m_btn');
		expect(scope.isDone()).toBe(true);
	});

	it('refuses no button, 4 buttons, a long title and text over 640 characters', async () => {
		const button = (title = 'Go') => ({ type: 'postback', title, payload: 'GO' });
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ text: 'Hi', buttons: {} }, 'Buttons: add at least 1'],
			[
				{ text: 'Hi', buttons: { button: [button(), button(), button(), button()] } },
				'Buttons: 4 given, Instagram accepts at most 3',
			],
			[
				{ text: 'Hi', buttons: { button: [button('b'.repeat(21))] } },
				'Button 1: Title is 21 characters, Instagram shows at most 20',
			],
			[
				{ text: 'x'.repeat(641), buttons: { button: [button()] } },
				'Text is 641 characters, Instagram shows at most 640',
			],
		];
		for (const [parameters, message] of cases) {
			const { error } = await run('sendButtonTemplate', parameters);
			expect(error('Instagram Messaging')?.message).toBe(message);
		}
		expect(nock.pendingMocks()).toEqual([]);
	});
});
