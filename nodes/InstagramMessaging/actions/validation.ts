import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { MAX_TEXT_BYTES } from '../transport/constants';
import { looksLikeWaitReference, WAIT_REFERENCE_PREFIX } from '../waits/reference';

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

export const customerIdDescription =
	'Instagram-scoped ID of the customer (not the username), for example the customerId field of the Instagram Messaging Trigger';

/** A time given as an ISO date, a number of milliseconds, or digits: its milliseconds, or NaN. */
export function timestampOf(value: unknown): number {
	if (typeof value === 'number') return value;
	const text = String(value ?? '').trim();
	return /^\d+$/.test(text) ? Number(text) : Date.parse(text);
}

/** A date parameter the user typed, refused with its label and an example when it is not a date. */
export function assertTime(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	field: string,
	description: string,
): number {
	const ms = timestampOf(value);
	if (value === '' || value === null || value === undefined || !Number.isFinite(ms)) {
		throw new NodeOperationError(ctx.getNode(), `${field} "${String(value ?? '')}" is not a date`, {
			itemIndex,
			description,
		});
	}
	return ms;
}

/** The one check of a customer's Instagram-scoped ID (IGSID): digits only, the field named in the error. */
export function assertCustomerId(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	field = 'Customer ID',
): string {
	const id = String(value ?? '').trim();
	if (!/^\d+$/.test(id)) {
		throw new NodeOperationError(ctx.getNode(), `${field} "${id}" is not an Instagram-scoped ID`, {
			itemIndex,
			description:
				"Use the customer's Instagram-scoped ID (a long number such as 1111111111111111), for example {{ $json.customerId }} from the Instagram Messaging Trigger. Usernames do not work.",
		});
	}
	return id;
}

export function assertRecipient(ctx: IExecuteFunctions, recipientId: string, itemIndex: number): string {
	return assertCustomerId(ctx, recipientId, itemIndex, 'Recipient ID');
}

/** The item's Recipient ID parameter, checked. */
export function recipientIdParameter(ctx: IExecuteFunctions, itemIndex: number): string {
	return assertRecipient(ctx, ctx.getNodeParameter('recipientId', itemIndex) as string, itemIndex);
}

/** Characters as a person counts them (an emoji is one), which is how Meta truncates titles. */
export function characterCount(text: string): number {
	return [...text].length;
}

function invalid(
	ctx: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
}

/** A required text field that Instagram shows at most `max` characters of. */
export function assertCharacters(
	ctx: IExecuteFunctions,
	value: string,
	itemIndex: number,
	field: string,
	max: number,
	options: { required?: boolean } = {},
): string {
	const text = String(value ?? '');
	if (options.required !== false && text.trim() === '') {
		throw invalid(ctx, itemIndex, `${field} is empty`, `Fill in ${field}; Instagram refuses it empty.`);
	}
	const count = characterCount(text);
	if (count > max) {
		throw invalid(
			ctx,
			itemIndex,
			`${field} is ${count} characters, Instagram shows at most ${max}`,
			`Shorten ${field} by ${count - max} characters.`,
		);
	}
	return text;
}

export const WAIT_REFERENCE_REFUSAL =
	'This prefix is reserved for Send and Wait for Response, whose answers resume a waiting execution. Use another payload.';

/** A payload another operation sends must not pose as a Send and Wait reference (`waits/reference.ts`). */
export function assertNotWaitReference(
	ctx: IExecuteFunctions,
	value: string,
	itemIndex: number,
	field: string,
): void {
	if (looksLikeWaitReference(value))
		throw invalid(ctx, itemIndex, `${field} starts with "${WAIT_REFERENCE_PREFIX}"`, WAIT_REFERENCE_REFUSAL);
}

/** How many entries a list may have: `min`..`max`. */
export function assertCount(
	ctx: IExecuteFunctions,
	count: number,
	itemIndex: number,
	field: string,
	max: number,
	min = 1,
): void {
	if (count < min) {
		throw invalid(
			ctx,
			itemIndex,
			`${field}: add at least ${min}`,
			`Instagram needs at least ${min} and accepts at most ${max}.`,
		);
	}
	if (count > max) {
		throw invalid(
			ctx,
			itemIndex,
			`${field}: ${count} given, Instagram accepts at most ${max}`,
			`Remove ${count - max} of them or split them over several messages.`,
		);
	}
}

/** An absolute http(s) URL, as Meta must be able to fetch or open it. */
export function assertUrl(ctx: IExecuteFunctions, value: string, itemIndex: number, field: string): string {
	const url = String(value ?? '').trim();
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {
		parsed = undefined;
	}
	if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
		throw invalid(
			ctx,
			itemIndex,
			`${field} "${url}" is not a web address`,
			'Use a full address starting with https:// that anyone on the internet can open (Meta fetches it).',
		);
	}
	return url;
}

/** A Meta object id (post, comment, attachment): digits only. */
export function assertNumericId(
	ctx: IExecuteFunctions,
	value: string,
	itemIndex: number,
	field: string,
): string {
	const id = String(value ?? '').trim();
	if (!/^\d+$/.test(id)) {
		throw invalid(
			ctx,
			itemIndex,
			`${field} "${id}" is not a valid ID`,
			`${field} is a long number such as 17900000000000002, as Meta returns it (not a URL or a username).`,
		);
	}
	return id;
}

/** A non-empty identifier that is not necessarily numeric (message ids). */
export function assertPresent(
	ctx: IExecuteFunctions,
	value: string,
	itemIndex: number,
	field: string,
): string {
	const text = String(value ?? '').trim();
	if (text === '') {
		throw invalid(
			ctx,
			itemIndex,
			`${field} is empty`,
			`Fill in ${field}, for example from a previous node with an expression.`,
		);
	}
	return text;
}

/** A required text parameter of the item, trimmed; refused with its label when empty. */
export function requiredTextParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
): string {
	return assertPresent(ctx, ctx.getNodeParameter(name, itemIndex) as string, itemIndex, label);
}
