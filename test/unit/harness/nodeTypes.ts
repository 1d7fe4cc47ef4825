import { NodeHelpers, Workflow } from 'n8n-workflow';
import type { ICredentialType, INode, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';

import { FacebookPageApi } from '../../../credentials/FacebookPageApi.credentials';
import { InstagramLoginApi } from '../../../credentials/InstagramLoginApi.credentials';
import { InstagramLoginOAuth2Api } from '../../../credentials/InstagramLoginOAuth2Api.credentials';
import { MetaAppApi } from '../../../credentials/MetaAppApi.credentials';
import { InstagramMessaging } from '../../../nodes/InstagramMessaging/InstagramMessaging.node';
import { InstagramMessagingTrigger } from '../../../nodes/InstagramMessaging/InstagramMessagingTrigger.node';

export const ACTION_TYPE = 'n8n-nodes-instagram-messaging.instagramMessaging';
export const TRIGGER_TYPE = 'n8n-nodes-instagram-messaging.instagramMessagingTrigger';

export const packageNodeTypes: Record<string, INodeType | IVersionedNodeType> = {
	[ACTION_TYPE]: new InstagramMessaging(),
	[TRIGGER_TYPE]: new InstagramMessagingTrigger(),
};

export const packageCredentialTypes: Record<string, ICredentialType> = Object.fromEntries(
	[new InstagramLoginApi(), new InstagramLoginOAuth2Api(), new FacebookPageApi(), new MetaAppApi()].map(
		(type) => [type.name, type],
	),
);

export class TestNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType> = packageNodeTypes) {}

	getByName(type: string): INodeType | IVersionedNodeType {
		return this.types[type];
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.types[type], version);
	}

	getKnownTypes() {
		return {};
	}
}

/** A workflow of just this node, on the package's node types (for contexts built by hand). */
export function workflowOf(node: INode): Workflow {
	return new Workflow({
		id: 'unit',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes(),
		settings: {},
	});
}
