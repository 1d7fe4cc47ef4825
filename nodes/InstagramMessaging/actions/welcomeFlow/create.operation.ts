import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { graphRequest, type GraphConnection } from '../../transport';
import { requiredTextParameter } from '../validation';
import { flowMessageProperties, flowsPath, welcomeMessageOf } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Spring sale welcome',
		description: 'The name you pick the flow by in Ads Manager',
	},
	...flowMessageProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['welcomeFlow'], operation: ['create'] } },
	properties,
);

/** `POST …/welcome_message_flows` with `eligible_platforms: ["instagram"]` → `{ flow_id }`. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const name = requiredTextParameter(this, 'name', itemIndex, 'Name');
	const body: IDataObject = {
		eligible_platforms: ['instagram'],
		name,
		welcome_message_flow: welcomeMessageOf(this, itemIndex),
	};
	const response = await graphRequest.call(this, connection, {
		method: 'POST',
		path: flowsPath(connection),
		body,
		idempotent: false,
		uncertainOutcome: 'The welcome flow may have been created',
		itemIndex,
	});
	return { flowId: String(response.flow_id ?? ''), name };
}
