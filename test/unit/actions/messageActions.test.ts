import nock from 'nock';

import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import { ACCOUNT, actionNode, CUSTOMER, GRAPH, instagramLoginCredentials, runWorkflow } from '../harness';
import { inbound } from './messageHelpers';

const messages = `/${GRAPH_API_VERSION}/me/messages`;
const MID = 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlE-abc_123';

function node(operation: string, parameters: Record<string, unknown>, extra = {}) {
	// The disclosure rule (send.ts) has its own tests; here every body is exactly the operation's.
	return actionNode({ resource: 'message', operation, discloseAutomation: false, ...parameters }, extra);
}

async function run(operation: string, parameters: Record<string, unknown>, input = [inbound()]) {
	return await runWorkflow({
		nodes: [node(operation, parameters)],
		credentials: instagramLoginCredentials,
		input,
	});
}

describe('Message → Send Sticker', () => {
	it('sends the heart sticker under the window policy', async () => {
		const scope = nock(GRAPH)
			.post(messages, {
				recipient: { id: CUSTOMER },
				message: { attachment: { type: 'like_heart' } },
				messaging_type: 'RESPONSE',
			})
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_heart' });
		const { output } = await run('sendSticker', { recipientId: CUSTOMER });
		expect(output('Instagram Messaging')[0].json).toEqual({
			recipientId: CUSTOMER,
			messageId: 'm_heart',
			writtenBy: 'bot',
			tag: null,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('refuses a bot sticker 30 hours after the customer wrote, before calling Meta', async () => {
		const { error } = await run('sendSticker', { recipientId: CUSTOMER }, [inbound(30 * 3_600_000)]);
		expect(error('Instagram Messaging')?.message).toBe(
			'Outside the 24-hour messaging window: the customer last wrote 30 hours ago',
		);
	});
});

describe('Message → Share Post', () => {
	it('sends a MEDIA_SHARE attachment with the post id', async () => {
		const scope = nock(GRAPH)
			.post(messages, {
				recipient: { id: CUSTOMER },
				message: { attachment: { type: 'MEDIA_SHARE', payload: { id: '17900000000000002' } } },
				messaging_type: 'MESSAGE_TAG',
				tag: 'HUMAN_AGENT',
			})
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_share' });
		const { output } = await run(
			'sharePost',
			{ recipientId: CUSTOMER, postId: '17900000000000002', writtenBy: 'human' },
			[inbound(3 * 24 * 3_600_000)],
		);
		expect(output('Instagram Messaging')[0].json).toEqual({
			recipientId: CUSTOMER,
			messageId: 'm_share',
			writtenBy: 'human',
			tag: 'HUMAN_AGENT',
		});
		expect(scope.isDone()).toBe(true);
	});

	it('refuses a link instead of a post ID', async () => {
		const { error } = await run('sharePost', {
			recipientId: CUSTOMER,
			postId: 'https://instagram.com/p/abc',
		});
		expect(error('Instagram Messaging')?.message).toBe(
			'Post ID "https://instagram.com/p/abc" is not a valid ID',
		);
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('Message → React / Unreact', () => {
	it('reacts with no window check and no messaging_type', async () => {
		const scope = nock(GRAPH)
			.post(messages, {
				recipient: { id: CUSTOMER },
				sender_action: 'react',
				payload: { message_id: MID, reaction: '🔥' },
			})
			.reply(200, { recipient_id: CUSTOMER });
		// 10 days after the customer wrote: reactions get no window policy from the node.
		const { output } = await run('react', { recipientId: CUSTOMER, messageId: MID, reaction: '🔥' }, [
			inbound(10 * 24 * 3_600_000),
		]);
		expect(output('Instagram Messaging')).toEqual([
			{
				json: { recipientId: CUSTOMER, reactedToMessageId: MID, reaction: '🔥', success: true },
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('unreacts with only the message id, never looking up the conversation', async () => {
		const scope = nock(GRAPH)
			.post(messages, { recipient: { id: CUSTOMER }, sender_action: 'unreact', payload: { message_id: MID } })
			.reply(200, { recipient_id: CUSTOMER });
		const { output } = await run('unreact', { recipientId: CUSTOMER, messageId: MID }, [
			{ json: { ticket: 1 } },
		]);
		expect(output('Instagram Messaging')[0].json).toEqual({
			recipientId: CUSTOMER,
			unreactedMessageId: MID,
			success: true,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('refuses an empty message ID', async () => {
		const { error } = await run('react', { recipientId: CUSTOMER, messageId: ' ', reaction: 'love' });
		expect(error('Instagram Messaging')?.message).toBe('Message ID is empty');
	});
});

describe('Message → Send Sender Action', () => {
	it.each(['typing_on', 'typing_off', 'mark_seen'])('sends %s alone', async (senderAction) => {
		const scope = nock(GRAPH)
			.post(messages, { recipient: { id: CUSTOMER }, sender_action: senderAction })
			.reply(200, { recipient_id: CUSTOMER });
		const { output } = await run('sendSenderAction', { recipientId: CUSTOMER, senderAction }, [{ json: {} }]);
		expect(output('Instagram Messaging')[0].json).toEqual({
			recipientId: CUSTOMER,
			senderAction,
			success: true,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('refuses an unknown action from an expression', async () => {
		const { error } = await run('sendSenderAction', {
			recipientId: CUSTOMER,
			senderAction: '={{ "typing" }}',
		});
		expect(error('Instagram Messaging')?.message).toBe('Action "typing" is not a sender action');
	});
});

describe('Message → Send Private Reply', () => {
	const COMMENT = '18000000000000001';

	it('sends to recipient.comment_id without messaging_type, from a comment item', async () => {
		const scope = nock(GRAPH)
			.post(messages, { recipient: { comment_id: COMMENT }, message: { text: 'Thanks! Here is the link.' } })
			.reply(200, { recipient_id: '2222222222222222', message_id: 'm_pr' });
		const { output } = await run(
			'sendPrivateReply',
			{ commentId: '={{ $json.comment.id }}', text: 'Thanks! Here is the link.' },
			[{ json: { eventType: 'comment', comment: { id: COMMENT, text: 'link?' } } }],
		);
		expect(output('Instagram Messaging')[0].json).toEqual({
			commentId: COMMENT,
			recipientId: '2222222222222222',
			messageId: 'm_pr',
		});
		expect(scope.isDone()).toBe(true);
	});

	it("explains Meta's refusal of a second private reply", async () => {
		nock(GRAPH)
			.post(messages)
			.reply(400, {
				error: {
					message: '(#10) A private reply has already been sent for this comment',
					type: 'IGApiException',
					code: 10,
					error_subcode: 2534025,
				},
			});
		const { error } = await run('sendPrivateReply', { commentId: COMMENT, text: 'Again' });
		const failure = error('Instagram Messaging') as Error & { description?: string };
		expect(failure.message).toBe(
			'Instagram refused the private reply: one per comment, within 7 days of the comment',
		);
		expect(failure.description).toContain('subcode 2534025');
	});

	it('refuses a trigger comment item older than 7 days before calling Meta', async () => {
		const comment = (ageMs: number) => ({
			json: {
				eventType: 'comment',
				timestampMs: Date.now() - ageMs,
				comment: { id: COMMENT, text: 'link?' },
			},
		});
		const old = await run('sendPrivateReply', { commentId: '={{ $json.comment.id }}', text: 'Hi' }, [
			comment(8 * 86_400_000),
		]);
		expect(old.error('Instagram Messaging')?.message).toBe(
			'The comment is 8 days old: private replies are allowed within 7 days',
		);
		expect(nock.pendingMocks()).toEqual([]);

		const scope = nock(GRAPH)
			.post(messages)
			.reply(200, { recipient_id: '2222222222222222', message_id: 'm_pr6' });
		const recent = await run('sendPrivateReply', { commentId: '={{ $json.comment.id }}', text: 'Hi' }, [
			comment(6 * 86_400_000),
		]);
		expect(recent.output('Instagram Messaging')[0].json.messageId).toBe('m_pr6');
		expect(scope.isDone()).toBe(true);
	});

	it("a private reply discloses automation in its text, and counts for the commenter's conversation", async () => {
		const commenter = '2222222222222222';
		const staticData = {};
		const item = {
			json: {
				eventType: 'comment',
				customerId: commenter,
				timestampMs: Date.now() - 60_000,
				comment: { id: COMMENT },
			},
		};
		const reply = nock(GRAPH)
			.post(messages, {
				recipient: { comment_id: COMMENT },
				message: { text: "You're chatting with an automated assistant.\n\nHere is the link." },
			})
			.reply(200, { recipient_id: commenter, message_id: 'm_pr_disclosed' });
		const first = await runWorkflow({
			nodes: [
				actionNode({
					resource: 'message',
					operation: 'sendPrivateReply',
					commentId: COMMENT,
					text: 'Here is the link.',
					discloseAutomation: true,
				}),
			],
			credentials: instagramLoginCredentials,
			input: [item],
			staticData,
		});
		expect(first.error('Instagram Messaging')?.message).toBeUndefined();
		expect(first.output('Instagram Messaging')[0].json).toMatchObject({
			messageId: 'm_pr_disclosed',
			disclosed: 'firstMessage',
		});
		expect(reply.isDone()).toBe(true);
		// The commenter answers; the bot's next message in that conversation does not disclose again.
		const dm = nock(GRAPH)
			.post(messages, {
				recipient: { id: commenter },
				message: { text: 'Anything else?' },
				messaging_type: 'RESPONSE',
			})
			.reply(200, { recipient_id: commenter, message_id: 'm_dm' });
		const second = await runWorkflow({
			nodes: [
				actionNode({
					resource: 'message',
					operation: 'sendText',
					recipientId: commenter,
					text: 'Anything else?',
					discloseAutomation: true,
				}),
			],
			credentials: instagramLoginCredentials,
			input: [inbound(1_000, commenter)],
			staticData,
		});
		expect(second.error('Instagram Messaging')?.message).toBeUndefined();
		expect(second.output('Instagram Messaging')[0].json.disclosed).toBeNull();
		expect(dm.isDone()).toBe(true);
	});

	it('a private reply to a comment whose author is unknown always discloses, and keeps no record for the comment', async () => {
		const staticData: { global?: Record<string, unknown> } = {};
		for (const comment of ['18000000000000011', '18000000000000012']) {
			const scope = nock(GRAPH)
				.post(messages, {
					recipient: { comment_id: comment },
					message: { text: "You're chatting with an automated assistant.\n\nHi!" },
				})
				.reply(200, { recipient_id: '3333333333333333', message_id: `m_${comment}` });
			const { output } = await runWorkflow({
				nodes: [
					actionNode({
						resource: 'message',
						operation: 'sendPrivateReply',
						commentId: comment,
						text: 'Hi!',
						discloseAutomation: true,
					}),
				],
				credentials: instagramLoginCredentials,
				staticData,
			});
			expect(output('Instagram Messaging')[0].json.disclosed).toBe('firstMessage');
			expect(scope.isDone()).toBe(true);
		}
		expect(JSON.stringify(staticData)).not.toContain('18000000000000011');
	});

	it('refuses a private reply whose text and disclosure do not fit in one message, before calling Meta', async () => {
		const { error } = await runWorkflow({
			nodes: [
				actionNode({
					resource: 'message',
					operation: 'sendPrivateReply',
					commentId: COMMENT,
					text: 'x'.repeat(990),
					discloseAutomation: true,
				}),
			],
			credentials: instagramLoginCredentials,
		});
		expect(error('Instagram Messaging')?.message).toBe(
			'The private reply and the disclosure together are over 1000 bytes',
		);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('validates the comment ID and the text before calling Meta', async () => {
		expect(
			(await run('sendPrivateReply', { commentId: 'abc', text: 'Hi' })).error('Instagram Messaging')?.message,
		).toBe('Comment ID "abc" is not a valid ID');
		expect(
			(await run('sendPrivateReply', { commentId: COMMENT, text: 'é'.repeat(501) })).error(
				'Instagram Messaging',
			)?.message,
		).toBe('Text is too long: 1002 bytes, Instagram accepts at most 1000');
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('Message → Get', () => {
	const raw = {
		id: MID,
		created_time: '2026-11-24T09:30:00+0000',
		from: { username: 'jane', id: CUSTOMER },
		to: { data: [{ username: 'shop', id: ACCOUNT }] },
		message: 'Do you have it in M?',
		attachments: {
			data: [{ id: 'att1', image_data: { url: 'https://cdn.example.com/x.jpg', width: 10, height: 10 } }],
		},
		reactions: { data: [{ reaction: 'love', users: [{ id: ACCOUNT }] }] },
	};
	const fields = 'id,created_time,from,to,message,attachments,shares,story,reactions,is_unsupported';

	it('simplifies by default, to the shape of Conversation → Get Messages', async () => {
		const scope = nock(GRAPH)
			.get(`/${GRAPH_API_VERSION}/${encodeURIComponent(MID)}`)
			.query({ fields })
			.reply(200, raw)
			.get(`/${GRAPH_API_VERSION}/me`)
			.query({ fields: 'user_id' })
			.reply(200, { user_id: ACCOUNT });
		const { output } = await run('get', { messageId: MID });
		expect(output('Instagram Messaging')[0].json).toEqual({
			id: MID,
			createdTime: '2026-11-24T09:30:00.000Z',
			direction: 'inbound',
			fromId: CUSTOMER,
			fromUsername: 'jane',
			toId: ACCOUNT,
			toUsername: 'shop',
			text: 'Do you have it in M?',
			attachments: [{ type: 'image', url: 'https://cdn.example.com/x.jpg' }],
			sharedLinks: [],
			storyMentionUrl: null,
			storyReplyUrl: null,
			reactions: raw.reactions.data,
			isUnsupported: false,
		});
		expect(scope.isDone()).toBe(true);
	});

	it("returns Meta's raw object when Simplify is off", async () => {
		nock(GRAPH)
			.get(`/${GRAPH_API_VERSION}/${encodeURIComponent(MID)}`)
			.query({ fields })
			.reply(200, raw);
		const { output } = await run('get', { messageId: MID, simplify: false });
		expect(output('Instagram Messaging')[0].json).toEqual(raw);
	});

	it('explains an unknown message id', async () => {
		nock(GRAPH)
			.get(`/${GRAPH_API_VERSION}/nope`)
			.query(true)
			.reply(400, {
				error: {
					message: "Unsupported get request. Object with ID 'nope' does not exist",
					code: 100,
					error_subcode: 33,
				},
			});
		const { error } = await run('get', { messageId: 'nope' });
		expect(error('Instagram Messaging')?.message).toBe(
			'The object does not exist or this token cannot see it',
		);
	});
});
