import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { authenticationProperty, credentialDescriptions } from './actions/authentication';
import { resources } from './actions/resources';
import { router } from './actions/router';
import { toolDescriptionProperty } from './actions/toolDescriptions';
import { searchConversations, searchMedia } from './methods/listSearch';
import { resumeWebhooks, resumeWithAnswer } from './waits/resume';

export class InstagramMessaging implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Instagram Messaging',
		name: 'instagramMessaging',
		icon: {
			light: 'file:instagramMessaging.svg',
			dark: 'file:instagramMessaging.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Send Instagram Direct messages and manage conversations',
		defaults: { name: 'Instagram Messaging' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialDescriptions,
		webhooks: resumeWebhooks,
		waitingNodeTooltip:
			"The execution continues when the customer answers on Instagram or the wait's limit passes",
		properties: [
			authenticationProperty,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: resources.map(({ name, value, description }) => ({ name, value, description })),
				default: 'message',
			},
			...resources.flatMap((resource) => resource.module.description),
			toolDescriptionProperty,
		],
	};

	methods = {
		listSearch: { searchConversations, searchMedia },
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeWithAnswer.call(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
