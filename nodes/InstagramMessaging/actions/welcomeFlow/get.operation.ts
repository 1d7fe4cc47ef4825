import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { flowIdParameter, flowIdProperty, readFlow, simplifyFlow } from './common';

export const description = updateDisplayOptions({ show: { resource: ['welcomeFlow'], operation: ['get'] } }, [
	flowIdProperty,
] as INodeProperties[]);

/** `GET …/welcome_message_flows?flow_id=`. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	return simplifyFlow(await readFlow(this, itemIndex, connection, flowIdParameter(this, itemIndex)));
}
