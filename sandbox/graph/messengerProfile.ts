/**
 * `GET|POST|DELETE /vX/{me|IG_ID|PAGE_ID}/messenger_profile` — ice breakers and the persistent
 * menu (instagram-api.md §5), with Meta's validation: `platform=instagram`, a `default` locale,
 * at most 4 ice breakers per locale, menu items of type `postback` / `web_url` only.
 *
 * GET with one field answers `data[]` of `{ locale, call_to_actions }` (as documented for
 * ice breakers, §5.1); with several fields, Messenger's `data: [{ <field>: [...] }]`.
 */
import { graphErrors } from '../errors';
import type { HandlerResult } from '../http';
import { formToObject, isJsonObject, optString, withoutSecrets } from '../http';
import { PROFILE_FIELDS } from '../state/messengerProfiles';
import type { MessengerProfile, ProfileField } from '../state/messengerProfiles';
import type { JsonObject, JsonValue } from '../types';
import type { GraphContext, GraphRoute } from './context';

export const MAX_ICE_BREAKERS = 4;
export const MAX_MENU_ITEMS = 20;
export const MAX_MENU_TITLE = 30;
export const MAX_PAYLOAD = 1000;

const LOCALE_RE = /^(default|[a-z]{2,3}_[A-Z]{2})$/;

const invalid = (message: string) => graphErrors.invalidParameter(message);

/** The request's parameters, query and body together, secrets left out. */
export function params(ctx: GraphContext): JsonObject {
	return withoutSecrets({ ...formToObject(ctx.req.query), ...ctx.req.body });
}

/** `me`, the Instagram account (Instagram Login) or the Page (Facebook Page): the account's own edge. */
export function assertSelf(ctx: GraphContext, pathId: string, method: string): void {
	const { account } = ctx;
	const selfIds = account.flavour === 'instagram' ? [account.igUserId] : [account.pageId];
	if (pathId !== 'me' && !selfIds.includes(pathId)) throw graphErrors.unsupportedRequest(method, pathId);
}

/** Instagram's profile must be addressed with `platform=instagram` (the Page's own would be Messenger's). */
function assertPlatform(ctx: GraphContext, body: JsonObject): void {
	const platform = optString(body, 'platform');
	if (platform === undefined && ctx.account.flavour === 'instagram') return;
	if (platform !== 'instagram') {
		throw invalid(
			platform === undefined
				? 'The parameter platform is required: use platform=instagram for the Instagram messenger profile'
				: `Param platform must be one of {instagram} (got ${platform})`,
		);
	}
}

function fieldsOf(value: JsonValue | undefined): ProfileField[] {
	let list: JsonValue[];
	if (Array.isArray(value)) list = value;
	else if (typeof value === 'string' && value !== '') list = value.split(',').map((f) => f.trim());
	else throw invalid('The parameter fields is required');
	const unknown = list.filter(
		(f) => typeof f !== 'string' || !(PROFILE_FIELDS as readonly string[]).includes(f),
	);
	if (unknown.length > 0)
		throw invalid(
			`Param fields[] must be one of {${PROFILE_FIELDS.join(', ')}} (got ${unknown.map(String).join(', ')})`,
		);
	if (list.length === 0) throw invalid('The parameter fields is required');
	return [...new Set(list as ProfileField[])];
}

function localeEntries(
	field: ProfileField,
	value: JsonValue,
): Array<{ locale: string; actions: JsonObject[] }> {
	if (!Array.isArray(value) || value.length === 0) throw invalid(`Param ${field} must be a non-empty array`);
	const seen = new Set<string>();
	const entries = value.map((entry, i) => {
		if (!isJsonObject(entry)) throw invalid(`Param ${field}[${i}] must be an object`);
		if (entry.question !== undefined && entry.locale === undefined) {
			throw invalid(
				`Param ${field}[${i}]: the format without locale is deprecated; use [{ locale, call_to_actions }]`,
			);
		}
		const locale = optString(entry, 'locale');
		if (!locale || !LOCALE_RE.test(locale))
			throw invalid(`Param ${field}[${i}][locale] must be a valid locale`);
		if (seen.has(locale)) throw invalid(`Param ${field}: duplicate locale ${locale}`);
		seen.add(locale);
		const actions = entry.call_to_actions;
		if (!Array.isArray(actions) || actions.length === 0 || !actions.every(isJsonObject)) {
			throw invalid(`Param ${field}[${i}][call_to_actions] must be a non-empty array of objects`);
		}
		const extra = Object.keys(entry).filter((k) => k !== 'locale' && k !== 'call_to_actions');
		if (extra.length > 0) {
			throw invalid(`Invalid keys "${extra.join('", "')}" were found in param "${field}[${i}]"`);
		}
		return { locale, actions: actions as JsonObject[] };
	});
	if (!seen.has('default')) throw invalid(`Param ${field} must contain an entry with locale "default"`);
	return entries;
}

function nonEmpty(obj: JsonObject, key: string): string | undefined {
	const v = obj[key];
	return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function validateIceBreakers(value: JsonValue): JsonObject[] {
	return localeEntries('ice_breakers', value).map(({ locale, actions }) => {
		if (actions.length > MAX_ICE_BREAKERS) {
			throw invalid(
				`Param ice_breakers[${locale}][call_to_actions] must have at most ${MAX_ICE_BREAKERS} elements`,
			);
		}
		return {
			call_to_actions: actions.map((a, j) => {
				const question = nonEmpty(a, 'question');
				const payload = nonEmpty(a, 'payload');
				if (!question)
					throw invalid(`Param ice_breakers[${locale}][call_to_actions][${j}][question] is required`);
				if (!payload)
					throw invalid(`Param ice_breakers[${locale}][call_to_actions][${j}][payload] is required`);
				if (payload.length > MAX_PAYLOAD)
					throw invalid(`Param payload must be at most ${MAX_PAYLOAD} characters long`);
				return { question, payload };
			}),
			locale,
		};
	});
}

function validatePersistentMenu(value: JsonValue): JsonObject[] {
	if (Array.isArray(value)) {
		for (const entry of value) {
			if (isJsonObject(entry) && entry.composer_input_disabled !== undefined) {
				throw invalid('Param composer_input_disabled is not supported on Instagram');
			}
		}
	}
	return localeEntries('persistent_menu', value).map(({ locale, actions }) => {
		if (actions.length > MAX_MENU_ITEMS) {
			throw invalid(
				`Param persistent_menu[${locale}][call_to_actions] must have at most ${MAX_MENU_ITEMS} elements`,
			);
		}
		return {
			locale,
			call_to_actions: actions.map((a, j): JsonObject => {
				const where = `persistent_menu[${locale}][call_to_actions][${j}]`;
				const type = optString(a, 'type');
				const title = nonEmpty(a, 'title');
				if (!title) throw invalid(`Param ${where}[title] is required`);
				if (title.length > MAX_MENU_TITLE)
					throw invalid(`Param ${where}[title] must be at most ${MAX_MENU_TITLE} characters long`);
				if (a.webview_height_ratio !== undefined)
					throw invalid('Param webview_height_ratio is not supported on Instagram');
				if (type === 'postback') {
					const payload = nonEmpty(a, 'payload');
					if (!payload) throw invalid(`Param ${where}[payload] is required`);
					if (payload.length > MAX_PAYLOAD)
						throw invalid(`Param ${where}[payload] must be at most ${MAX_PAYLOAD} characters long`);
					return { type, title, payload };
				}
				if (type === 'web_url') {
					const url = nonEmpty(a, 'url');
					let ok = false;
					try {
						ok = url !== undefined && /^https?:$/.test(new URL(url).protocol);
					} catch {
						ok = false;
					}
					if (!ok || url === undefined) throw invalid(`Param ${where}[url] must be a valid URL`);
					return { type, title, url };
				}
				throw invalid(`Param ${where}[type] must be one of {postback, web_url}`);
			}),
		};
	});
}

function profileOf(ctx: GraphContext): MessengerProfile {
	return ctx.services.state.messengerProfile(ctx.account.igUserId);
}

function getProfile(ctx: GraphContext, p: Record<string, string>): HandlerResult {
	assertSelf(ctx, p.id ?? '', 'GET');
	const body = params(ctx);
	assertPlatform(ctx, body);
	const fields = fieldsOf(body.fields);
	const profile = profileOf(ctx);
	if (fields.length === 1) {
		const field = fields[0] as ProfileField;
		return { status: 200, json: { data: profile[field] ?? [] } };
	}
	const element: JsonObject = {};
	for (const field of fields) if (profile[field] !== undefined) element[field] = profile[field] ?? [];
	return { status: 200, json: { data: Object.keys(element).length > 0 ? [element] : [] } };
}

function postProfile(ctx: GraphContext, p: Record<string, string>): HandlerResult {
	assertSelf(ctx, p.id ?? '', 'POST');
	if (ctx.req.bodyError) throw invalid(`Invalid request body: ${ctx.req.bodyError}`);
	const body = params(ctx);
	assertPlatform(ctx, body);
	const unknown = Object.keys(body).filter(
		(k) => k !== 'platform' && !(PROFILE_FIELDS as readonly string[]).includes(k),
	);
	if (unknown.some((k) => ['get_started', 'greeting', 'whitelisted_domains'].includes(k))) {
		throw invalid(`Param ${unknown.join(', ')} is not supported for platform instagram`);
	}
	if (unknown.length > 0)
		throw invalid(`Invalid keys "${unknown.join('", "')}" were found in param "messenger_profile"`);
	const update: MessengerProfile = {};
	if (body.ice_breakers !== undefined) update.ice_breakers = validateIceBreakers(body.ice_breakers);
	if (body.persistent_menu !== undefined)
		update.persistent_menu = validatePersistentMenu(body.persistent_menu);
	if (Object.keys(update).length === 0)
		throw invalid('You must specify at least one of the messenger profile fields');
	Object.assign(profileOf(ctx), update);
	return { status: 200, json: { result: 'success' } };
}

function deleteProfile(ctx: GraphContext, p: Record<string, string>): HandlerResult {
	assertSelf(ctx, p.id ?? '', 'DELETE');
	if (ctx.req.bodyError) throw invalid(`Invalid request body: ${ctx.req.bodyError}`);
	const body = params(ctx);
	assertPlatform(ctx, body);
	const profile = profileOf(ctx);
	for (const field of fieldsOf(body.fields)) delete profile[field];
	return { status: 200, json: { result: 'success' } };
}

export const messengerProfileRoutes: GraphRoute[] = [
	{ method: 'GET', path: '/:id/messenger_profile', handler: getProfile },
	{ method: 'POST', path: '/:id/messenger_profile', handler: postProfile },
	{ method: 'DELETE', path: '/:id/messenger_profile', handler: deleteProfile },
];
