/**
 * Every Message operation once, in a real n8n 2.41.1 against the sandbox: a DM starts the
 * workflow, a Code node produces a binary image, and the chain sends it (upload + send), media by
 * URL, several images, the heart sticker, quick replies, both templates, a shared post, a typing
 * indicator, a reaction and its removal, a private reply to a comment, a text, and reads one
 * message back. The uploaded image must reach the sandbox byte for byte. It runs with the Facebook
 * Page setup: Meta documents its attachment upload there only.
 */
import { createHash, randomBytes } from 'crypto';
import type { INode } from 'n8n-workflow';

import { SANDBOX_DEFAULTS, type MetaSandbox } from '../../sandbox';
import { nodeOutput, useScenario, type N8nServer, type WorkflowJson } from './harness';

const WEBHOOK_ID = 'instagram-message-ops';
const WEBHOOK_PATH = `${WEBHOOK_ID}/webhook`;
const VERIFY_TOKEN = 'message-ops-verify-token';
const account = SANDBOX_DEFAULTS.facebookPage;
const customer = SANDBOX_DEFAULTS.customer.id;
const COMMENTER = '3333333333333333';
const COMMENT_ID = '18000000000000123';
const POST_ID = '17900000000000002';
const credentialRef = { facebookPageApi: { id: 'REPLACE', name: 'Instagram via Facebook Page' } };

/** A PNG-looking image: the PNG signature (not valid UTF-8) and random bytes. */
const IMAGE = Buffer.concat([
	Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
	randomBytes(30_000),
]);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const window = { lastCustomerMessageAt: "={{ $('Instagram Messaging Trigger').item.json.timestampMs }}" };
const fromTrigger = "={{ $('Instagram Messaging Trigger').item.json.customerId }}";

let position = 0;
function op(name: string, parameters: Record<string, unknown>): INode {
	position += 220;
	return {
		id: `7a0c1a2b-0000-4000-8000-${String(position).padStart(12, '0')}`,
		name,
		type: 'n8n-nodes-instagram-messaging.instagramMessaging',
		typeVersion: 1,
		position: [position, 0],
		// One request per operation: the disclosure rule is proven elsewhere.
		parameters: {
			authentication: 'facebookPageApi',
			resource: 'message',
			discloseAutomation: false,
			...parameters,
		},
		credentials: credentialRef,
	} as INode;
}

const chain: INode[] = [
	op('Send Image Binary', {
		operation: 'sendMedia',
		recipientId: fromTrigger,
		mediaType: 'image',
		source: 'binary',
		binaryPropertyName: 'photo',
	}),
	op('Send Video URL', {
		operation: 'sendMedia',
		recipientId: fromTrigger,
		mediaType: 'video',
		source: 'url',
		url: 'https://cdn.example.com/clip.mp4',
		windowOptions: window,
	}),
	op('Send Several Images', {
		operation: 'sendMedia',
		recipientId: fromTrigger,
		mediaType: 'images',
		images: {
			image: [
				{ source: 'url', url: 'https://cdn.example.com/1.jpg' },
				{ source: 'attachmentId', attachmentId: "={{ $('Send Image Binary').item.json.attachmentIds[0] }}" },
			],
		},
		windowOptions: window,
	}),
	op('Send Sticker', { operation: 'sendSticker', recipientId: fromTrigger, windowOptions: window }),
	op('Send Quick Replies', {
		operation: 'sendQuickReplies',
		recipientId: fromTrigger,
		text: 'What do you need?',
		quickReplies: {
			quickReply: [
				{ title: 'Track order', payload: 'TRACK' },
				{ title: 'Talk to a human', payload: 'HUMAN' },
			],
		},
		windowOptions: window,
	}),
	op('Send Generic Template', {
		operation: 'sendGenericTemplate',
		recipientId: fromTrigger,
		cards: {
			card: [
				{
					title: 'Blue tee',
					subtitle: '$24',
					imageUrl: 'https://cdn.example.com/tee.jpg',
					buttons: { button: [{ type: 'postback', title: 'Buy', payload: 'BUY_TEE' }] },
				},
			],
		},
		windowOptions: window,
	}),
	op('Send Button Template', {
		operation: 'sendButtonTemplate',
		recipientId: fromTrigger,
		text: 'How can we help?',
		buttons: { button: [{ type: 'web_url', title: 'FAQ', url: 'https://example.com/faq' }] },
		windowOptions: window,
	}),
	op('Share Post', {
		operation: 'sharePost',
		recipientId: fromTrigger,
		postId: POST_ID,
		windowOptions: window,
	}),
	op('Typing On', { operation: 'sendSenderAction', recipientId: fromTrigger, senderAction: 'typing_on' }),
	op('React', {
		operation: 'react',
		recipientId: fromTrigger,
		messageId: "={{ $('Instagram Messaging Trigger').item.json.mid }}",
		reaction: '❤️',
	}),
	op('Unreact', {
		operation: 'unreact',
		recipientId: fromTrigger,
		messageId: "={{ $('Instagram Messaging Trigger').item.json.mid }}",
	}),
	op('Private Reply', {
		operation: 'sendPrivateReply',
		commentId: COMMENT_ID,
		text: 'Thanks for your comment!',
	}),
	op('Send Text', {
		operation: 'sendText',
		recipientId: fromTrigger,
		text: 'All done.',
		windowOptions: window,
	}),
	op('Get Message', { operation: 'get', messageId: "={{ $('Send Image Binary').item.json.messageId }}" }),
];

const workflow: WorkflowJson = {
	name: 'Every Message operation',
	nodes: [
		{
			id: '7a0c1a2b-0000-4000-8000-000000000001',
			name: 'Instagram Messaging Trigger',
			type: 'n8n-nodes-instagram-messaging.instagramMessagingTrigger',
			typeVersion: 2,
			position: [0, 0],
			webhookId: WEBHOOK_ID,
			parameters: {
				authentication: 'facebookPageApi',
				verifyToken: VERIFY_TOKEN,
				events: ['message'],
				options: {},
			},
			credentials: credentialRef,
		} as INode,
		{
			id: '7a0c1a2b-0000-4000-8000-000000000002',
			name: 'Make Image',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [110, 0],
			parameters: {
				jsCode: `return [{ json: $input.first().json, binary: { photo: { data: '${IMAGE.toString('base64')}', mimeType: 'image/png', fileName: 'photo.png', fileExtension: 'png' } } }];`,
			},
		} as INode,
		...chain,
	],
	connections: {
		'Instagram Messaging Trigger': { main: [[{ node: 'Make Image', type: 'main', index: 0 }]] },
		'Make Image': { main: [[{ node: chain[0].name, type: 'main', index: 0 }]] },
		...Object.fromEntries(
			chain
				.slice(0, -1)
				.map((node, i) => [node.name, { main: [[{ node: chain[i + 1].name, type: 'main', index: 0 }]] }]),
		),
	},
	settings: { executionOrder: 'v1' },
};

describe('Every Message operation in a real n8n', () => {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let workflowId: string;

	useScenario(
		{
			name: 'message-operations',
			shared: true,
			workflows: [workflow],
			webhookPaths: [WEBHOOK_PATH],
			verifyToken: VERIFY_TOKEN,
		},
		(scenario) => {
			({ sandbox, server } = scenario);
			[workflowId] = scenario.workflowIds;
		},
	);

	it('runs every operation once; the binary image arrives intact', async () => {
		sandbox.addMedia({ id: POST_ID, caption: 'New drop', account: 'facebookPage' });
		sandbox.addComment({ id: COMMENT_ID, from: COMMENTER, text: 'Link please?', account: 'facebookPage' });
		const { delivery, event } = await sandbox.customerSays({
			account: 'facebookPage',
			text: 'hi, show me what you have',
		});
		expect(delivery?.status).toBe(200);

		const [execution] = await server.waitForExecutions(workflowId, 1);
		if (execution.status !== 'success')
			throw new Error(`execution failed: ${JSON.stringify(execution.data?.resultData.error)}`);
		expect(sandbox.rejected()).toEqual([]);

		// the uploaded file, byte for byte
		const [uploaded, ...moreUploads] = sandbox.attachments();
		expect(moreUploads).toEqual([]);
		expect(uploaded).toMatchObject({
			type: 'image',
			contentType: 'image/png',
			fileName: 'photo.png',
			size: IMAGE.length,
			sha256: sha256(IMAGE),
		});
		expect(uploaded?.bytes?.equals(IMAGE)).toBe(true);

		const sent = sandbox.sent();
		const shapes = sent.map((r) => {
			const message = (r.body.message ?? {}) as Record<string, unknown>;
			const attachment = (message.attachment ?? {}) as Record<string, unknown>;
			return (
				r.senderAction ??
				r.commentId ??
				(attachment.type as string | undefined) ??
				(message.attachments ? 'attachments' : message.quick_replies ? 'quick_replies' : 'text')
			);
		});
		expect(shapes).toEqual([
			'image',
			'video',
			'attachments',
			'like_heart',
			'quick_replies',
			'template',
			'template',
			'MEDIA_SHARE',
			'typing_on',
			'react',
			'unreact',
			COMMENT_ID,
			'text',
		]);
		expect(sent[0]?.body.message).toEqual({
			attachment: { type: 'image', payload: { attachment_id: uploaded?.id } },
		});
		expect(sent[2]?.attachments).toEqual([
			{ type: 'image', payload: { url: 'https://cdn.example.com/1.jpg' } },
			{ type: 'image', payload: { attachment_id: uploaded?.id } },
		]);
		expect(sent[9]?.body.payload).toEqual({ message_id: event.message?.mid, reaction: '❤️' });
		expect(sent[11]).toMatchObject({ recipientId: COMMENTER, text: 'Thanks for your comment!' });
		expect(sent.filter((r) => r.recipientId === customer)).toHaveLength(12);

		expect(nodeOutput(execution, 'Send Image Binary')).toEqual([
			{
				recipientId: customer,
				messageId: sent[0]?.messageId,
				writtenBy: 'bot',
				tag: null,
				attachmentIds: [uploaded?.id],
			},
		]);
		expect(nodeOutput(execution, 'React')).toEqual([
			{ recipientId: customer, reactedToMessageId: event.message?.mid, reaction: '❤️', success: true },
		]);
		expect(nodeOutput(execution, 'Private Reply')).toEqual([
			{ commentId: COMMENT_ID, recipientId: COMMENTER, messageId: sent[11]?.messageId },
		]);
		const [got] = nodeOutput(execution, 'Get Message');
		expect(got).toMatchObject({
			id: sent[0]?.messageId,
			fromId: account.igUserId,
			toId: customer,
			text: null,
		});
		expect(JSON.stringify(got?.attachments)).toContain(`asset_id=${uploaded?.id ?? ''}`);
	});

	it('prints no token or secret in the n8n log', () => {
		const log = server.logs();
		expect(log).not.toContain(account.pageAccessToken);
		expect(log).not.toContain(account.metaAppSecret);
	});
});
