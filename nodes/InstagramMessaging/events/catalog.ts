import type { InstagramEventType, MessageKind } from './types';

/** Options for UI dropdowns (n8n `options` shape), sorted by name. */
export type EventTypeOption = { name: string; value: InstagramEventType; description: string };
export type MessageKindOption = { name: string; value: MessageKind; description: string };

export const EVENT_TYPES: readonly EventTypeOption[] = [
	{ name: 'App Roles', value: 'app_roles', description: 'The app roles on the account changed (handover)' },
	{ name: 'Comment', value: 'comment', description: "Someone commented on the account's media" },
	{
		name: 'Echo',
		value: 'echo',
		description: 'A message sent by the business, from any app or the Instagram app',
	},
	{
		name: 'Handover: Metadata',
		value: 'handover_metadata',
		description: 'Another app passed thread metadata',
	},
	{ name: 'Handover: Pass', value: 'handover_pass', description: 'Thread control was passed to an app' },
	{ name: 'Handover: Request', value: 'handover_request', description: 'An app requested thread control' },
	{ name: 'Handover: Take', value: 'handover_take', description: 'An app took thread control' },
	{ name: 'Live Comment', value: 'live_comment', description: 'Someone commented during a live broadcast' },
	{ name: 'Mention', value: 'mention', description: 'The account was @mentioned in a caption or comment' },
	{
		name: 'Message',
		value: 'message',
		description: 'A customer sent a message (text, media, story mention or reply, share, quick reply)',
	},
	{ name: 'Message Deleted', value: 'message_deleted', description: 'A message was unsent' },
	{ name: 'Message Edited', value: 'message_edit', description: 'A customer edited a message' },
	{
		name: 'Message Unsupported',
		value: 'message_unsupported',
		description: 'A customer sent content the API cannot show',
	},
	{ name: 'Opt-In', value: 'optin', description: 'A customer opted in or out of marketing messages' },
	{
		name: 'Policy Enforcement',
		value: 'policy_enforcement',
		description: 'Meta warned or blocked the app for a policy reason',
	},
	{
		name: 'Postback',
		value: 'postback',
		description: 'A customer tapped an ice breaker, button or menu item',
	},
	{ name: 'Reaction', value: 'reaction', description: 'A customer reacted to a message' },
	{
		name: 'Referral',
		value: 'referral',
		description: 'A customer opened an existing conversation from an ig.me link or ad',
	},
	{ name: 'Seen', value: 'seen', description: 'A customer saw a message' },
	{ name: 'Unknown', value: 'unknown', description: 'An event this version does not recognise (see raw)' },
	{ name: 'Unreaction', value: 'unreaction', description: 'A customer removed a reaction' },
];

export const MESSAGE_KINDS: readonly MessageKindOption[] = [
	{ name: 'Attachment', value: 'attachment', description: 'Image, video, audio, file or other media' },
	{ name: 'Quick Reply', value: 'quick_reply', description: 'A tapped quick reply button' },
	{ name: 'Share', value: 'share', description: 'A shared post, reel or link' },
	{ name: 'Story Mention', value: 'story_mention', description: 'The account was mentioned in a story' },
	{ name: 'Story Reply', value: 'story_reply', description: "A reply to the account's story" },
	{ name: 'Text', value: 'text', description: 'A text message without attachments' },
];

export const EVENT_TYPE_VALUES: readonly InstagramEventType[] = EVENT_TYPES.map((option) => option.value);
export const MESSAGE_KIND_VALUES: readonly MessageKind[] = MESSAGE_KINDS.map((option) => option.value);
