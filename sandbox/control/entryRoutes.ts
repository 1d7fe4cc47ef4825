/** Control endpoint for Instagram's entry points: a comment, a story reply or mention, an ad, a link. */
import type { ControlledSandbox, ControlRoute } from '../controlRoute';
import { ENTRY_VIAS, type CustomerEntryOptions, type EntryVia } from '../customerEntries';
import type { HandlerResult } from '../http';
import { optString } from '../http';
import type { JsonObject } from '../types';
import { ControlError, ok } from './params';

/** The options of an entry from a request body; `account` defaults to the chat's account. */
export function entryOptionsOf(sandbox: ControlledSandbox, body: JsonObject): CustomerEntryOptions {
	const via = optString(body, 'via');
	if (via === undefined || !ENTRY_VIAS.includes(via as EntryVia)) {
		throw new ControlError(400, `via must be one of ${ENTRY_VIAS.join(', ')}`);
	}
	const options: CustomerEntryOptions = {
		via: via as EntryVia,
		account: optString(body, 'account') ?? sandbox.chatAccount,
	};
	for (const key of [
		'text',
		'from',
		'fromUsername',
		'mediaId',
		'parentId',
		'storyId',
		'ref',
		'adId',
		'adTitle',
		'callbackUrl',
	] as const) {
		const value = optString(body, key);
		if (value !== undefined) options[key] = value;
	}
	const customerId = optString(body, 'customerId');
	if (options.from === undefined && customerId !== undefined) options.from = customerId;
	return options;
}

export async function enter(
	sandbox: ControlledSandbox,
	options: CustomerEntryOptions,
): Promise<HandlerResult> {
	try {
		const result = await sandbox.customerEnters(options);
		return ok({
			payload: result.payload,
			delivery: { status: result.delivery.status, body: result.delivery.body },
			...(result.comment !== undefined ? { comment: result.comment as unknown as JsonObject } : {}),
		});
	} catch (err) {
		const message = err instanceof Error ? err.message : String(err);
		if (/required|unknown account|no webhook callback/.test(message)) throw new ControlError(400, message);
		return { status: 502, json: { error: { message: `delivery failed: ${message}` } } };
	}
}

export const entryRoutes: ControlRoute[] = [
	{
		method: 'POST',
		path: '/_sandbox/entry',
		summary: `a customer arrives through an entry point: { via (${ENTRY_VIAS.join('|')}), text?, from?, fromUsername?, mediaId?, parentId?, storyId?, ref?, adId?, adTitle?, account?, callbackUrl? }`,
		handler: async ({ sandbox, req }) => await enter(sandbox, entryOptionsOf(sandbox, req.body)),
	},
];
