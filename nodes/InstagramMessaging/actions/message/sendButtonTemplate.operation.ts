import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { assertCharacters, assertTextFits, recipientIdParameter } from '../validation';
import { toMetaButtons } from './buttons';
import { buttonFields, recipientIdProperty, type ButtonInput } from './common';
import { sendPolicyProperties, sendToInstagram } from '../send';

/** Messenger's limit for the button template text; not confirmed for Instagram (instagram-api.md §3.11). */
export const MAX_BUTTON_TEMPLATE_TEXT = 640;

const properties: INodeProperties[] = [
	recipientIdProperty,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		description:
			"Text above the buttons. The node enforces Messenger's 640-character limit; Meta has not confirmed the limit for Instagram.",
	},
	{
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Button',
		default: {},
		description: 'One to 3 buttons (not shown on Instagram web)',
		options: [{ displayName: 'Button', name: 'button', values: buttonFields }],
	},
	...sendPolicyProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendButtonTemplate'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const recipientId = recipientIdParameter(this, itemIndex);
	const text = this.getNodeParameter('text', itemIndex) as string;
	assertTextFits(this, text, itemIndex);
	assertCharacters(this, text, itemIndex, 'Text', MAX_BUTTON_TEMPLATE_TEXT);
	const buttons =
		(this.getNodeParameter('buttons', itemIndex, {}) as { button?: ButtonInput[] }).button ?? [];
	const body: IDataObject = {
		recipient: { id: recipientId },
		message: {
			attachment: {
				type: 'template',
				payload: { template_type: 'button', text, buttons: toMetaButtons(this, buttons, itemIndex, '', 1) },
			},
		},
	};
	return await sendToInstagram.call(this, itemIndex, connection, body, { policy: true });
}
