import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { MAX_TEXT_BYTES } from '../transport/constants';

export function utf8Bytes(text: string): number {
	return Buffer.byteLength(text, 'utf8');
}

/** Refuses text Meta would refuse, before calling Meta, naming the field. */
export function assertTextFits(
	ctx: IExecuteFunctions,
	text: string,
	itemIndex: number,
	field = 'Text',
): void {
	if (text.trim() === '') {
		throw new NodeOperationError(ctx.getNode(), `${field} is empty`, {
			itemIndex,
			description: 'Instagram does not deliver empty messages. Check the expression that fills this field.',
		});
	}
	const bytes = utf8Bytes(text);
	if (bytes > MAX_TEXT_BYTES) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${field} is too long: ${bytes} bytes, Instagram accepts at most ${MAX_TEXT_BYTES}`,
			{
				itemIndex,
				description: `Instagram counts UTF-8 bytes, not characters: emoji and accented letters take 2–4 bytes each. Shorten the text by ${
					bytes - MAX_TEXT_BYTES
				} bytes or split it into several messages.`,
			},
		);
	}
}

export function assertRecipient(ctx: IExecuteFunctions, recipientId: string, itemIndex: number): string {
	const id = String(recipientId ?? '').trim();
	if (!/^\d+$/.test(id)) {
		throw new NodeOperationError(ctx.getNode(), `Recipient ID "${id}" is not an Instagram-scoped ID`, {
			itemIndex,
			description:
				'Use the customer\'s Instagram-scoped ID (a long number such as 1111111111111111), for example {{ $json.customerId }} from the Instagram Messaging Trigger. Usernames do not work.',
		});
	}
	return id;
}
