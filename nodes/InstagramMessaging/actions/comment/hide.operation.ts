import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { commentIdProperty, setHidden } from './common';

export const description = updateDisplayOptions({ show: { resource: ['comment'], operation: ['hide'] } }, [
	commentIdProperty,
] as INodeProperties[]);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	return await setHidden(this, itemIndex, connection, true);
}
