import type { IDataObject } from 'n8n-workflow';

import { idAt, nestedIdAt, recordAt, textAt, toFiniteNumber, toText } from './read';
import type { Edit, Handover, Optin, PolicyEnforcement, Postback, Reaction, Referral } from './types';

/** Normalisers for the sub-objects of messaging items. Each takes the object under its key. */

export function parseReferral(referral: IDataObject | null): Referral | null {
	if (referral === null) return null;
	return {
		ref: textAt(referral, 'ref'),
		source: textAt(referral, 'source'),
		type: textAt(referral, 'type'),
		adId: idAt(referral, 'ad_id'),
		productId: nestedIdAt(referral, 'product'),
		adsContextData: recordAt(referral, 'ads_context_data'),
	};
}

export function parsePostback(postback: IDataObject): Postback {
	return {
		title: textAt(postback, 'title'),
		payload: textAt(postback, 'payload'),
		mid: idAt(postback, 'mid'),
		referral: parseReferral(recordAt(postback, 'referral')),
	};
}

export function parseReaction(reaction: IDataObject): Reaction {
	return {
		mid: idAt(reaction, 'mid'),
		action: textAt(reaction, 'action'),
		reaction: textAt(reaction, 'reaction'),
		emoji: textAt(reaction, 'emoji'),
	};
}

export function parseEdit(edit: IDataObject): Edit {
	return { numEdit: toFiniteNumber(edit.num_edit) };
}

function parseAppRoles(value: IDataObject): Record<string, string[]> {
	const roles: Record<string, string[]> = {};
	for (const [appId, appRoles] of Object.entries(value)) {
		const list = Array.isArray(appRoles) ? appRoles : [appRoles];
		roles[appId] = list.map(toText).filter((role): role is string => role !== null);
	}
	return roles;
}

/** One shape for pass / take / request / metadata / app_roles; unrelated fields stay null. */
export function parseHandover(value: IDataObject, isAppRoles = false): Handover {
	return {
		previousOwnerAppId: idAt(value, 'previous_owner_app_id'),
		newOwnerAppId: idAt(value, 'new_owner_app_id'),
		requestedOwnerAppId: idAt(value, 'requested_owner_app_id'),
		callerAppId: idAt(value, 'caller_app_id'),
		metadata: textAt(value, 'metadata'),
		appRoles: isAppRoles ? parseAppRoles(value) : null,
	};
}

export function parseOptin(optin: IDataObject): Optin {
	return {
		type: textAt(optin, 'type'),
		payload: textAt(optin, 'payload'),
		title: textAt(optin, 'title'),
		ref: textAt(optin, 'ref'),
		notificationMessagesToken: textAt(optin, 'notification_messages_token'),
		notificationMessagesStatus: textAt(optin, 'notification_messages_status'),
		notificationMessagesTimezone: textAt(optin, 'notification_messages_timezone'),
		tokenExpiryTimestamp: toFiniteNumber(optin.token_expiry_timestamp),
		userTokenStatus: textAt(optin, 'user_token_status'),
	};
}

export function parsePolicyEnforcement(value: IDataObject): PolicyEnforcement {
	return { action: textAt(value, 'action'), reason: textAt(value, 'reason') };
}
