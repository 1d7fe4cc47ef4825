import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { jsonParse, NodeOperationError } from 'n8n-workflow';

import { graphRequest, pageData, type GraphConnection } from '../../transport';

/** Meta's documented limits for Instagram's messenger profile (instagram-api.md §5). */
export const MAX_ICE_BREAKERS_PER_LOCALE = 4;
export const MAX_MENU_ITEMS_PER_LOCALE = 20;
export const RECOMMENDED_MENU_ITEMS = 5;
export const MAX_MENU_TITLE_CHARS = 30;
export const MAX_PAYLOAD_CHARS = 1000;

export type ProfileField = 'ice_breakers' | 'persistent_menu';

export const PROFILE_FIELDS: Array<{ name: string; value: ProfileField; description: string }> = [
	{
		name: 'Ice Breakers',
		value: 'ice_breakers',
		description: 'Questions a customer can tap to start a conversation',
	},
	{
		name: 'Persistent Menu',
		value: 'persistent_menu',
		description: 'The menu shown in every conversation with the account',
	},
];

export const OUTPUT_KEY: Record<ProfileField, string> = {
	ice_breakers: 'iceBreakers',
	persistent_menu: 'persistentMenu',
};

export const localeProperty: INodeProperties = {
	displayName: 'Locale',
	name: 'locale',
	type: 'string',
	default: 'default',
	placeholder: 'default',
	description:
		'Language this entry is for: "default" (required, shown when no other locale matches) or a locale such as de_DE or fr_FR',
};

export interface IceBreaker {
	question: string;
	payload: string;
}

export interface MenuItem {
	type: string;
	title: string;
	payload?: string;
	url?: string;
}

export interface LocaleEntry<T> {
	locale: string;
	call_to_actions: T[];
}

export type Fail = (message: string, description: string) => never;

export function failer(ctx: IExecuteFunctions, itemIndex: number): Fail {
	return (message, description) => {
		throw new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
	};
}

/** A JSON parameter may arrive as text or, from an expression, as an already parsed value. */
export function readJsonParameter(
	ctx: IExecuteFunctions,
	name: string,
	field: string,
	itemIndex: number,
): unknown {
	const raw = ctx.getNodeParameter(name, itemIndex) as unknown;
	if (typeof raw !== 'string') return raw;
	try {
		return jsonParse(raw);
	} catch {
		return failer(ctx, itemIndex)(
			`${field} is not valid JSON`,
			'Check the JSON for missing quotes, commas or brackets.',
		);
	}
}

/** Flat rows (each with its own locale) → Meta's per-locale shape, in first-seen locale order. */
export function groupByLocale<T>(rows: Array<T & { locale?: string }>): Array<LocaleEntry<T>> {
	const groups = new Map<string, T[]>();
	for (const row of rows) {
		const { locale, ...rest } = row;
		const key = String(locale ?? '').trim() || 'default';
		const list = groups.get(key) ?? [];
		list.push(rest as unknown as T);
		groups.set(key, list);
	}
	return [...groups.entries()].map(([locale, call_to_actions]) => ({ locale, call_to_actions }));
}

export function assertFields(ctx: IExecuteFunctions, value: unknown, itemIndex: number): ProfileField[] {
	const fields = (Array.isArray(value) ? value : [value]).filter(
		(f) => f !== undefined && f !== '',
	) as string[];
	const known = PROFILE_FIELDS.map((f) => f.value as string);
	const unknown = fields.filter((f) => !known.includes(f));
	if (fields.length === 0 || unknown.length > 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			fields.length === 0
				? 'Fields: choose at least one'
				: `Fields: "${unknown.join('", "')}" is not a profile field`,
			{
				itemIndex,
				description: 'Choose Ice Breakers (ice_breakers), Persistent Menu (persistent_menu) or both.',
			},
		);
	}
	return [...new Set(fields)] as ProfileField[];
}

/** `POST|GET|DELETE /{self}/messenger_profile` (instagram-api.md §5). */
export async function profileRequest(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
	method: 'GET' | 'POST' | 'DELETE',
	payload: IDataObject,
): Promise<IDataObject> {
	return await graphRequest.call(this, connection, {
		method,
		path: `/${connection.selfId}/messenger_profile`,
		...(method === 'GET'
			? { qs: { platform: 'instagram', ...payload } }
			: { body: { platform: 'instagram', ...payload } }),
		// Setting or deleting the same profile twice ends in the same state.
		idempotent: true,
		itemIndex,
	});
}

/**
 * The entries of one field from a GET answer. Meta documents `data[]` of `{ locale, call_to_actions }`
 * for a single field, and Messenger answers `data: [{ <field>: [...] }]`: both are read.
 */
export function entriesOf(response: IDataObject, field: ProfileField): IDataObject[] {
	const data = pageData(response);
	const out: IDataObject[] = [];
	for (const element of data) {
		if (Array.isArray(element[field])) out.push(...(element[field] as IDataObject[]));
		else if (element.locale !== undefined && element.call_to_actions !== undefined) out.push(element);
	}
	return out;
}
