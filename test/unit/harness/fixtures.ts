import type { ICredentialDataDecryptedObject, INode, INodeParameters } from 'n8n-workflow';

import { ACTION_TYPE, TRIGGER_TYPE } from './nodeTypes';

export const GRAPH = 'https://graph.instagram.com';
export const TOKEN = 'IGAA-unit-test-token';
export const APP_SECRET = 'unit-instagram-app-secret';
export const CUSTOMER = '1111111111111111';
export const ACCOUNT = '17841400000000001';

export const instagramLoginCredentials: Record<string, ICredentialDataDecryptedObject> = {
	instagramLoginApi: { accessToken: TOKEN, appSecret: APP_SECRET },
};

export function actionNode(parameters: INodeParameters, extra: Partial<INode> = {}): INode {
	return {
		id: 'action',
		name: 'Instagram Messaging',
		type: ACTION_TYPE,
		typeVersion: 1,
		position: [0, 0],
		// Tests of message shapes opt out of the automation disclosure (on by default in the node);
		// test/unit/actions/disclosure.test.ts covers it.
		parameters: { authentication: 'instagramLoginApi', discloseAutomation: false, ...parameters },
		credentials: { instagramLoginApi: { id: '1', name: 'Instagram' } },
		...extra,
	};
}

export function triggerNode(parameters: INodeParameters = {}): INode {
	return {
		id: 'trigger',
		name: 'Instagram Messaging Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'instagram-unit',
		parameters: {
			authentication: 'instagramLoginApi',
			verifyToken: 'unit-verify-token',
			events: ['message'],
			...parameters,
		},
		credentials: { instagramLoginApi: { id: '1', name: 'Instagram' } },
	};
}
