import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import {
	groupByLocale,
	localeProperty,
	MAX_MENU_TITLE_CHARS,
	profileRequest,
	readJsonParameter,
	RECOMMENDED_MENU_ITEMS,
	type MenuItem,
} from './common';
import { validatePersistentMenu } from './validate';

const properties: INodeProperties[] = [
	{
		displayName: 'Define Using',
		name: 'defineUsing',
		type: 'options',
		options: [
			{ name: 'Fields Below', value: 'fields', description: 'One row per menu item' },
			{
				name: 'JSON',
				value: 'json',
				description:
					'Meta\'s format: [{ "locale": "default", "call_to_actions": [{ "type": "postback", "title", "payload" }] }]',
			},
		],
		default: 'fields',
	},
	{
		displayName: 'Menu Items',
		name: 'menuItems',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Menu Item',
		default: {},
		displayOptions: { show: { defineUsing: ['fields'] } },
		description: `Items in display order; at least one for the "default" locale. Meta recommends at most ${RECOMMENDED_MENU_ITEMS} per locale.`,
		options: [
			{
				displayName: 'Item',
				name: 'item',
				values: [
					localeProperty,
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: [
							{
								name: 'Postback',
								value: 'postback',
								description: 'Sends a postback webhook with the payload (and opens the 24-hour window)',
							},
							{ name: 'Web URL', value: 'web_url', description: 'Opens a web page' },
						],
						default: 'postback',
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						placeholder: 'Talk to a person',
						description: `Text of the menu item, at most ${MAX_MENU_TITLE_CHARS} characters`,
					},
					{
						displayName: 'Payload',
						name: 'payload',
						type: 'string',
						default: '',
						placeholder: 'TALK_TO_AGENT',
						displayOptions: { show: { type: ['postback'] } },
						description: 'Code your workflow receives in the postback webhook when the item is tapped',
					},
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						default: '',
						placeholder: 'https://shop.example.com',
						displayOptions: { show: { type: ['web_url'] } },
						description: 'Web address opened when the item is tapped',
					},
				],
			},
		],
	},
	{
		displayName: 'Persistent Menu (JSON)',
		name: 'persistentMenuJson',
		type: 'json',
		default:
			'[\n  {\n    "locale": "default",\n    "call_to_actions": [\n      { "type": "postback", "title": "Talk to a person", "payload": "TALK_TO_AGENT" },\n      { "type": "web_url", "title": "Shop now", "url": "https://shop.example.com" }\n    ]\n  }\n]',
		displayOptions: { show: { defineUsing: ['json'] } },
		description:
			'List of locales with their items (types postback and web_url only); the "default" locale is required',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['messengerProfile'], operation: ['setPersistentMenu'] } },
	properties,
);

/** `POST /{self}/messenger_profile` with `persistent_menu`: replaces the menu of every locale. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const defineUsing = this.getNodeParameter('defineUsing', itemIndex, 'fields') as string;
	const input =
		defineUsing === 'json'
			? readJsonParameter(this, 'persistentMenuJson', 'Persistent Menu (JSON)', itemIndex)
			: groupByLocale<MenuItem>(
					(this.getNodeParameter('menuItems.item', itemIndex, []) as Array<MenuItem & { locale?: string }>) ??
						[],
				);
	const menu = validatePersistentMenu(this, input, itemIndex);
	const response = await profileRequest.call(this, itemIndex, connection, 'POST', {
		persistent_menu: menu as unknown as IDataObject[],
	});
	return {
		field: 'persistent_menu',
		success: response.result === 'success',
		locales: menu.map((entry) => entry.locale),
		persistentMenu: menu as unknown as IDataObject[],
	};
}
