import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { getConnection, haltRun, madeWrites, RunHaltedError, type GraphConnection } from '../transport';
import { assertSetup } from './setups';
import { resources } from './resources';

/**
 * Items are processed this many at a time: Meta's 300 sends/s per account at a round trip of
 * ~150 ms needs about 45 calls in flight (`npm run bench`, P3). Sends to one recipient still go
 * out in item order (`send/sendToInstagram.ts`); Meta's per-account caps are kept by the
 * transport (`transport/rateLimit.ts`).
 */
export const ITEM_CONCURRENCY = 50;

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
	const resolved = await connection;
	if (module.setups) assertSetup(ctx, resolved, module.setups, 'This operation', itemIndex);
	const result = await module.execute.call(ctx, itemIndex, resolved);
	return Array.isArray(result) ? result : [result];
}

/** "0–3, 5, 7–9" */
function ranges(indexes: number[]): string {
	const parts: string[] = [];
	for (let i = 0; i < indexes.length; i++) {
		const start = indexes[i];
		while (i + 1 < indexes.length && indexes[i + 1] === indexes[i] + 1) i++;
		parts.push(start === indexes[i] ? String(start) : `${start}–${indexes[i]}`);
	}
	return parts.join(', ');
}

type ItemOutcome = 'done' | 'partlyDone' | 'failed' | 'mayHaveBeenDelivered';

/** What the failed run did and did not do, so that a re-run does not repeat a send. */
function stopReport(outcomes: Array<ItemOutcome | undefined>, failedIndex: number): string {
	const where = (wanted: ItemOutcome | undefined) =>
		outcomes.flatMap((o, i) => (o === wanted && i !== failedIndex ? [i] : []));
	const list = (label: string, indexes: number[]) =>
		indexes.length ? [`${label}: items ${ranges(indexes)}.`] : [];
	const first = outcomes[failedIndex] === 'mayHaveBeenDelivered' ? ' (which may have been delivered)' : '';
	return [
		`The node stopped at item ${failedIndex}${first}: no further item was started.`,
		...list('Done', where('done')),
		...list(
			'Partly done (a first message, such as the disclosure or a notice, went out)',
			where('partlyDone'),
		),
		...list('May have been delivered', where('mayHaveBeenDelivered')),
		...list('Also failed', where('failed')),
		...list('Not run', where(undefined)),
		'Re-running the whole node repeats the items that were done; to carry on, run it again for the items not run only, or turn on Continue On Fail to get one result per item.',
	].join(' ');
}

/**
 * The only place that loops over items: resolves the operation, pairs every output with its input
 * item, keeps output in input order, and turns a failure into an error item when
 * "Continue On Fail" is set. Without it, the first failure halts the run: nothing not yet sent is
 * sent, and the error says which items were done.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const results: INodeExecutionData[][] = new Array(items.length);
	const connections = new Map<string, Promise<GraphConnection>>();
	let next = 0;
	let failure: NodeApiError | NodeOperationError | undefined;
	let failedIndex = -1;
	const outcomes: Array<ItemOutcome | undefined> = new Array(items.length).fill(undefined);

	const worker = async () => {
		while (failure === undefined && next < items.length) {
			const itemIndex = next++;
			try {
				const jsons = await runItem(this, itemIndex, connections);
				results[itemIndex] = jsons.map((json) => ({ json, pairedItem: { item: itemIndex } }));
				outcomes[itemIndex] = 'done';
			} catch (caught) {
				if (caught instanceof RunHaltedError) {
					// Another item failed first; this one stopped before its next call to Meta.
					if (madeWrites(this, itemIndex)) outcomes[itemIndex] = 'partlyDone';
					return;
				}
				const error = toNodeError(this, caught, itemIndex);
				outcomes[itemIndex] = error.context?.deliveryUncertain === true ? 'mayHaveBeenDelivered' : 'failed';
				if (!this.continueOnFail()) {
					if (failure === undefined) {
						failure = error;
						failedIndex = itemIndex;
						haltRun(this);
					}
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
	if (failure !== undefined) {
		if (items.length > 1) {
			const report = stopReport(outcomes, failedIndex);
			failure.description = failure.description ? `${failure.description}\n\n${report}` : report;
		}
		throw failure;
	}
	return [results.flat()];
}
