import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_DISCLOSURE_LAPSE_HOURS, DEFAULT_DISCLOSURE_TEXT } from '../../policy/disclosure';

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

/** The disclosure options of a private reply, always written by the workflow (no Written By). */
export const privateReplyDisclosureProperties: INodeProperties[] = disclosureProperties.map((property) => {
	const show = { ...(property.displayOptions?.show ?? {}) };
	delete show.writtenBy;
	// One message per comment: the disclosure always goes into the text.
	const options = property.options?.filter((option) => option.name !== 'separate');
	return {
		...property,
		...(options ? { options } : {}),
		displayOptions: Object.keys(show).length > 0 ? { show } : undefined,
	};
});

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
