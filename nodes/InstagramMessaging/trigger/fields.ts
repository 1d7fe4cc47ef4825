import type { InstagramEventType } from '../events';
import type { Flavour } from '../transport';

/**
 * Webhook fields (object `instagram`) that deliver each event type, from Meta's "Webhook fields
 * and permissions" table (28 Oct 2026; docs/meta-fidelity.md). Meta lists no field for message
 * edits: they are assumed to come with `messages`. `unknown` maps to nothing: it only appears for
 * events Meta adds later.
 */
const FIELDS_BY_EVENT: Readonly<Record<InstagramEventType, readonly string[]>> = {
	message: ['messages'],
	echo: ['message_echoes'],
	message_deleted: ['messages'],
	message_unsupported: ['messages'],
	message_edit: ['messages'],
	reaction: ['message_reactions'],
	unreaction: ['message_reactions'],
	seen: ['messaging_seen'],
	postback: ['messaging_postbacks'],
	referral: ['messaging_referral'],
	optin: ['messaging_optins'],
	handover_pass: ['messaging_handover'],
	handover_take: ['messaging_handover'],
	handover_request: ['messaging_handover'],
	handover_metadata: ['messaging_handover'],
	app_roles: ['messaging_handover'],
	policy_enforcement: ['messaging_policy_enforcement'],
	comment: ['comments'],
	live_comment: ['live_comments'],
	mention: ['mentions'],
	unknown: [],
};

/** Fields that exist only on one flavour (Meta's table). */
const ONLY_ON: Readonly<Record<string, Flavour>> = {
	messaging_optins: 'instagramLogin',
	messaging_policy_enforcement: 'facebookPage',
	mentions: 'facebookPage',
};

/** Where a field of one flavour is delivered under another name on the other. */
const REPLACED_ON: Readonly<Record<string, Partial<Record<Flavour, string>>>> = {
	// Instagram Login delivers mentions with `comments`.
	mentions: { instagramLogin: 'comments' },
	// Through a Page, echoes come with `messages`.
	message_echoes: { facebookPage: 'messages' },
};

/** Sorted, unique app-level fields for the chosen event types. Never empty (`messages` at least). */
export function webhookFieldsFor(
	events: readonly string[],
	flavour: Flavour,
	options: { standby?: boolean } = {},
): string[] {
	const fields = new Set<string>();
	for (const event of events) {
		for (const field of FIELDS_BY_EVENT[event as InstagramEventType] ?? []) {
			const only = ONLY_ON[field];
			const replacement = REPLACED_ON[field]?.[flavour];
			if (replacement !== undefined) fields.add(replacement);
			else if (only === undefined || only === flavour) fields.add(field);
		}
	}
	if (options.standby === true) fields.add('standby');
	if (fields.size === 0) fields.add('messages');
	return [...fields].sort();
}

/**
 * Account-level `subscribed_fields`. Instagram Login takes Instagram fields; a Page must only be
 * subscribed to some Page field for Instagram events to flow (§2.5), `messages` is the usual one.
 */
export function accountFieldsFor(appFields: readonly string[], flavour: Flavour): string[] {
	if (flavour === 'facebookPage') return ['messages'];
	return appFields.filter((field) => field !== 'standby' && field !== 'messaging_policy_enforcement');
}
