import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { assertCustomerId, assertMetadata, customerIdProperty, metadataOption, threadControlRequest } from './common';

const properties: INodeProperties[] = [
	customerIdProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [metadataOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversationControl'], operation: ['requestControl'] } },
	properties,
);

/** `POST /{self}/request_thread_control`: asks the app holding the conversation to hand it over; the owner decides. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const customerId = assertCustomerId(this, this.getNodeParameter('customerId', itemIndex), itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as { metadata?: string };
	const metadata = assertMetadata(this, options.metadata, itemIndex);
	const body: IDataObject = { recipient: { id: customerId } };
	if (metadata !== undefined) body.metadata = metadata;
	const { success } = await threadControlRequest.call(this, itemIndex, connection, 'request', body);
	return { customerId, action: 'request', success };
}
