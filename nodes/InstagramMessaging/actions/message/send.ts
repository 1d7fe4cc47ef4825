import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	DEFAULT_DISCLOSURE_LAPSE_HOURS,
	DEFAULT_DISCLOSURE_TEXT,
	DisclosureStore,
	disclosureReason,
	withDisclosure,
	type DisclosureReason,
} from '../../policy/disclosure';
import { decideWindow, type Author, type MessagingType } from '../../policy/window';
import { INSTAGRAM_INBOX_APP_ID, MAX_TEXT_BYTES } from '../../transport/constants';
import { utf8Bytes } from '../validation';
import { graphRequest, serialize, type GraphConnection, type RateClass } from '../../transport';
import { lastCustomerMessageAt } from './lastCustomerMessage';

/** Meta's disclosure rule for automated chats (instagram-api.md §6.4), on bot messages only. */
export const disclosureProperties: INodeProperties[] = [
	{
		displayName: 'Disclose Automation',
		name: 'discloseAutomation',
		type: 'boolean',
		default: true,
		displayOptions: { show: { writtenBy: ['bot'] } },
		description:
			'Whether to tell the customer that they are chatting with an automated assistant: on the first automated message in a conversation, after a lapse, and after a person held the conversation',
	},
	{
		displayName: 'Disclosure Options',
		name: 'disclosureOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { writtenBy: ['bot'], discloseAutomation: [true] } },
		options: [
			{
				displayName: 'Disclose Again After (Hours)',
				name: 'lapseHours',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_DISCLOSURE_LAPSE_HOURS,
				description: 'Disclose again when no automated message was sent in the conversation for this long',
			},
			{
				displayName: 'Disclosure Text',
				name: 'text',
				type: 'string',
				default: DEFAULT_DISCLOSURE_TEXT,
				description: 'Put before the message text, or sent on its own before messages without text',
			},
			{
				displayName: 'Send As Separate Message',
				name: 'separate',
				type: 'boolean',
				default: false,
				description:
					'Whether to send the disclosure as its own message instead of putting it before the text',
			},
		],
	},
];

/** "Written By", disclosure and the window options, shared by every operation that sends a message. */
export const sendPolicyProperties: INodeProperties[] = [
	{
		displayName: 'Written By',
		name: 'writtenBy',
		type: 'options',
		options: [
			{
				name: 'Bot (Automated)',
				value: 'bot',
				description:
					"Sent by the workflow or an AI agent: only within 24 hours of the customer's last message",
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
	...disclosureProperties,
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

interface DisclosureSettings {
	text: string;
	lapseMs: number;
	separate: boolean;
}

function disclosureSettings(ctx: IExecuteFunctions, itemIndex: number): DisclosureSettings | undefined {
	if (!(ctx.getNodeParameter('discloseAutomation', itemIndex, false) as boolean)) return undefined;
	const options = ctx.getNodeParameter('disclosureOptions', itemIndex, {}) as {
		text?: string;
		lapseHours?: number;
		separate?: boolean;
	};
	const text = (options.text ?? DEFAULT_DISCLOSURE_TEXT).trim();
	if (text === '') return undefined;
	return {
		text,
		lapseMs: (options.lapseHours ?? DEFAULT_DISCLOSURE_LAPSE_HOURS) * 3_600_000,
		separate: options.separate === true,
	};
}

/** The per-conversation record behind the disclosure rule, in the workflow's static data. */
export function disclosureStore(ctx: IExecuteFunctions): DisclosureStore {
	return DisclosureStore.in(ctx.getWorkflowStaticData('global'));
}

export function threadKey(connection: GraphConnection, customerId: string): string {
	return `${connection.accountKey}|${customerId}`;
}

/**
 * A handover event from the trigger that gives the thread back (a person passed it or this app took
 * it), or the output of Take Control, proves on its own that a person held the conversation: no stored state needed, so the
 * disclosure survives even when a concurrent execution overwrote the static data.
 */
function handedBackToBot(json: IDataObject | undefined, customerId: string): boolean {
	if (!json || String(json.customerId ?? '') !== customerId) return false;
	if (json.eventType === 'handover_take') return true;
	// The output of Conversation Control → Take Control.
	if (json.action === 'take' && json.success === true) return true;
	if (json.eventType !== 'handover_pass') return false;
	const handover = (json.handover ?? {}) as IDataObject;
	return String(handover.newOwnerAppId ?? '') !== INSTAGRAM_INBOX_APP_ID;
}

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
	let disclosure: DisclosureSettings | undefined;
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
		if (author === 'bot') disclosure = disclosureSettings(this, itemIndex);
	}

	const customerId = recipientKey(body);
	const thread = threadKey(connection, customerId);
	const post = async (payload: IDataObject) =>
		await graphRequest.call(this, connection, {
			method: 'POST',
			path: `/${connection.selfId}/messages`,
			body: payload,
			idempotent: false,
			rateClass: options.rateClass ?? 'send',
			itemIndex,
		});

	// Inside the recipient's queue, so that two items for one customer never both disclose.
	const { response, disclosed } = await serialize(`${connection.accountKey}|${customerId}`, async () => {
		const store = author ? disclosureStore(this) : undefined;
		const now = Date.now();
		const reason: DisclosureReason | null =
			disclosure && store
				? handedBackToBot(this.getInputData()[itemIndex]?.json, customerId)
					? 'afterHuman'
					: disclosureReason(store.get(thread), now, disclosure.lapseMs)
				: null;
		let payload = request;
		if (reason && disclosure) {
			const message = (request.message ?? {}) as IDataObject;
			const combined =
				typeof message.text === 'string' ? withDisclosure(message.text, disclosure.text) : undefined;
			if (!disclosure.separate && combined !== undefined && utf8Bytes(combined) <= MAX_TEXT_BYTES) {
				payload = { ...request, message: { ...message, text: combined } };
			} else {
				await post({
					recipient: request.recipient,
					messaging_type: request.messaging_type,
					message: { text: disclosure.text },
				});
				store?.recordBot(thread, now, true);
			}
		}
		const sent = await post(options.prepare ? await options.prepare(payload) : payload);
		if (author === 'bot') store?.recordBot(thread, Date.now(), reason !== null);
		if (author === 'human') store?.recordHuman(thread, Date.now());
		return { response: sent, disclosed: reason };
	});
	const result: IDataObject = {
		recipientId: String(response.recipient_id ?? customerId),
		messageId: response.message_id === undefined ? null : String(response.message_id),
	};
	if (author) {
		result.writtenBy = author;
		result.tag = (request.tag as string | undefined) ?? null;
		if (disclosure) result.disclosed = disclosed;
	}
	return result;
}
