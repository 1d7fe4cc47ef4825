import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { assertCharacters, assertCount, assertNotWaitReference, customerIdDescription } from '../validation';

export const recipientIdProperty: INodeProperties = {
	displayName: 'Recipient ID',
	name: 'recipientId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '1111111111111111',
	description: customerIdDescription,
};

/** Meta shows at most this many characters of a button title (Messenger templates). */
export const MAX_BUTTON_TITLE = 20;

/** The fields of one template button: Open URL (`web_url`) or Postback (`postback`). */
export const buttonFields: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: [
			{
				name: 'Open URL',
				value: 'web_url',
				description: 'Opens a web page',
			},
			{
				name: 'Postback',
				value: 'postback',
				description: 'Sends the payload back to your webhook (Instagram Messaging Trigger, postback event)',
			},
		],
		default: 'postback',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		description: 'Button label, at most 20 characters',
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/faq',
		displayOptions: { show: { type: ['web_url'] } },
	},
	{
		displayName: 'Payload',
		name: 'payload',
		type: 'string',
		default: '',
		placeholder: 'ORDER_STATUS',
		description: 'Text your workflow receives when the customer taps the button',
		displayOptions: { show: { type: ['postback'] } },
	},
];

export interface ButtonInput {
	type?: string;
	title?: string;
	url?: string;
	payload?: string;
}

export const messageIdProperty: INodeProperties = {
	displayName: 'Message ID',
	name: 'messageId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlE…',
	description:
		'ID of a message in the conversation, for example the mid field of the Instagram Messaging Trigger',
};

/** Title and payload of one tappable choice (a quick reply, or a Send and Wait choice). */
export function choiceFields(payloadDescription: string): INodeProperties[] {
	return [
		{
			displayName: 'Title',
			name: 'title',
			type: 'string',
			default: '',
			description: 'Text of the choice, at most 20 characters',
		},
		{
			displayName: 'Payload',
			name: 'payload',
			type: 'string',
			default: '',
			description: payloadDescription,
		},
	];
}

/** One tappable choice as Meta takes it: its title, and its payload (empty: the title). */
export function choiceOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	choice: { title?: string; payload?: string },
	field: string,
	limits: { title: number; payload: number },
): { title: string; payload: string } {
	const title = assertCharacters(ctx, choice.title ?? '', itemIndex, `${field}: Title`, limits.title);
	const payload = String(choice.payload ?? '') === '' ? title : String(choice.payload);
	assertCharacters(ctx, payload, itemIndex, `${field}: Payload`, limits.payload);
	assertNotWaitReference(ctx, payload, itemIndex, `${field}: Payload`);
	return { title, payload };
}

/** Quick replies (instagram-api.md §3.9): at most 13, titles shown up to 20 characters. */
export const MAX_QUICK_REPLIES = 13;
export const MAX_QUICK_REPLY_TITLE = 20;
const MAX_QUICK_REPLY_PAYLOAD = 1000;

/** The quick replies of Send Quick Replies and of an ad's welcome flow. */
export const quickRepliesProperty: INodeProperties = {
	displayName: 'Quick Replies',
	name: 'quickReplies',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Quick Reply',
	default: {},
	description:
		'Up to 13 choices shown as buttons under the message (not on Instagram web). The tap arrives at the Instagram Messaging Trigger as a message with the payload.',
	options: [
		{
			displayName: 'Quick Reply',
			name: 'quickReply',
			values: choiceFields('What your workflow receives when the customer taps it. Empty: the title.'),
		},
	],
};

/** The item's Quick Replies as Meta takes them, each checked (count, title, payload). */
export function quickRepliesOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Array<{ content_type: 'text'; title: string; payload: string }> {
	const replies =
		(
			ctx.getNodeParameter('quickReplies', itemIndex, {}) as {
				quickReply?: Array<{ title?: string; payload?: string }>;
			}
		).quickReply ?? [];
	assertCount(ctx, replies.length, itemIndex, 'Quick Replies', MAX_QUICK_REPLIES);
	return replies.map((reply, index) => ({
		content_type: 'text' as const,
		...choiceOf(ctx, itemIndex, reply, `Quick Reply ${index + 1}`, {
			title: MAX_QUICK_REPLY_TITLE,
			payload: MAX_QUICK_REPLY_PAYLOAD,
		}),
	}));
}
