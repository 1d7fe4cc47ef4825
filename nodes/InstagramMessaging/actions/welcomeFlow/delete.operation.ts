import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { graphRequest, type GraphConnection } from '../../transport';
import { assertChangeable, flowIdParameter, flowIdProperty, flowsPath } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['welcomeFlow'], operation: ['delete'] } },
	[flowIdProperty] as INodeProperties[],
);

/** `DELETE …/welcome_message_flows?flow_id=`, after checking that no ad uses the flow. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const flowId = flowIdParameter(this, itemIndex);
	await assertChangeable(this, itemIndex, connection, flowId, 'delete');
	const response = await graphRequest.call(this, connection, {
		method: 'DELETE',
		path: flowsPath(connection),
		qs: { flow_id: flowId },
		itemIndex,
	});
	return { flowId, deleted: response.success === true };
}
