import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertCharacters, assertCount, assertNotWaitReference, assertUrl } from '../validation';
import { MAX_BUTTON_TITLE, type ButtonInput } from './common';

/** Template buttons: at most 3, each `web_url` or `postback` (instagram-api.md §3.10–3.11). */
export const MAX_BUTTONS = 3;

/** Validates the buttons of a template and returns them as Meta expects them. */
export function toMetaButtons(
	ctx: IExecuteFunctions,
	buttons: ButtonInput[],
	itemIndex: number,
	label: string,
	min: number,
): IDataObject[] {
	assertCount(ctx, buttons.length, itemIndex, `${label}Buttons`, MAX_BUTTONS, min);
	return buttons.map((button, index) => {
		const field = `${label}Button ${index + 1}`;
		const title = assertCharacters(ctx, button.title ?? '', itemIndex, `${field}: Title`, MAX_BUTTON_TITLE);
		if (button.type === 'web_url') {
			return { type: 'web_url', title, url: assertUrl(ctx, button.url ?? '', itemIndex, `${field}: URL`) };
		}
		if (button.type === 'postback' || button.type === undefined) {
			const payload = String(button.payload ?? '').trim();
			if (payload === '') {
				throw new NodeOperationError(ctx.getNode(), `${field}: Payload is empty`, {
					itemIndex,
					description:
						'A postback button needs a payload: the text your workflow receives when the customer taps it.',
				});
			}
			assertNotWaitReference(ctx, payload, itemIndex, `${field}: Payload`);
			return { type: 'postback', title, payload };
		}
		throw new NodeOperationError(ctx.getNode(), `${field}: Type "${button.type}" is not supported`, {
			itemIndex,
			description: 'Instagram supports Open URL (web_url) and Postback buttons.',
		});
	});
}
