import type { InstagramEventType } from '../events';
import type { Flavour } from '../transport';

/**
 * Webhook fields (object `instagram`, instagram-api.md §2.5) that deliver each event type.
 * `unknown` maps to nothing: it only appears for events Meta adds later.
 */
const FIELDS_BY_EVENT: Readonly<Record<InstagramEventType, readonly string[]>> = {
	message: ['messages'],
	echo: ['messages'],
	message_deleted: ['messages'],
	message_unsupported: ['messages'],
	message_edit: ['message_edit'],
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

/** Fields that exist only on one flavour (§2.5 table). */
const ONLY_ON: Readonly<Record<string, Flavour>> = {
	messaging_optins: 'instagramLogin',
	message_edit: 'instagramLogin',
	messaging_policy_enforcement: 'facebookPage',
	mentions: 'facebookPage',
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
			// Instagram Login delivers mentions with `comments`.
			if (field === 'mentions' && flavour === 'instagramLogin') fields.add('comments');
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
