import { MISSING_PERMISSION, OTHER_CREDENTIAL, RECONNECT, type Fix } from './metaErrorFixes';

export { MISSING_PERMISSION, type Fix } from './metaErrorFixes';

/** Meta's Graph API error object (instagram-api.md §7.1). */
export interface MetaError {
	message?: string;
	type?: string;
	code?: number;
	error_subcode?: number;
	error_user_title?: string;
	error_user_msg?: string;
	is_transient?: boolean;
	fbtrace_id?: string;
}

export interface ErrorExplanation {
	/** What happened, in a user's words: becomes the NodeApiError message. */
	message: string;
	/** How to fix it: becomes the NodeApiError description. */
	fix: string;
	/** Whether waiting and sending the same request again can succeed. */
	retryable: boolean;
	/** Meta may have acted anyway (1 / 1357046: "the messages are all sent successfully, but the
	 * endpoint returns an error"; 1, 2, 1200, transient): never repeated for a send. */
	mayHaveActed?: boolean;
	/** Meta's rate-limit answer: the caller slows its pace for the account (`rateLimit.ts`). */
	rateLimited?: boolean;
}

export type Rule = { code: number | number[]; subcode?: number } & Omit<ErrorExplanation, 'fix'> & {
		fix: Fix;
	};

/**
 * Every code in instagram-api.md §7.2. Subcode rules come before the rule for their code.
 * Codes marked uncertain there are still explained, worded so that they stay true either way.
 */
export const RULES: Rule[] = [
	{
		code: 10,
		subcode: 2534022,
		message: 'Outside the messaging window: the customer has not written in the last 24 hours',
		fix: 'Instagram lets a business reply only within 24 hours of the customer\'s last message (after a Click-to-Direct ad, Meta may keep it open for up to 7 days from the first message; for this conversation it did not). A person (not a bot) may still answer for up to 7 days: set "Written By" to "Human Agent" so the HUMAN_AGENT tag is applied, or wait until the customer writes again.',
		retryable: false,
	},
	{
		code: 10,
		subcode: 2018278,
		message: 'Outside the messaging window: the customer has not written in the last 24 hours',
		fix: 'Reply within 24 hours of the customer\'s last message. A person (not a bot) may still answer for up to 7 days: set "Written By" to "Human Agent" so the HUMAN_AGENT tag is applied, or wait until the customer writes again.',
		retryable: false,
	},
	{
		code: 10,
		subcode: 2018300,
		message: 'Another app controls this conversation',
		fix: 'The thread is held by another app or inbox (for example a person in the Instagram inbox). Stay silent while a person handles it; with the Facebook Page setup, Conversation Control → Take Control (with Conversation Routing) or Request Control (without it) asks for the thread back.',
		retryable: false,
	},
	{
		code: 10,
		subcode: 2018065,
		message: 'This message needs News Messaging, which the account does not have',
		fix: "Meta's error table: the Page must be approved for News Messaging to send this outside the conversation. Reply within 24 hours of the customer's last message instead, or let a person answer with the HUMAN_AGENT tag within 7 days.",
		retryable: false,
	},
	{
		code: 10,
		subcode: 2018108,
		message: 'This person cannot receive messages right now',
		fix: 'Meta does not deliver to this person at the moment (privacy settings, restriction or block). Nothing to fix on your side; try again later or reach them another way.',
		retryable: false,
	},
	{
		code: 10,
		subcode: 1893063,
		message: 'This account is temporarily restricted from sending messages',
		fix: 'Meta restricted sending for this account (Messenger Platform error codes: "You are temporarily restricted from sending messages"). Check Meta Business Suite for the notice and pause automated sends until the restriction ends.',
		retryable: false,
	},
	{
		code: 10,
		subcode: 2534077,
		message: 'Meta cannot verify the connection between this Instagram account and the app',
		fix: 'Meta could not confirm the link between the Instagram account, the user and the Page (for example after two-factor authentication was turned on). Reconnect the credential as a person with full control of the account.',
		retryable: false,
	},
	{
		code: 27,
		message: 'Take Control needs Conversation Routing with this app as the default app',
		fix: 'Meta allows taking a conversation only when Conversation Routing is set up for the Page: in the Page settings (Page setup → Instagram conversation routing) choose a default app, and turn on "Take control of conversations" under Advanced messaging. Without routing, use Request Control instead.',
		retryable: false,
	},
	{ code: 10, ...MISSING_PERMISSION },
	{
		code: 100,
		subcode: 2018001,
		message: 'No matching Instagram user: the recipient id is not a customer of this account',
		fix: 'Use the Instagram-scoped id (IGSID) of someone who has messaged this account — for example the trigger\'s "customerId". IGSIDs differ per business account, so an id from another account or app does not work.',
		retryable: false,
	},
	{
		code: 100,
		subcode: 2534014,
		message: 'No matching Instagram user: the recipient id is not an Instagram-scoped ID of this account',
		fix: 'Use the Instagram-scoped id (IGSID) of someone who has messaged this account — for example the trigger\'s "customerId". Usernames, Facebook ids and ids from another account do not work.',
		retryable: false,
	},
	{
		code: 100,
		subcode: 2534013,
		message: 'The Facebook Page is not linked to an Instagram account',
		fix: 'Link the Instagram professional account to the Page (Meta Business Suite → Settings → Instagram accounts), then check the Page ID in the credential.',
		retryable: false,
	},
	{
		code: 100,
		subcode: 2534037,
		message: 'Only the app that holds the conversation can do this',
		fix: 'Another app (or a person in the inbox) holds the conversation. Conversation Control → Get Owner shows who; Take Control (with Conversation Routing) or Request Control (without it) asks for the thread first.',
		retryable: false,
	},
	{
		code: 100,
		subcode: 2018074,
		message: 'The attachment ID is not valid for this account',
		fix: 'Use an attachment ID uploaded by this account (it must come from the same Page). Upload the file again if unsure.',
		retryable: false,
	},
	{
		code: 100,
		subcode: 2018109,
		message: 'The attachment is too large for Instagram',
		fix: 'Instagram accepts images up to 8 MB and video, audio and PDF files up to 25 MB. Compress the file or send a link instead.',
		retryable: false,
	},
	{
		code: 100,
		subcode: 2018008,
		message: 'Meta could not fetch the file from its URL',
		fix: 'The URL must be public HTTPS with a valid certificate, answer quickly and serve a supported file within the size limit. Check the link in a private browser window.',
		retryable: false,
	},
	{
		code: 100,
		subcode: 2018294,
		message: 'Meta could not fetch the video in time or the video is corrupted',
		fix: 'Meta gives up when a video cannot be fetched within 75 seconds. Serve it from a faster host, make it smaller, or check that it plays.',
		retryable: false,
	},
	{
		code: 100,
		subcode: 33,
		message: 'The object does not exist or this token cannot see it',
		fix: (flavour) =>
			flavour === 'facebookPage'
				? 'Check the id (the Page ID in the credential, or an id of this Instagram account), and that the token is a token of that Facebook Page (EAA…) rather than an Instagram Login token (IGAA…).'
				: 'Check the id (it must belong to this Instagram account) and that the token has the permissions for it.',
		retryable: false,
	},
	{
		code: 100,
		message: 'Meta rejected a parameter of the request',
		fix: "Check the fields named in Meta's message below (ids, text length, attachment URL, template fields).",
		retryable: false,
	},
	{
		code: 200,
		subcode: 1545041,
		message: "This person isn't available right now",
		fix: 'Meta does not deliver to this person at the moment: they may have blocked the account, deactivated theirs, or be restricted (Messenger Platform error codes: "Message Not Sent: This person isn\'t available right now"). Nothing to fix in the credential; do not resend.',
		retryable: false,
	},
	{
		code: 200,
		subcode: 2534041,
		message: 'The account owner has turned off access to Instagram messages',
		fix: 'In the Instagram app, turn on Settings → Messages and story replies → Connected tools → "Allow access to messages" for this account.',
		retryable: false,
	},
	{ code: 190, subcode: 463, message: 'The access token has expired', fix: RECONNECT, retryable: false },
	{
		code: 190,
		subcode: 460,
		message: 'The access token was revoked because the account password changed',
		fix: RECONNECT,
		retryable: false,
	},
	{
		code: 190,
		subcode: 458,
		message: 'The app is no longer installed for this account, so the token was revoked',
		fix: RECONNECT,
		retryable: false,
	},
	{
		code: 190,
		message: 'The access token is invalid or has expired',
		fix: RECONNECT,
		retryable: false,
	},
	{
		code: 230,
		message: "This person's permissions do not allow the message",
		fix: 'The customer has not allowed messages from this account (or revoked it). Wait until they write to you.',
		retryable: false,
	},
	{
		code: 368,
		message: 'The account is temporarily blocked from messaging for a policy violation',
		fix: 'Meta restricted this account. Check the Instagram app or Meta Business Suite for the notice, and pause automated sends until the block ends.',
		retryable: false,
	},
	{
		code: 551,
		message: "This person isn't available right now",
		fix: 'The recipient blocked the account, deactivated theirs or is restricted. The message cannot be delivered.',
		retryable: false,
	},
	{
		code: 36103,
		message: 'Instagram messaging is not available for this account',
		fix: 'The account must be an Instagram professional (Business or Creator) account with "Allow access to messages" turned on (Settings → Privacy → Messages → Connected tools).',
		retryable: false,
	},
	{
		code: 2534001,
		message: 'The conversation or user no longer exists',
		fix: 'The person may have deleted their account or the thread. Nothing to retry.',
		retryable: false,
	},
	{
		// Private replies (instagram-api.md §3.14): the subcode arrives under code 10 or 100.
		code: [10, 100],
		subcode: 2534025,
		message: 'Instagram refused the private reply: one per comment, within 7 days of the comment',
		fix: 'Instagram allows one private reply per comment, within 7 days of the comment (Live comments: only while live). This comment was already answered privately, or it is too old; answer in the existing conversation instead.',
		retryable: false,
	},
	{
		code: 2534025,
		message: 'A private reply was already sent for this comment',
		fix: 'Instagram allows one private reply per comment, within 7 days of the comment.',
		retryable: false,
	},
	{
		code: [4, 17, 32, 613, 80002, 80006],
		message: "Meta's rate limit was reached",
		fix: 'Meta throttles calls per app and per Instagram account (300 text messages/s, 10 audio or video/s, 2 Conversations API calls/s). The node waits and retries automatically; if this persists, send fewer items at once.',
		retryable: true,
		rateLimited: true,
	},
	{
		code: 1,
		subcode: 1357046,
		message: 'Meta answered with an error, but the message was most likely delivered',
		fix: 'Meta documents this answer as "the messages are all sent successfully, but the endpoint returns an error" (Messenger Platform error codes). It was not sent again: check the conversation before resending.',
		retryable: false,
		mayHaveActed: true,
	},
	{
		code: [2, 1200],
		message: 'Meta had a temporary problem',
		fix: 'Meta reported a temporary failure. Reads are retried automatically; a send is not, because Meta may have delivered it. If it keeps happening, the recipient may have blocked the account.',
		retryable: true,
		mayHaveActed: true,
	},
	{
		code: 1,
		message: 'Meta reported an unknown error',
		fix: "Often a missing permission, missing Advanced Access or an unverified business. Check the app in Meta's dashboard. Reads are retried before giving up; a send is not, because Meta may have delivered it.",
		retryable: true,
		mayHaveActed: true,
	},
];

export const USER_CONSENT_REQUIRED = /user consent is required/i;

/**
 * Refusals Meta documents only by their text (instagram-api.md §4.5, §7.2: the code is not
 * confirmed). Checked before the code rules, so they win whatever code Meta attaches.
 */
export const MESSAGE_RULES: Array<{ pattern: RegExp } & Rule> = [
	{
		pattern: /cannot parse access token/i,
		code: 190,
		message: 'Meta cannot read this access token',
		fix: OTHER_CREDENTIAL,
		retryable: false,
	},
	{
		pattern: USER_CONSENT_REQUIRED,
		code: [],
		message: 'This person has not messaged the account, so Instagram does not share their profile',
		fix: 'Instagram shares a profile only after the person starts the conversation: they must send the account a direct message (or tap an ice breaker or the persistent menu). A comment or a mention alone is not consent. Read the profile after their first message, for example from the Instagram Messaging Trigger.',
		retryable: false,
	},
];
