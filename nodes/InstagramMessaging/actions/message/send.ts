import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { decideWindow, type Author, type MessagingType } from '../../policy/window';
import { graphRequest, serialize, type GraphConnection, type RateClass } from '../../transport';
import { lastCustomerMessageAt } from './lastCustomerMessage';

/** "Written By" and the window options, shared by every operation that sends a message. */
export const sendPolicyProperties: INodeProperties[] = [
	{
		displayName: 'Written By',
		name: 'writtenBy',
		type: 'options',
		options: [
			{
				name: 'Bot (Automated)',
				value: 'bot',
				description: 'Sent by the workflow or an AI agent: only within 24 hours of the customer\'s last message',
			},
			{
				name: 'Human Agent',
				value: 'human',
				description:
					'Written by a person (for example from a helpdesk): between 24 hours and 7 days it is tagged HUMAN_AGENT automatically',
			},
		],
		default: 'bot',
		description: 'Who wrote this message. Meta allows the HUMAN_AGENT tag only on messages a person wrote.',
	},
	{
		displayName: 'Window Options',
		name: 'windowOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Customer Last Message Time',
				name: 'lastCustomerMessageAt',
				type: 'string',
				default: '',
				placeholder: '2026-11-24T09:30:00Z',
				description:
					'When the customer last wrote (ISO date or milliseconds). Leave empty to take it from the incoming trigger item, or else from the conversation on Instagram.',
			},
			{
				displayName: 'Messaging Type',
				name: 'messagingType',
				type: 'options',
				options: [
					{ name: 'Response', value: 'RESPONSE', description: 'A reply to the customer' },
					{ name: 'Update', value: 'UPDATE', description: 'A proactive message within the 24-hour window' },
					{
						name: 'Message Tag (HUMAN_AGENT)',
						value: 'MESSAGE_TAG',
						description: 'Always tag HUMAN_AGENT: only for messages a person wrote',
					},
				],
				default: 'RESPONSE',
			},
		],
	},
];

export interface SendOptions {
	/** Whether the messaging window and tag policy apply (messages: yes; reactions, typing: no). */
	policy: boolean;
	rateClass?: RateClass;
	/**
	 * Runs once the policy allowed the send, in the recipient's queue, right before the request:
	 * returns the final body (e.g. after uploading a file and referencing its attachment id).
	 */
	prepare?: (request: IDataObject) => Promise<IDataObject>;
}

function recipientKey(body: IDataObject): string {
	const recipient = (body.recipient ?? {}) as IDataObject;
	return String(recipient.id ?? recipient.comment_id ?? '');
}

/**
 * Sends one request to the Send API: applies the window and HUMAN_AGENT policy before calling
 * Meta, keeps one customer's messages in order, and never repeats a send Meta may have accepted.
 */
export async function sendToInstagram(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
	body: IDataObject,
	options: SendOptions,
): Promise<IDataObject> {
	const request: IDataObject = { ...body };
	let author: Author | undefined;
	if (options.policy) {
		author = this.getNodeParameter('writtenBy', itemIndex, 'bot') as Author;
		const windowOptions = this.getNodeParameter('windowOptions', itemIndex, {}) as {
			messagingType?: MessagingType;
			lastCustomerMessageAt?: string | number;
		};
		const customerId = recipientKey(body);
		const decision = decideWindow({
			author,
			messagingType: windowOptions.messagingType ?? 'RESPONSE',
			lastCustomerMessageAt: await lastCustomerMessageAt.call(
				this,
				itemIndex,
				connection,
				customerId,
				windowOptions.lastCustomerMessageAt,
			),
			now: Date.now(),
		});
		if (!decision.allowed) {
			throw new NodeOperationError(this.getNode(), decision.message, {
				itemIndex,
				description: decision.description,
			});
		}
		request.messaging_type = decision.messagingType;
		if (decision.tag) request.tag = decision.tag;
	}

	const response = await serialize(`${connection.accountKey}|${recipientKey(body)}`, async () =>
		graphRequest.call(this, connection, {
			method: 'POST',
			path: `/${connection.selfId}/messages`,
			body: options.prepare ? await options.prepare(request) : request,
			idempotent: false,
			rateClass: options.rateClass ?? 'send',
			itemIndex,
		}),
	);
	const result: IDataObject = {
		recipientId: String(response.recipient_id ?? recipientKey(body)),
		messageId: response.message_id === undefined ? null : String(response.message_id),
	};
	if (author) {
		result.writtenBy = author;
		result.tag = (request.tag as string | undefined) ?? null;
	}
	return result;
}
