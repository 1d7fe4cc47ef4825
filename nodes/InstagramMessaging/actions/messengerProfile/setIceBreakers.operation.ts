import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import {
	groupByLocale,
	localeProperty,
	MAX_ICE_BREAKERS_PER_LOCALE,
	profileRequest,
	readJsonParameter,
	type IceBreaker,
} from './common';
import { validateIceBreakers } from './validate';

const properties: INodeProperties[] = [
	{
		displayName: 'Define Using',
		name: 'defineUsing',
		type: 'options',
		options: [
			{ name: 'Fields Below', value: 'fields', description: 'One row per question' },
			{
				name: 'JSON',
				value: 'json',
				description:
					'Meta\'s format: [{ "locale": "default", "call_to_actions": [{ "question", "payload" }] }]',
			},
		],
		default: 'fields',
	},
	{
		displayName: 'Questions',
		name: 'iceBreakers',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Question',
		default: {},
		displayOptions: { show: { defineUsing: ['fields'] } },
		description: `Up to ${MAX_ICE_BREAKERS_PER_LOCALE} questions per locale; at least one for the "default" locale`,
		options: [
			{
				displayName: 'Question',
				name: 'question',
				values: [
					localeProperty,
					{
						displayName: 'Question',
						name: 'question',
						type: 'string',
						default: '',
						placeholder: 'Where is my order?',
						description: 'Text of the question the customer taps to start the conversation',
					},
					{
						displayName: 'Payload',
						name: 'payload',
						type: 'string',
						default: '',
						placeholder: 'ORDER_STATUS',
						description:
							'Code your workflow receives in the postback webhook (Instagram Messaging Trigger) when the customer taps the question',
					},
				],
			},
		],
	},
	{
		displayName: 'Ice Breakers (JSON)',
		name: 'iceBreakersJson',
		type: 'json',
		default:
			'[\n  {\n    "locale": "default",\n    "call_to_actions": [\n      { "question": "Where is my order?", "payload": "ORDER_STATUS" }\n    ]\n  }\n]',
		displayOptions: { show: { defineUsing: ['json'] } },
		description: `List of locales, each with up to ${MAX_ICE_BREAKERS_PER_LOCALE} questions; the "default" locale is required`,
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['messengerProfile'], operation: ['setIceBreakers'] } },
	properties,
);

/** `POST /{self}/messenger_profile` with `ice_breakers`: replaces the ice breakers of every locale. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const defineUsing = this.getNodeParameter('defineUsing', itemIndex, 'fields') as string;
	const input =
		defineUsing === 'json'
			? readJsonParameter(this, 'iceBreakersJson', 'Ice Breakers (JSON)', itemIndex)
			: groupByLocale<IceBreaker>(
					(this.getNodeParameter('iceBreakers.question', itemIndex, []) as Array<
						IceBreaker & { locale?: string }
					>) ?? [],
				);
	const iceBreakers = validateIceBreakers(this, input, itemIndex);
	const response = await profileRequest.call(this, itemIndex, connection, 'POST', {
		ice_breakers: iceBreakers as unknown as IDataObject[],
	});
	return {
		field: 'ice_breakers',
		success: response.result === 'success',
		locales: iceBreakers.map((entry) => entry.locale),
		iceBreakers: iceBreakers as unknown as IDataObject[],
	};
}
