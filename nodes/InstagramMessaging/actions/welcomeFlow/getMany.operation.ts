import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { graphRequest, type GraphConnection } from '../../transport';
import { requestedLimit, returnAllProperties } from '../conversation/common';
import { flowsOf, flowsPath, simplifyFlow } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['welcomeFlow'], operation: ['getMany'] } },
	returnAllProperties() as INodeProperties[],
);

/** `GET …/welcome_message_flows` (`limit` accepted; Meta documents no paging for this list). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject[]> {
	const limit = requestedLimit(this, itemIndex);
	const response = await graphRequest.call(this, connection, {
		method: 'GET',
		path: flowsPath(connection),
		qs: limit === undefined ? {} : { limit },
		itemIndex,
	});
	const flows = flowsOf(response).map(simplifyFlow);
	return limit === undefined ? flows : flows.slice(0, limit);
}
