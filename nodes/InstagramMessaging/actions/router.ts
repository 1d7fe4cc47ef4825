import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { getConnection, type GraphConnection } from '../transport';
import { resources } from './resources';

/**
 * Items are processed this many at a time. Sends to one recipient still go out in item order
 * (see actions/message/send.ts); Meta's per-account caps are kept by the transport.
 */
export const ITEM_CONCURRENCY = 10;

function toNodeError(ctx: IExecuteFunctions, caught: unknown, itemIndex: number) {
	return caught instanceof NodeApiError || caught instanceof NodeOperationError
		? caught
		: new NodeOperationError(ctx.getNode(), caught as Error, { itemIndex });
}

async function runItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	connections: Map<string, Promise<GraphConnection>>,
): Promise<IDataObject[]> {
	const resource = ctx.getNodeParameter('resource', itemIndex) as string;
	const operation = ctx.getNodeParameter('operation', itemIndex) as string;
	const module = resources.find((r) => r.value === resource)?.module.operations[operation];
	if (!module) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The operation "${operation}" of "${resource}" is not known`,
			{
				itemIndex,
			},
		);
	}
	const credentialType = ctx.getNodeParameter('authentication', itemIndex) as string;
	let connection = connections.get(credentialType);
	if (!connection) {
		connection = getConnection.call(ctx, credentialType);
		connections.set(credentialType, connection);
	}
	const result = await module.execute.call(ctx, itemIndex, await connection);
	return Array.isArray(result) ? result : [result];
}

/**
 * The only place that loops over items: resolves the operation, pairs every output with its input
 * item, keeps output in input order, and turns a failure into an error item when
 * "Continue On Fail" is set.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const results: INodeExecutionData[][] = new Array(items.length);
	const connections = new Map<string, Promise<GraphConnection>>();
	let next = 0;
	let failure: unknown;

	const worker = async () => {
		while (failure === undefined && next < items.length) {
			const itemIndex = next++;
			try {
				const jsons = await runItem(this, itemIndex, connections);
				results[itemIndex] = jsons.map((json) => ({ json, pairedItem: { item: itemIndex } }));
			} catch (caught) {
				const error = toNodeError(this, caught, itemIndex);
				if (!this.continueOnFail()) {
					failure ??= error;
					return;
				}
				// Only `error` and `details`: n8n routes such items to the node's error output when the
				// user chose one (and item.error would make n8n drop the description).
				const json: IDataObject = { error: error.message };
				if (error.description) json.details = error.description;
				results[itemIndex] = [{ json, pairedItem: { item: itemIndex } }];
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(ITEM_CONCURRENCY, items.length) }, worker));
	if (failure !== undefined) throw failure;
	return [results.flat()];
}
