import { LoadOptionsContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, INode, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import { TestCredentialsHelper } from '../harness/credentialsHelper';
import { packageCredentialTypes, workflowOf } from '../harness/nodeTypes';
import { ACCOUNT, CUSTOMER } from '../harness';

export const V = `/${GRAPH_API_VERSION}`;
export const CONVERSATION =
	'aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6MTc4NDE0MDAwMDAwMDAwMDE6MTExMTExMTExMTExMTExMQ';
export const MESSAGE_FIELDS =
	'id,created_time,from,to,message,attachments,shares,story,reactions,is_unsupported';
export const ACCOUNT_USERNAME = 'sandbox_shop';
export const CUSTOMER_USERNAME = 'jane_doe';

export const GRAPH_FB = 'https://graph.facebook.com';
export const PAGE_TOKEN = 'EAAB-unit-page-token';
export const facebookPageCredentials: Record<string, ICredentialDataDecryptedObject> = {
	facebookPageApi: {
		accessToken: PAGE_TOKEN,
		pageId: '100000000000001',
		instagramAccountId: ACCOUNT,
		appSecret: '',
		addProof: false,
	},
};

/** Graph's time format, second precision. */
export function graphTime(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

export function participants(customerId = CUSTOMER, username = CUSTOMER_USERNAME) {
	return {
		data: [
			{ username: ACCOUNT_USERNAME, id: ACCOUNT },
			{ username, id: customerId },
		],
	};
}

/** A Conversations API message: inbound (customer → business) or outbound. */
export function graphMessage(
	id: string,
	atMs: number,
	text: string,
	direction: 'inbound' | 'outbound' = 'inbound',
	customerId = CUSTOMER,
) {
	const customer = { username: CUSTOMER_USERNAME, id: customerId };
	const business = { username: ACCOUNT_USERNAME, id: ACCOUNT };
	return {
		id,
		created_time: graphTime(atMs),
		from: direction === 'inbound' ? customer : business,
		to: { data: [direction === 'inbound' ? business : customer] },
		message: text,
		is_unsupported: false,
	};
}

/** A real n8n-core LoadOptionsContext for the action node (resource locator searches). */
export function loadOptionsContext(
	node: INode,
	credentials: Record<string, ICredentialDataDecryptedObject>,
): LoadOptionsContext {
	const workflow = workflowOf(node);
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(packageCredentialTypes, { ...credentials }),
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost/',
		webhookBaseUrl: 'http://localhost/webhook',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	return new LoadOptionsContext(workflow, node, additionalData, 'parameters.conversationId');
}
