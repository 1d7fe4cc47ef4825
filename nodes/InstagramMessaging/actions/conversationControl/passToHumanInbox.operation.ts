import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { INSTAGRAM_INBOX_APP_ID, type GraphConnection } from '../../transport';
import { disclosureProperties, recordPersonHeld, sendPolicyProperties, sendToInstagram } from '../send';
import { assertCustomerId, assertTextFits } from '../validation';
import {
	assertAppId,
	assertMetadata,
	CONVERSATION_CONTROL_SETUPS,
	customerIdProperty,
	metadataOption,
	threadControlRequest,
} from './common';

const windowOptionsProperty = sendPolicyProperties.find((p) => p.name === 'windowOptions') as INodeProperties;

const properties: INodeProperties[] = [
	customerIdProperty,
	{
		displayName: 'Hand To',
		name: 'target',
		type: 'options',
		options: [
			{
				name: 'Instagram Inbox',
				value: 'instagramInbox',
				description: `People answer in the Instagram app or Meta Business Suite inbox (app ID ${INSTAGRAM_INBOX_APP_ID})`,
			},
			{
				name: 'Another App',
				value: 'app',
				description: 'A helpdesk or other Meta app connected to the account, by its app ID',
			},
		],
		default: 'instagramInbox',
		description: 'Who takes over the conversation. While they hold it, this app cannot send to the customer.',
	},
	{
		displayName: 'Target App ID',
		name: 'targetAppId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '1217981644879628',
		displayOptions: { show: { target: ['app'] } },
		description: 'Numeric ID of the Meta app that should receive the conversation',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				...metadataOption,
			},
			{
				displayName: 'Notice to Customer',
				name: 'notice',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				placeholder: 'Connecting you with a person, one moment…',
				description:
					'Text sent to the customer (as an automated message) just before the conversation is handed over. After the handover this app can no longer send, so the notice goes first.',
			},
			{
				displayName: 'Hand Over With the Notice',
				name: 'handOverWithNotice',
				type: 'boolean',
				default: false,
				description:
					"Whether the notice itself hands the conversation over (thread_control in Meta's Send API, one call): the notice and the handover happen together or not at all. Needs Conversation Routing on the Page; Metadata is not sent this way.",
			},
		],
	},
	// The notice is an automated message: it discloses automation when it is the first one.
	...disclosureProperties.map((property) => {
		const show = { ...(property.displayOptions?.show ?? {}) };
		delete show.writtenBy;
		return { ...property, displayOptions: Object.keys(show).length ? { show } : undefined };
	}),
	{
		...windowOptionsProperty,
		displayName: 'Notice Window Options',
		description: 'Only used when a notice is sent: how to check the 24-hour messaging window for it',
	},
];

export const setups = CONVERSATION_CONTROL_SETUPS;

export const description = updateDisplayOptions(
	{ show: { resource: ['conversationControl'], operation: ['passToHumanInbox'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const customerId = assertCustomerId(this, this.getNodeParameter('customerId', itemIndex), itemIndex);
	const target = this.getNodeParameter('target', itemIndex, 'instagramInbox') as string;
	const targetAppId =
		target === 'app'
			? assertAppId(this, this.getNodeParameter('targetAppId', itemIndex, ''), 'Target App ID', itemIndex)
			: INSTAGRAM_INBOX_APP_ID;
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		metadata?: string;
		notice?: string;
		handOverWithNotice?: boolean;
	};
	const metadata = assertMetadata(this, options.metadata, itemIndex);
	const notice = options.notice ?? '';
	if (notice !== '') assertTextFits(this, notice, itemIndex, 'Notice to Customer');

	// With Conversation Routing the notice can carry the handover ("Conversation Control APIs").
	const inOneCall = notice !== '' && options.handOverWithNotice === true;
	if (inOneCall && metadata !== undefined) {
		throw new NodeOperationError(this.getNode(), 'Metadata cannot go with Hand Over With the Notice', {
			itemIndex,
			description:
				"Meta's thread_control in a send carries no metadata. Remove Metadata, or turn off Hand Over With the Notice to pass the thread in a separate call that carries it.",
		});
	}
	// The notice first: once another app holds the thread, Meta refuses this app's sends (10/2018300).
	let noticeMessageId: string | null = null;
	if (notice !== '') {
		const request: IDataObject = { recipient: { id: customerId }, message: { text: notice } };
		if (inOneCall) request.thread_control = { app_id: targetAppId, control_type: 'pass' };
		const sent = await sendToInstagram.call(this, itemIndex, connection, request, { policy: true });
		noticeMessageId = (sent.messageId as string | null) ?? null;
	}

	let success = inOneCall;
	if (!inOneCall) {
		const body: IDataObject = { recipient: { id: customerId }, target_app_id: targetAppId };
		if (metadata !== undefined) body.metadata = metadata;
		const passed = await threadControlRequest.call(this, itemIndex, connection, 'pass', body);
		success = passed.success === true;
	}
	// A person now holds the thread: the next automated message discloses automation again.
	if (success) await recordPersonHeld(this, connection, customerId);
	return {
		customerId,
		action: 'pass',
		success,
		targetAppId,
		toInstagramInbox: targetAppId === INSTAGRAM_INBOX_APP_ID,
		noticeMessageId,
	};
}
