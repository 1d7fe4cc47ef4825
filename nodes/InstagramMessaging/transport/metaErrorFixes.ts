import type { Flavour } from './graphApi';

/** Fixes that name the steps of one Meta setup; worded for both when the setup is not known. */

/** A fix that depends on the Meta setup; undefined when the setup is not known. */
export type Fix = string | ((flavour: Flavour | undefined) => string);

export const RECONNECT: Fix = (flavour) =>
	flavour === 'facebookPage'
		? 'Get a new Page access token (Graph API Explorer, or /me/accounts with a new user token) and paste it into the credential. A password change or a removed app permission also revokes tokens.'
		: 'Reconnect the credential, or generate a new token in the Meta app dashboard under Instagram → API setup with Instagram login. Instagram Login tokens last 60 days (this package refreshes them while they are used); a password change or a removed app permission also revokes them.';

export const PERMISSIONS: Fix = (flavour) =>
	flavour === 'facebookPage'
		? 'Grant instagram_basic, instagram_manage_messages, pages_manage_metadata and pages_show_list and get a new token. Apps that message people without a role on the app need Advanced Access after App Review.'
		: flavour === 'instagramLogin'
			? 'Grant instagram_business_basic and instagram_business_manage_messages and get a new token. Apps that message people without a role on the app need Advanced Access after App Review.'
			: 'Check that the token carries the messaging permission (instagram_business_manage_messages, or instagram_manage_messages for the Facebook Page setup) and that your app has Advanced Access if you message people without a role on the app.';

/** Shared by code 10 without a subcode and the whole 200–299 range. */
export const MISSING_PERMISSION = {
	message: 'The token is missing a permission for this call',
	fix: PERMISSIONS,
	retryable: false,
} as const;

export const OTHER_CREDENTIAL: Fix = (flavour) =>
	flavour === 'facebookPage'
		? 'It is not a Facebook token (those start with EAA): an Instagram Login token (IGAA…) belongs in the "Instagram Login" credential. Otherwise the token was not copied completely.'
		: flavour === 'instagramLogin'
			? 'It is not an Instagram Login token (those start with IG): a Facebook Page token (EAA…) belongs in the "Instagram via Facebook Page API" credential. Otherwise the token was not copied completely.'
			: 'Instagram Login tokens (IGAA…) belong in an Instagram Login credential and Facebook Page tokens (EAA…) in the "Instagram via Facebook Page API" credential. Otherwise the token was not copied completely.';
