/**
 * Webhook field names Meta accepts for object `instagram`, per setup, and the field that carries
 * each webhook event. Source: Instagram Platform "Webhook fields and permissions" (updated
 * 28 Oct 2026) and "Webhooks for Instagram Messaging" (2026); docs/meta-fidelity.md.
 * `message_edit` is in neither table: the sandbox refuses it as a field. Meta documents the edit
 * payload for Instagram Login only (Webhook Notification Examples, Nov 24 2025), so the sandbox
 * delivers Instagram Login edits with `messages` (the field is an assumption, written down in the
 * fidelity table) and no edit through a Facebook Page, where Meta documents none.
 */
import type { Flavour, JsonObject, JsonValue } from '../types';

export const INSTAGRAM_FIELDS: Readonly<Record<Flavour, readonly string[]>> = {
	instagram: [
		'comments',
		'live_comments',
		'message_echoes',
		'message_reactions',
		'messages',
		'messaging_handover',
		'messaging_optins',
		'messaging_postbacks',
		'messaging_referral',
		'messaging_seen',
		'standby',
	],
	facebookPage: [
		'comments',
		'live_comments',
		'mentions',
		'message_reactions',
		'messages',
		'messaging_handover',
		'messaging_policy_enforcement',
		'messaging_postbacks',
		'messaging_referral',
		'messaging_seen',
		'response_feedback',
		'standby',
		'story_insights',
	],
};

/**
 * Page fields Meta accepts on `/{page-id}/subscribed_apps` (Messenger Platform webhooks, May 2026;
 * Page fields are plural: `messaging_referrals`, `messaging_handovers`).
 */
export const PAGE_SUBSCRIBED_FIELDS: readonly string[] = [
	'feed',
	'message_deliveries',
	'message_echoes',
	'message_reactions',
	'message_reads',
	'messages',
	'messaging_handovers',
	'messaging_optins',
	'messaging_policy_enforcement',
	'messaging_postbacks',
	'messaging_referrals',
	'standby',
];

function isObject(value: JsonValue | undefined): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An event Meta documents for no field of this setup: never delivered. */
const NOT_DELIVERED = '(not delivered for this setup)';

/** The field that delivers one `messaging[]` / `standby[]` item. */
export function fieldOfMessagingItem(
	item: JsonObject,
	flavour: Flavour,
	standby: boolean,
): string | undefined {
	if (standby) return 'standby';
	const message = item.message;
	if (isObject(message)) {
		// Instagram Login has its own echo field; through a Page, echoes come with `messages`.
		return message.is_echo === true && flavour === 'instagram' ? 'message_echoes' : 'messages';
	}
	if ('message_edit' in item) return flavour === 'instagram' ? 'messages' : NOT_DELIVERED;
	if ('reaction' in item) return 'message_reactions';
	if ('read' in item) return 'messaging_seen';
	if ('postback' in item) return 'messaging_postbacks';
	if ('referral' in item) return 'messaging_referral';
	if ('optin' in item) return 'messaging_optins';
	if ('policy_enforcement' in item) return 'messaging_policy_enforcement';
	for (const key of ['pass_thread_control', 'take_thread_control', 'request_thread_control', 'app_roles'])
		if (key in item) return 'messaging_handover';
	return undefined;
}

/**
 * The envelope with only what the subscribed fields deliver (Meta sends nothing for a field the
 * app is not subscribed to), or undefined when nothing is left.
 */
export function onlySubscribed(
	envelope: JsonObject,
	fields: readonly string[],
	flavour: Flavour,
): JsonObject | undefined {
	const entries = Array.isArray(envelope.entry) ? envelope.entry : [];
	const kept: JsonObject[] = [];
	for (const entry of entries) {
		if (!isObject(entry)) continue;
		const out: JsonObject = { ...entry };
		let any = false;
		for (const key of ['messaging', 'standby'] as const) {
			const list = entry[key];
			if (!Array.isArray(list)) continue;
			const items = list.filter((item) => {
				if (!isObject(item)) return false;
				// An item the sandbox cannot place stands for an event Meta adds to a field later: kept.
				const field = fieldOfMessagingItem(item, flavour, key === 'standby');
				return field === undefined || fields.includes(field);
			});
			if (items.length > 0) {
				out[key] = items;
				any = true;
			} else delete out[key];
		}
		const changes = entry.changes;
		if (Array.isArray(changes)) {
			const items = changes.filter(
				(change) => isObject(change) && typeof change.field === 'string' && fields.includes(change.field),
			);
			if (items.length > 0) {
				out.changes = items;
				any = true;
			} else delete out.changes;
		}
		// The older single-change form: `entry.field` / `entry.value`.
		if (typeof entry.field === 'string' && fields.includes(entry.field)) any = true;
		if (any) kept.push(out);
	}
	return kept.length > 0 ? { ...envelope, entry: kept } : undefined;
}
