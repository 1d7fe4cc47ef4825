import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { assertCustomerId, customerIdProperty, threadControlRequest } from './common';

const properties: INodeProperties[] = [customerIdProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversationControl'], operation: ['releaseControl'] } },
	properties,
);

/** `POST /{self}/release_thread_control`: this app gives up the conversation it holds. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const customerId = assertCustomerId(this, this.getNodeParameter('customerId', itemIndex), itemIndex);
	const { success } = await threadControlRequest.call(this, itemIndex, connection, 'release', {
		recipient: { id: customerId },
	});
	return { customerId, action: 'release', success };
}
