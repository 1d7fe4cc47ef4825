import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { GraphConnection } from '../transport';

/** What every `<op>.operation.ts` exports as `execute`: one input item in, one or many results out. */
export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
) => Promise<IDataObject | IDataObject[]>;

export interface OperationModule {
	execute: OperationExecute;
}
