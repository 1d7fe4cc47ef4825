import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	FACEBOOK_PAGE_INBOX_APP_ID,
	graphRequest,
	pageData,
	INSTAGRAM_INBOX_APP_ID,
	type GraphConnection,
} from '../../transport';
import { assertAppId, CONVERSATION_CONTROL_SETUPS, customerIdProperty } from './common';
import { assertCustomerId } from '../validation';

const properties: INodeProperties[] = [
	customerIdProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'This App ID',
				name: 'thisAppId',
				type: 'string',
				default: '',
				placeholder: '990000000000001',
				description:
					'ID of the Meta app behind this credential. When set, the output says whether this app holds the conversation (ownedByThisApp).',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversationControl'], operation: ['getOwner'] } },
	properties,
);

export const setups = CONVERSATION_CONTROL_SETUPS;

/**
 * `GET /{page}/thread_owner?recipient=<IGSID>` ("Conversation Control APIs", Jul 2026): the owner
 * or the default app gets `thread_owner { app_id, expiration }`; another app gets only
 * `expiration` while someone holds the thread; an idle thread gives an empty answer.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const customerId = assertCustomerId(this, this.getNodeParameter('customerId', itemIndex), itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as { thisAppId?: string };
	const thisAppId = options.thisAppId
		? assertAppId(this, options.thisAppId, 'This App ID', itemIndex)
		: undefined;

	const response = await graphRequest.call(this, connection, {
		method: 'GET',
		path: `/${connection.selfId}/thread_owner`,
		qs: { recipient: customerId },
		itemIndex,
	});
	const first = pageData(response)[0];
	const owner = (first?.thread_owner ?? undefined) as IDataObject | undefined;
	const ownerAppId = owner?.app_id === undefined || owner.app_id === null ? null : String(owner.app_id);
	const expiration = Number(owner?.expiration);
	const idle = owner === undefined;
	// Held, but Meta does not say by whom: only the owner and the default app are told.
	const hidden = !idle && ownerAppId === null;
	return {
		customerId,
		ownerAppId,
		ownedByThisApp:
			thisAppId === undefined && !hidden ? null : hidden || idle ? false : ownerAppId === thisAppId,
		// A person in Meta's own inbox: the Instagram Inbox, or the Page Inbox for the Facebook Page setup.
		ownedByInbox: hidden
			? null
			: ownerAppId === INSTAGRAM_INBOX_APP_ID || ownerAppId === FACEBOOK_PAGE_INBOX_APP_ID,
		idle,
		heldByUnnamedApp: hidden,
		expiresAt:
			Number.isFinite(expiration) && expiration > 0 ? new Date(expiration * 1000).toISOString() : null,
	};
}
