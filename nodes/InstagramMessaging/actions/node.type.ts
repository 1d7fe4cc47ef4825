import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Flavour, GraphConnection } from '../transport';

/** What every `<op>.operation.ts` exports as `execute`: one input item in, one or many results out. */
export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
) => Promise<IDataObject | IDataObject[]>;

export interface OperationModule {
	execute: OperationExecute;
	/**
	 * The Meta setups whose documents offer this operation (docs/meta-fidelity.md); absent = both.
	 * The router refuses the others before calling Meta.
	 */
	setups?: readonly Flavour[];
}
