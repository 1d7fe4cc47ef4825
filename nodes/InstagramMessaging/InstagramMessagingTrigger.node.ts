import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { searchMedia, searchStories } from './methods/listSearch';
import { triggerCredentials, triggerProperties } from './trigger/description';
import { emitEvents } from './trigger/emit';
import { checkExists, create, remove } from './trigger/subscriptions';
import { handleEvents, handleSetup } from './trigger/webhook';

export class InstagramMessagingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Instagram Messaging Trigger',
		name: 'instagramMessagingTrigger',
		icon: {
			light: 'file:instagramMessaging.svg',
			dark: 'file:instagramMessaging.dark.svg',
		},
		group: ['trigger'],
		// Version 2 behaves exactly like 1. n8n evaluates an expression in a fresh sandbox for every
		// request to a version-1 webhook node (`parseRequestBody` reads options.binaryData), which cost
		// about 5 ms per delivery in the profile (docs/architecture.md, "Where a delivery's time goes").
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ "On " + $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when an Instagram Direct message or event arrives',
		defaults: { name: 'Instagram Messaging Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: triggerCredentials,
		webhooks: [
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' },
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: 'noData',
				path: 'webhook',
			},
		],
		properties: triggerProperties,
	};

	methods = {
		listSearch: { searchMedia, searchStories },
	};

	/**
	 * Manual subscription touches nothing at Meta. Automatic subscription registers the node's URL
	 * as the Meta app's Instagram webhook and subscribes the account (trigger/subscriptions.ts).
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await remove(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return this.getWebhookName() === 'setup' ? await handleSetup.call(this) : await handleEvents.call(this);
	}

	/**
	 * The trigger's first step inside the execution webhook() started (n8n runs a webhook node's
	 * execute() with the webhook's items): dedup keys are stored and attachments downloaded here.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await emitEvents.call(this);
	}
}
