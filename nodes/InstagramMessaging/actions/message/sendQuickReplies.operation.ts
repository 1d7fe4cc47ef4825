import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { assertCount, assertTextFits, recipientIdParameter } from '../validation';
import { choiceFields, choiceOf, recipientIdProperty } from './common';
import { sendPolicyProperties, sendToInstagram } from '../send';

/** Quick replies (instagram-api.md §3.9): at most 13, titles shown up to 20 characters. */
export const MAX_QUICK_REPLIES = 13;
export const MAX_QUICK_REPLY_TITLE = 20;
const MAX_PAYLOAD = 1000;

const properties: INodeProperties[] = [
	recipientIdProperty,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		description: 'The question shown above the choices, at most 1000 UTF-8 bytes',
	},
	{
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
	},
	...sendPolicyProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendQuickReplies'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const recipientId = recipientIdParameter(this, itemIndex);
	const text = this.getNodeParameter('text', itemIndex) as string;
	assertTextFits(this, text, itemIndex);
	const replies =
		(
			this.getNodeParameter('quickReplies', itemIndex, {}) as {
				quickReply?: Array<{ title?: string; payload?: string }>;
			}
		).quickReply ?? [];
	assertCount(this, replies.length, itemIndex, 'Quick Replies', MAX_QUICK_REPLIES);
	const quickReplies = replies.map((reply, index) => ({
		content_type: 'text',
		...choiceOf(this, itemIndex, reply, `Quick Reply ${index + 1}`, {
			title: MAX_QUICK_REPLY_TITLE,
			payload: MAX_PAYLOAD,
		}),
	}));
	const body: IDataObject = {
		recipient: { id: recipientId },
		message: { text, quick_replies: quickReplies },
	};
	return await sendToInstagram.call(this, itemIndex, connection, body, { policy: true });
}
