/**
 * `GET /vX/{IGSID}?fields=…` — the User Profile API (instagram-api.md §4.5), both flavours.
 * Reached through the `/:id` node route in `conversations.ts`, which also serves conversation and
 * message ids.
 */
import { GraphError, graphErrors } from '../errors';
import type { HandlerResult } from '../http';
import type { JsonObject } from '../types';
import type { GraphContext } from './context';
import { parseFields } from './fields';

/** Fields Meta may refuse (older versions, missing permissions); the rest are the basic ones. */
export const EXTENDED_PROFILE_FIELDS = [
	'follower_count',
	'is_user_follow_business',
	'is_business_follow_user',
	'is_verified_user',
];
const BASIC_PROFILE_FIELDS = ['id', 'name', 'username', 'profile_pic'];

/** Meta's consent refusal: only the text is documented, the code is not (§7.2) — 230 is a guess. */
export function userConsentRequired(): GraphError {
	return new GraphError(400, {
		message: 'User consent is required to access user profile',
		type: 'IGApiException',
		code: 230,
		is_transient: false,
	});
}

/** The profile of a customer of this account, or undefined when the id is not a known customer. */
export function profileResult(ctx: GraphContext, igsid: string): HandlerResult | undefined {
	const { state } = ctx.services;
	const accountId = ctx.account.igUserId;
	const customer = state.customer(accountId, igsid);
	if (!customer) return undefined;
	// Consent: established only when the person messaged the account (§4.5). A comment is not enough.
	if (state.conversation(accountId, igsid)?.lastInboundAt === undefined) throw userConsentRequired();

	const profile = state.profile(accountId, igsid);
	const available: JsonObject = {
		id: customer.id,
		follower_count: profile.followerCount ?? 0,
		is_user_follow_business: profile.isUserFollowBusiness ?? false,
		is_business_follow_user: profile.isBusinessFollowUser ?? false,
		is_verified_user: profile.isVerifiedUser ?? false,
	};
	// Fields with no data are omitted (name and profile_pic may be absent).
	if (customer.name !== undefined) available.name = customer.name;
	if (customer.username !== undefined) available.username = customer.username;
	const pic =
		profile.profilePic === undefined
			? `https://scontent.sandbox.invalid/profile/${customer.id}.jpg`
			: profile.profilePic;
	if (pic !== null) available.profile_pic = pic;

	const requested = (parseFields(ctx.req.query.get('fields')) ?? [{ name: 'id', subfields: [] }]).map(
		(f) => f.name,
	);
	const out: JsonObject = {};
	for (const name of requested) {
		if (!BASIC_PROFILE_FIELDS.includes(name) && !EXTENDED_PROFILE_FIELDS.includes(name)) {
			throw graphErrors.nonexistingField(name, 'User', ctx.account.flavour);
		}
		if (profile.refuseExtendedFields && EXTENDED_PROFILE_FIELDS.includes(name)) {
			throw graphErrors.nonexistingField(name, 'User', ctx.account.flavour);
		}
		if (available[name] !== undefined) out[name] = available[name];
	}
	out.id = customer.id;
	return { status: 200, json: out };
}
