import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { graphRequest, type GraphConnection } from '../../transport';
import { flowIdParameter, flowIdProperty, flowsOf, flowsPath, simplifyFlow } from './common';

export const description = updateDisplayOptions({ show: { resource: ['welcomeFlow'], operation: ['get'] } }, [
	flowIdProperty,
] as INodeProperties[]);

/** `GET …/welcome_message_flows?flow_id=`. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const flowId = flowIdParameter(this, itemIndex);
	const response = await graphRequest.call(this, connection, {
		method: 'GET',
		path: flowsPath(connection),
		qs: { flow_id: flowId },
		itemIndex,
	});
	const [flow] = flowsOf(response);
	if (flow === undefined) {
		throw new NodeOperationError(this.getNode(), `No welcome flow with ID ${flowId}`, {
			itemIndex,
			description: 'Check the Flow ID with Welcome Flow → Get Many.',
		});
	}
	return simplifyFlow(flow);
}
