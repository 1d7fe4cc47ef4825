import type { INodeProperties } from 'n8n-workflow';

export const recipientIdProperty: INodeProperties = {
	displayName: 'Recipient ID',
	name: 'recipientId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '1111111111111111',
	description:
		'Instagram-scoped ID of the customer (not the username), for example the customerId field of the Instagram Messaging Trigger',
};
