import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { credentialDescriptions } from './actions/authentication';
import { triggerProperties } from './trigger/description';
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
		version: 1,
		subtitle: '={{ "On " + $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when an Instagram Direct message or event arrives',
		defaults: { name: 'Instagram Messaging Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialDescriptions,
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

	/**
	 * Manual subscription: the callback URL and verify token are entered in Meta's dashboard, so
	 * activation touches no Meta subscription and deactivation leaves the dashboard as it is.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return this.getWebhookName() === 'setup' ? await handleSetup.call(this) : await handleEvents.call(this);
	}
}
