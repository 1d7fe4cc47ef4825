import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	failer,
	MAX_ICE_BREAKERS_PER_LOCALE,
	MAX_MENU_ITEMS_PER_LOCALE,
	MAX_MENU_TITLE_CHARS,
	MAX_PAYLOAD_CHARS,
	RECOMMENDED_MENU_ITEMS,
	type Fail,
	type IceBreaker,
	type LocaleEntry,
	type MenuItem,
} from './common';
import { WAIT_REFERENCE_REFUSAL } from '../validation';
import { looksLikeWaitReference, WAIT_REFERENCE_PREFIX } from '../../waits/reference';

/** Ice breakers and the persistent menu checked against Meta's limits before anything is sent. */

/** The payload of an ice breaker or a postback menu item: present, short, not a wait reference. */
function postbackPayload(value: unknown, where: string, example: string, fail: Fail): string {
	if (!nonEmptyString(value)) {
		fail(
			`${where} has no payload`,
			`Set a payload such as ${example}: it comes back in the postback webhook when the customer taps it.`,
		);
	}
	const payload = value as string;
	if (payload.length > MAX_PAYLOAD_CHARS)
		fail(`${where}: payload is longer than ${MAX_PAYLOAD_CHARS} characters`, 'Use a short code as payload.');
	if (looksLikeWaitReference(payload))
		fail(`${where}: payload starts with "${WAIT_REFERENCE_PREFIX}"`, WAIT_REFERENCE_REFUSAL);
	return payload;
}

const LOCALE_RE = /^(default|[a-z]{2,3}_[A-Z]{2})$/;

function localeEntries(value: unknown, field: string, fail: Fail): Array<LocaleEntry<IDataObject>> {
	if (!Array.isArray(value) || value.length === 0) {
		fail(`${field}: nothing to set`, `Add at least one entry for the "default" locale.`);
	}
	const seen = new Set<string>();
	const entries = (value as unknown[]).map((entry, index) => {
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
			return fail(
				`${field}: entry ${index + 1} is not an object`,
				'Each entry looks like { "locale": "default", "call_to_actions": [ … ] }.',
			);
		}
		const { locale, call_to_actions: actions } = entry as IDataObject;
		if (typeof locale !== 'string' || !LOCALE_RE.test(locale)) {
			fail(
				`${field}: locale "${String(locale ?? '')}" is not valid`,
				'Use "default" or a locale such as en_US, de_DE or pt_BR (language, underscore, country).',
			);
		}
		if (seen.has(locale as string)) {
			fail(
				`${field}: locale "${String(locale)}" appears twice`,
				'List each locale once with all its entries.',
			);
		}
		seen.add(locale as string);
		if (!Array.isArray(actions) || actions.length === 0) {
			fail(
				`${field}: locale "${String(locale)}" has no entries`,
				'Give every locale at least one entry, or remove it.',
			);
		}
		return { locale: locale as string, call_to_actions: actions as IDataObject[] };
	});
	if (!seen.has('default')) {
		fail(
			`${field}: the "default" locale is missing`,
			`Meta requires an entry with locale "default", used for every language without its own entry. Set the locale of at least one row to "default".`,
		);
	}
	return entries;
}

function nonEmptyString(value: unknown): value is string {
	return typeof value === 'string' && value.trim() !== '';
}

/** Meta's rules for ice breakers (§5.1): a "default" locale, 1–4 questions per locale. */
export function validateIceBreakers(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
): Array<LocaleEntry<IceBreaker>> {
	const fail = failer(ctx, itemIndex);
	return localeEntries(value, 'Ice Breakers', fail).map(({ locale, call_to_actions }) => {
		if (call_to_actions.length > MAX_ICE_BREAKERS_PER_LOCALE) {
			fail(
				`Ice Breakers: locale "${locale}" has ${call_to_actions.length} questions, Instagram allows at most ${MAX_ICE_BREAKERS_PER_LOCALE}`,
				`Keep at most ${MAX_ICE_BREAKERS_PER_LOCALE} questions per locale.`,
			);
		}
		return {
			locale,
			call_to_actions: call_to_actions.map((action, index) => {
				const where = `Ice Breakers: question ${index + 1} of locale "${locale}"`;
				if (!nonEmptyString(action.question))
					fail(`${where} has no text`, 'Fill in the question the customer taps.');
				const payload = postbackPayload(action.payload, where, 'ORDER_STATUS', fail);
				return { question: action.question as string, payload };
			}),
		};
	});
}

/** Meta's rules for the persistent menu (§5.2): a "default" locale, postback and web_url items only. */
export function validatePersistentMenu(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
): Array<LocaleEntry<MenuItem>> {
	const fail = failer(ctx, itemIndex);
	return localeEntries(value, 'Persistent Menu', fail).map(({ locale, call_to_actions }) => {
		if (call_to_actions.length > MAX_MENU_ITEMS_PER_LOCALE) {
			fail(
				`Persistent Menu: locale "${locale}" has ${call_to_actions.length} items, Meta allows at most ${MAX_MENU_ITEMS_PER_LOCALE}`,
				`Keep the menu short: ${RECOMMENDED_MENU_ITEMS} items or fewer is what Meta recommends.`,
			);
		}
		return {
			locale,
			call_to_actions: call_to_actions.map((action, index) => {
				const where = `Persistent Menu: item ${index + 1} of locale "${locale}"`;
				if (!nonEmptyString(action.title))
					fail(`${where} has no title`, 'Fill in the text shown in the menu.');
				const title = action.title as string;
				if (title.length > MAX_MENU_TITLE_CHARS) {
					fail(
						`${where}: title "${title}" is ${title.length} characters, Meta allows at most ${MAX_MENU_TITLE_CHARS}`,
						`Shorten the title to ${MAX_MENU_TITLE_CHARS} characters.`,
					);
				}
				if (action.type === 'postback') {
					const payload = postbackPayload(action.payload, where, 'TALK_TO_AGENT', fail);
					return { type: 'postback', title, payload };
				}
				if (action.type === 'web_url') {
					const url = String(action.url ?? '').trim();
					let valid = false;
					try {
						valid = /^https?:$/.test(new URL(url).protocol);
					} catch {
						valid = false;
					}
					if (!valid)
						fail(`${where}: URL "${url}" is not a web address`, 'Use a full address starting with https://.');
					return { type: 'web_url', title, url };
				}
				return fail(
					`${where}: type "${String(action.type ?? '')}" is not supported`,
					'Instagram menus accept only "postback" (sends a postback webhook) and "web_url" (opens a web page).',
				);
			}),
		};
	});
}
