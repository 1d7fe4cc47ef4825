import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../node.type';
import * as get from './get.operation';
import * as react from './react.operation';
import * as sendAndWait from './sendAndWait.operation';
import * as sendButtonTemplate from './sendButtonTemplate.operation';
import * as sendGenericTemplate from './sendGenericTemplate.operation';
import * as sendMedia from './sendMedia.operation';
import * as sendPrivateReply from './sendPrivateReply.operation';
import * as sendQuickReplies from './sendQuickReplies.operation';
import * as sendSenderAction from './sendSenderAction.operation';
import * as sendSticker from './sendSticker.operation';
import * as sendText from './sendText.operation';
import * as sharePost from './sharePost.operation';
import * as unreact from './unreact.operation';

export const operations: Record<string, OperationModule> = {
	get,
	react,
	sendAndWait,
	sendButtonTemplate,
	sendGenericTemplate,
	sendMedia,
	sendPrivateReply,
	sendQuickReplies,
	sendSenderAction,
	sendSticker,
	sendText,
	sharePost,
	unreact,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description:
					'Get one message by ID: sender, recipient, text, attachments, shares, story and reactions (the 20 most recent messages of a conversation only)',
				action: 'Get a message',
			},
			{
				name: 'React',
				value: 'react',
				description:
					'React to a message of the customer with a heart ("love") or an emoji; no messaging-window check applies',
				action: 'React to a message',
			},
			{
				name: 'Send and Wait for Response',
				value: 'sendAndWait',
				description:
					'Ask the customer a question (quick replies, buttons, yes or no, or free text) and pause the workflow until they answer in the thread or the time limit passes',
				action: 'Send a message and wait for the answer',
			},
			{
				name: 'Send Button Template',
				value: 'sendButtonTemplate',
				description: 'Send a text with up to 3 buttons that open a web page or send a postback payload back',
				action: 'Send a button template',
			},
			{
				name: 'Send Generic Template',
				value: 'sendGenericTemplate',
				description:
					'Send up to 10 cards (title, subtitle, image, link, up to 3 buttons each) shown as a carousel',
				action: 'Send a generic template',
			},
			{
				name: 'Send Media',
				value: 'sendMedia',
				description:
					'Send an image, video, audio or PDF file (by URL, from a binary file, or by attachment ID), or up to 10 images in one message',
				action: 'Send media',
			},
			{
				name: 'Send Private Reply',
				value: 'sendPrivateReply',
				description:
					'Send a direct message to the author of a comment on a post or reel: once per comment, within 7 days of the comment',
				action: 'Send a private reply to a comment',
			},
			{
				name: 'Send Quick Replies',
				value: 'sendQuickReplies',
				description:
					'Send a text with up to 13 tappable choices; the chosen payload comes back to the trigger as a message',
				action: 'Send quick replies',
			},
			{
				name: 'Send Sender Action',
				value: 'sendSenderAction',
				description: "Show or hide the typing indicator, or mark the customer's latest message as seen",
				action: 'Send a sender action',
			},
			{
				name: 'Send Sticker',
				value: 'sendSticker',
				description: 'Send the heart sticker to a customer',
				action: 'Send a heart sticker',
			},
			{
				name: 'Send Text',
				value: 'sendText',
				description: 'Send a text message to a customer',
				action: 'Send a text message',
			},
			{
				name: 'Share Post',
				value: 'sharePost',
				description: "Share one of this account's own published posts or reels with a customer by post ID",
				action: 'Share a post',
			},
			{
				name: 'Unreact',
				value: 'unreact',
				description: "Remove this account's reaction from a message",
				action: 'Remove a reaction from a message',
			},
		],
		default: 'sendText',
	},
	...get.description,
	...react.description,
	...sendAndWait.description,
	...sendButtonTemplate.description,
	...sendGenericTemplate.description,
	...sendMedia.description,
	...sendPrivateReply.description,
	...sendQuickReplies.description,
	...sendSenderAction.description,
	...sendSticker.description,
	...sendText.description,
	...sharePost.description,
	...unreact.description,
];
