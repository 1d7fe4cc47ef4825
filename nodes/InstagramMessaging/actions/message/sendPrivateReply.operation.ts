import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { HUMAN_AGENT_WINDOW_MS, type GraphConnection } from '../../transport';
import { commentFromInput, commentIdParameter, commentIdProperty } from '../comment/common';
import { assertTextFits } from '../validation';
import { privateReplyDisclosureProperties, sendToInstagram } from '../send';

const properties: INodeProperties[] = [
	{
		...commentIdProperty,
		description:
			'ID of the comment to answer privately, for example the comment ID of a comment event from the Instagram Messaging Trigger',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'Message text, at most 1000 UTF-8 bytes',
	},
	{
		displayName:
			"Instagram allows one private reply per comment, within 7 days of the comment (Live comments: only during the broadcast). It lands in the commenter's inbox or message requests and does not open the 24-hour window; the window opens when they answer. No HUMAN_AGENT tag applies.",
		name: 'privateReplyNotice',
		type: 'notice',
		default: '',
	},
	// Usually the first automated message a person gets: disclosed like every bot message, in its text.
	...privateReplyDisclosureProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendPrivateReply'] } },
	properties,
);

/** Private replies are accepted within 7 days of the comment (instagram-api.md §3.14). */
export const PRIVATE_REPLY_WINDOW_MS = HUMAN_AGENT_WINDOW_MS;

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const commentId = commentIdParameter(this, itemIndex);
	const text = this.getNodeParameter('text', itemIndex) as string;
	assertTextFits(this, text, itemIndex);
	const { writtenAt, commenterId } = commentFromInput(this, itemIndex, commentId);
	if (writtenAt !== undefined && Date.now() - writtenAt > PRIVATE_REPLY_WINDOW_MS) {
		const days = Math.floor((Date.now() - writtenAt) / 86_400_000);
		throw new NodeOperationError(
			this.getNode(),
			`The comment is ${days} days old: private replies are allowed within 7 days`,
			{
				itemIndex,
				description:
					'Instagram accepts one private reply per comment, within 7 days of the comment. Answer in the conversation instead if the person has messaged you.',
			},
		);
	}
	const body: IDataObject = { recipient: { comment_id: commentId }, message: { text } };
	// Meta enforces one reply per comment and the 7 days; the messaging window does not apply.
	const result = await sendToInstagram.call(this, itemIndex, connection, body, {
		policy: false,
		privateReply: { commenterId },
	});
	return { commentId, ...result };
}
