import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../node.type';
import * as getOwner from './getOwner.operation';
import * as passToHumanInbox from './passToHumanInbox.operation';
import * as releaseControl from './releaseControl.operation';
import * as requestControl from './requestControl.operation';
import * as takeControl from './takeControl.operation';

export const operations: Record<string, OperationModule> = {
	passToHumanInbox,
	takeControl,
	releaseControl,
	requestControl,
	getOwner,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversationControl'] } },
		options: [
			{
				name: 'Get Owner',
				value: 'getOwner',
				description:
					"Find out which app holds a customer's conversation (this app, the Instagram Inbox, another app Meta may not name, or nobody)",
				action: 'Get the owner of a conversation',
			},
			{
				name: 'Pass to Human Inbox',
				value: 'passToHumanInbox',
				description:
					"Hand a customer's conversation to a person in the Instagram Inbox (or another app), optionally telling the customer first. Afterwards this app cannot send until control comes back.",
				action: 'Pass a conversation to the human inbox',
			},
			{
				name: 'Release Control',
				value: 'releaseControl',
				description: 'Give up a conversation this app holds',
				action: 'Release control of a conversation',
			},
			{
				name: 'Request Control',
				value: 'requestControl',
				description:
					'Ask the app that holds a conversation to hand it to this app (only without Conversation Routing)',
				action: 'Request control of a conversation',
			},
			{
				name: 'Take Control',
				value: 'takeControl',
				description:
					'Take a conversation back from the inbox or another app, so that this app can send again (needs Conversation Routing with this app as the default app)',
				action: 'Take control of a conversation',
			},
		],
		default: 'passToHumanInbox',
	},
	{
		displayName:
			'Conversation Control works only with the Facebook Page setup: Meta offers Conversation Routing (handing a conversation to the inbox or another app) for Instagram accounts linked to a Facebook Page, not with Instagram Login. Choose a Facebook Page credential under Authentication.',
		name: 'conversationControlSetupNotice',
		type: 'notice',
		default: '',
		displayOptions: {
			show: {
				resource: ['conversationControl'],
				authentication: ['instagramLoginApi', 'instagramLoginOAuth2Api'],
			},
		},
	},
	...passToHumanInbox.description,
	...takeControl.description,
	...releaseControl.description,
	...requestControl.description,
	...getOwner.description,
];
