import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { Flavour, GraphConnection } from '../../transport';
import { recordPersonHeld } from '../send';
import type { OperationModule } from '../node.type';
import {
	assertMetadata,
	CONVERSATION_CONTROL_SETUPS,
	customerIdProperty,
	metadataOption,
	threadControlRequest,
	type ControlAction,
} from './common';
import { assertCustomerId } from '../validation';

/**
 * Take, Request and Release differ only in the endpoint (each takes optional metadata: Conversation
 * Control APIs, Jun 21 2026): one definition builds each operation's UI properties and execute.
 */
export function controlOperation(
	action: Exclude<ControlAction, 'pass'>,
	operation: string,
): OperationModule & { description: INodeProperties[]; setups: readonly Flavour[] } {
	const properties: INodeProperties[] = [
		customerIdProperty,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [metadataOption],
		},
	];
	return {
		setups: CONVERSATION_CONTROL_SETUPS,
		description: updateDisplayOptions(
			{ show: { resource: ['conversationControl'], operation: [operation] } },
			properties,
		),
		async execute(
			this: IExecuteFunctions,
			itemIndex: number,
			connection: GraphConnection,
		): Promise<IDataObject> {
			const customerId = assertCustomerId(this, this.getNodeParameter('customerId', itemIndex), itemIndex);
			const body: IDataObject = { recipient: { id: customerId } };
			const { metadata } = this.getNodeParameter('options', itemIndex, {}) as { metadata?: string };
			const checked = assertMetadata(this, metadata, itemIndex);
			if (checked !== undefined) body.metadata = checked;
			const { success } = await threadControlRequest.call(this, itemIndex, connection, action, body);
			// Taking the thread back from a person: the next automated message discloses automation again.
			if (action === 'take' && success) await recordPersonHeld(this, connection, customerId);
			return { customerId, action, success };
		},
	};
}
