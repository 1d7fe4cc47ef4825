import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { assertCharacters, assertCount, assertUrl, recipientIdParameter } from '../validation';
import { toMetaButtons } from './buttons';
import { buttonFields, recipientIdProperty, type ButtonInput } from './common';
import { sendPolicyProperties, sendToInstagram } from '../send';

/** Generic template (instagram-api.md §3.10): up to 10 cards, titles and subtitles ≤ 80 characters. */
export const MAX_CARDS = 10;
export const MAX_CARD_TEXT = 80;

const properties: INodeProperties[] = [
	recipientIdProperty,
	{
		displayName: 'Cards',
		name: 'cards',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Card',
		default: {},
		description:
			'Up to 10 cards, shown as a horizontal carousel (not on Instagram web). Each card needs a title and at least one more field.',
		options: [
			{
				displayName: 'Card',
				name: 'card',
				values: [
					{
						displayName: 'Buttons',
						name: 'buttons',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						placeholder: 'Add Button',
						default: {},
						description: 'Up to 3 buttons under the card',
						options: [{ displayName: 'Button', name: 'button', values: buttonFields }],
					},
					{
						displayName: 'Default Action URL',
						name: 'defaultActionUrl',
						type: 'string',
						default: '',
						placeholder: 'https://shop.example.com/product',
						description: 'Page opened when the customer taps the card itself',
					},
					{
						displayName: 'Image URL',
						name: 'imageUrl',
						type: 'string',
						default: '',
						placeholder: 'https://cdn.example.com/product.jpg',
					},
					{
						displayName: 'Subtitle',
						name: 'subtitle',
						type: 'string',
						default: '',
						description: 'At most 80 characters',
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: 'At most 80 characters',
					},
				],
			},
		],
	},
	...sendPolicyProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendGenericTemplate'] } },
	properties,
);

interface CardInput {
	title?: string;
	subtitle?: string;
	imageUrl?: string;
	defaultActionUrl?: string;
	buttons?: { button?: ButtonInput[] };
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const recipientId = recipientIdParameter(this, itemIndex);
	const cards = (this.getNodeParameter('cards', itemIndex, {}) as { card?: CardInput[] }).card ?? [];
	assertCount(this, cards.length, itemIndex, 'Cards', MAX_CARDS);
	const elements = cards.map((card, index) => {
		const field = `Card ${index + 1}: `;
		const element: IDataObject = {
			title: assertCharacters(this, card.title ?? '', itemIndex, `${field}Title`, MAX_CARD_TEXT),
		};
		if (card.subtitle) {
			element.subtitle = assertCharacters(this, card.subtitle, itemIndex, `${field}Subtitle`, MAX_CARD_TEXT);
		}
		if (card.imageUrl) element.image_url = assertUrl(this, card.imageUrl, itemIndex, `${field}Image URL`);
		if (card.defaultActionUrl) {
			element.default_action = {
				type: 'web_url',
				url: assertUrl(this, card.defaultActionUrl, itemIndex, `${field}Default Action URL`),
			};
		}
		const buttons = card.buttons?.button ?? [];
		if (buttons.length > 0) element.buttons = toMetaButtons(this, buttons, itemIndex, field, 0);
		if (Object.keys(element).length === 1) {
			throw new NodeOperationError(
				this.getNode(),
				`${field}add a subtitle, an image, a default action or a button`,
				{
					itemIndex,
					description: 'Instagram refuses a card that has only a title.',
				},
			);
		}
		return element;
	});
	const body: IDataObject = {
		recipient: { id: recipientId },
		message: { attachment: { type: 'template', payload: { template_type: 'generic', elements } } },
	};
	return await sendToInstagram.call(this, itemIndex, connection, body, { policy: true });
}
