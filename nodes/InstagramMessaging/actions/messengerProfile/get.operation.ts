import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { assertFields, entriesOf, OUTPUT_KEY, PROFILE_FIELDS, profileRequest } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'multiOptions',
		options: PROFILE_FIELDS,
		default: ['ice_breakers', 'persistent_menu'],
		required: true,
		description: 'Which parts of the profile to read',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['messengerProfile'], operation: ['get'] } },
	properties,
);

/**
 * One item with the current configuration, per field a list of `{ locale, call_to_actions }`
 * (empty when nothing is set). One GET per field keeps Meta's answer unambiguous.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const fields = assertFields(this, this.getNodeParameter('fields', itemIndex), itemIndex);
	const result: IDataObject = {};
	for (const field of fields) {
		const response = await profileRequest.call(this, itemIndex, connection, 'GET', { fields: field });
		result[OUTPUT_KEY[field]] = entriesOf(response, field);
	}
	return result;
}
