import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { graphRequest, type GraphConnection } from '../../transport';
import {
	assertChangeable,
	flowIdParameter,
	flowIdProperty,
	flowMessageProperties,
	flowsPath,
	welcomeMessageOf,
} from './common';

const properties: INodeProperties[] = [
	flowIdProperty,
	{
		displayName: 'New Name',
		name: 'name',
		type: 'string',
		default: '',
		description: 'Leave empty to keep the name',
	},
	{
		displayName: 'Replace Welcome Message',
		name: 'replaceMessage',
		type: 'boolean',
		default: false,
		description: 'Whether to replace the welcome text and quick replies',
	},
	...flowMessageProperties.map((property) => ({
		...property,
		displayOptions: { show: { replaceMessage: [true] } },
	})),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['welcomeFlow'], operation: ['update'] } },
	properties,
);

/**
 * `POST …/welcome_message_flows` with `flow_id` and the changed `name` / `welcome_message`
 * (Meta: "at least one"), after checking that no ad uses the flow.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const flowId = flowIdParameter(this, itemIndex);
	const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
	const replace = this.getNodeParameter('replaceMessage', itemIndex, false) as boolean;
	if (name === '' && !replace) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update', {
			itemIndex,
			description: 'Give a New Name, or turn on Replace Welcome Message.',
		});
	}
	const body: IDataObject = { flow_id: flowId };
	if (name !== '') body.name = name;
	if (replace) body.welcome_message = welcomeMessageOf(this, itemIndex);
	await assertChangeable(this, itemIndex, connection, flowId, 'update');
	const response = await graphRequest.call(this, connection, {
		method: 'POST',
		path: flowsPath(connection),
		body,
		idempotent: true,
		itemIndex,
	});
	return { flowId, success: response.success === true };
}
