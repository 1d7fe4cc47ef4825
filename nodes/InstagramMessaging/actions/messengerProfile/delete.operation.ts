import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { assertFields, PROFILE_FIELDS, profileRequest } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'multiOptions',
		options: PROFILE_FIELDS,
		default: [],
		required: true,
		description: 'Which parts of the profile to remove, in every locale',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['messengerProfile'], operation: ['delete'] } },
	properties,
);

/** `DELETE /{self}/messenger_profile` with `fields: [...]`: removes the field in all locales. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const fields = assertFields(this, this.getNodeParameter('fields', itemIndex), itemIndex);
	const response = await profileRequest.call(this, itemIndex, connection, 'DELETE', { fields });
	return { deleted: fields, success: response.result === 'success' };
}
