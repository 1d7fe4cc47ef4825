import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { getConnection, type GraphConnection } from '../transport';
import * as message from './message/Message.resource';
import type { OperationModule } from './node.type';

const resources: Record<string, Record<string, OperationModule>> = {
	message: { sendText: message.sendText },
};

/**
 * The only place that loops over items: resolves the operation, pairs every output with its input
 * item, and turns a failure into an error item when "Continue On Fail" is set.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const returnData: INodeExecutionData[] = [];
	const connections = new Map<string, GraphConnection>();

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const resource = this.getNodeParameter('resource', itemIndex) as string;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			const module = resources[resource]?.[operation];
			if (!module) {
				throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not known`, {
					itemIndex,
				});
			}
			const credentialType = this.getNodeParameter('authentication', itemIndex) as string;
			let connection = connections.get(credentialType);
			if (!connection) {
				connection = await getConnection.call(this, credentialType);
				connections.set(credentialType, connection);
			}
			const result = await module.execute.call(this, itemIndex, connection);
			for (const json of Array.isArray(result) ? result : [result]) {
				returnData.push({ json, pairedItem: { item: itemIndex } });
			}
		} catch (caught) {
			const error =
				caught instanceof NodeApiError || caught instanceof NodeOperationError
					? caught
					: new NodeOperationError(this.getNode(), caught as Error, { itemIndex });
			if (!this.continueOnFail()) throw error;
			const json: IDataObject = { error: error.message };
			if (error.description) json.description = error.description;
			returnData.push({ json, pairedItem: { item: itemIndex } });
		}
	}
	return [returnData];
}
