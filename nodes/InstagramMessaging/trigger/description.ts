import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { authenticationProperty, credentialDescriptions } from '../actions/authentication';
import { EVENT_TYPES, MESSAGE_KINDS } from '../events';
import { entryOptions } from './entryOptions';
import { escalationOptions } from './escalation';
import { keywordOptions } from './keywords';
import { mediaDetailsOption } from './mediaDetails';
import { oncePerPersonOption } from './oncePerPerson';

/** Event types a new trigger listens to: what a chatbot or an inbox automation reacts to. */
export const DEFAULT_TRIGGER_EVENTS = ['message', 'postback', 'reaction', 'referral'];

/** Default cap for "Download Attachments" (MB). */
export const DEFAULT_MAX_ATTACHMENT_MB = 25;

/** The trigger's credentials: the account credential, plus the Meta app in automatic mode. */
export const triggerCredentials: INodeCredentialDescription[] = [
	...credentialDescriptions,
	{
		name: 'metaAppApi',
		required: true,
		displayOptions: { show: { subscription: ['automatic'] } },
	},
];

export const triggerProperties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName: 'Subscription',
		name: 'subscription',
		type: 'options',
		options: [
			{
				name: 'Manual',
				value: 'manual',
				description:
					"You enter the production URL and the verify token in Meta's app dashboard; the node changes nothing at Meta",
			},
			{
				name: 'Automatic',
				value: 'automatic',
				description:
					"On activation the node registers its URL as the Meta app's Instagram webhook and subscribes the account; on deactivation it removes what it added",
			},
		],
		default: 'manual',
		description: 'How Meta learns where to send the events',
	},
	{
		displayName:
			"Copy the Production URL shown above under Webhook URLs and the verify token below into Meta's app dashboard (Instagram Login: Instagram → API setup with Instagram login → Configure webhooks; Facebook Page: Webhooks → Instagram), subscribe the fields you need, and subscribe the account to the app. Meta accepts one callback URL per app, so only one active workflow can receive a Meta app's events.",
		name: 'manualNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { subscription: ['manual'] } },
	},
	{
		displayName:
			"Meta accepts one callback URL per app: activating this workflow fails with a clear error when another URL already holds the Meta app's Instagram webhook. Listening for a test event temporarily points the webhook at the test URL; the production URL is put back when the test ends.",
		name: 'automaticNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { subscription: ['automatic'] } },
	},
	{
		displayName: 'Verify Token',
		name: 'verifyToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description:
			'Any secret string you choose. Meta sends it back when it verifies the callback URL; requests with another token are refused.',
	},
	{
		displayName: 'Trigger On',
		name: 'events',
		type: 'multiOptions',
		options: EVENT_TYPES.map(({ name, value, description }) => ({ name, value, description })),
		// Keep in sync with DEFAULT_TRIGGER_EVENTS (the lint rule wants a literal array here).
		default: ['message', 'postback', 'reaction', 'referral'],
		required: true,
		description:
			'Which Instagram events start the workflow. Echo (messages sent by the business, including by this workflow) is off by default to avoid reply loops.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Download Attachments',
				name: 'downloadAttachments',
				type: 'boolean',
				default: false,
				description:
					'Whether to download attachment media into binary properties (attachment_0, attachment_1, …) while the CDN links are still valid. A failed download keeps the event and adds downloadError.',
			},
			mediaDetailsOption,
			...escalationOptions,
			...keywordOptions,
			{
				displayName: 'Include Raw Event',
				name: 'includeRaw',
				type: 'boolean',
				default: false,
				description: 'Whether to add the event exactly as Meta sent it under "raw"',
			},
			{
				displayName: 'Include Standby Events',
				name: 'includeStandby',
				type: 'boolean',
				default: false,
				description:
					'Whether to also emit events Meta sends while another app owns the conversation (flagged isStandby; replies are refused until control is passed back)',
			},
			{
				displayName: 'Max Attachment Size (MB)',
				name: 'maxAttachmentMb',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_ATTACHMENT_MB,
				description: 'Larger attachments are not downloaded; the event is emitted with downloadError',
			},
			{
				displayName: 'Message Kinds',
				name: 'messageKinds',
				type: 'multiOptions',
				options: MESSAGE_KINDS.map(({ name, value, description }) => ({ name, value, description })),
				default: [],
				description: 'Only emit Message events of these kinds; empty means all kinds',
			},
			...entryOptions,
			oncePerPersonOption,
			{
				displayName: 'Restrict to Account IDs',
				name: 'accountIds',
				type: 'string',
				default: '',
				placeholder: '17841400000000001, 17841400000000002',
				description:
					'Comma-separated Instagram professional account IDs (the entry ID in webhooks); events for other accounts are ignored. Empty means all.',
			},
			{
				displayName: 'Restrict to Sender IDs',
				name: 'customerIds',
				type: 'string',
				default: '',
				placeholder: '1111111111111111',
				description:
					'Comma-separated Instagram-scoped IDs of customers; only events in conversations with them are emitted. Empty means all.',
			},
		],
	},
];
