import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest, type Flavour, type GraphConnection } from '../../transport';

/** Meta limits the handover metadata string to 1000 characters. */
export const MAX_METADATA_CHARS = 1000;

export const customerIdProperty: INodeProperties = {
	displayName: 'Customer ID',
	name: 'customerId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '1111111111111111',
	description:
		'Instagram-scoped ID (IGSID) of the customer whose conversation this is, not the username. For example the customerId field of the Instagram Messaging Trigger.',
};

export const metadataOption: INodeProperties = {
	displayName: 'Metadata',
	name: 'metadata',
	type: 'string',
	default: '',
	description:
		'Short note for the app that receives the conversation, for example the reason for the handover (at most 1000 characters). Do not put personal or sensitive data here: other apps connected to the account can read it.',
};

export function assertMetadata(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
): string | undefined {
	const metadata = String(value ?? '');
	if (metadata === '') return undefined;
	if (metadata.length > MAX_METADATA_CHARS) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Metadata is too long: ${metadata.length} characters, Meta accepts at most ${MAX_METADATA_CHARS}`,
			{
				itemIndex,
				description: 'Shorten the metadata: it is meant for a short reason such as "escalated by bot".',
			},
		);
	}
	return metadata;
}

export function assertAppId(
	ctx: IExecuteFunctions,
	value: unknown,
	field: string,
	itemIndex: number,
): string {
	const id = String(value ?? '').trim();
	if (!/^\d+$/.test(id)) {
		throw new NodeOperationError(ctx.getNode(), `${field} "${id}" is not a Meta app ID`, {
			itemIndex,
			description:
				'Use the numeric ID of the Meta app to hand the conversation to (Meta App Dashboard → App settings → Basic), for example 1217981644879628 for the Instagram Inbox.',
		});
	}
	return id;
}

/**
 * Conversation Routing needs an Instagram account linked to a Facebook Page; Meta documents its
 * endpoints on graph.facebook.com with a Page token only ("Conversation Control APIs", Jul 2026).
 */
export const CONVERSATION_CONTROL_SETUPS: readonly Flavour[] = ['facebookPage'];

export type ControlAction = 'pass' | 'take' | 'release' | 'request';

const ENDPOINT: Record<ControlAction, string> = {
	pass: 'pass_thread_control',
	take: 'take_thread_control',
	release: 'release_thread_control',
	request: 'request_thread_control',
};

/**
 * One Conversation Control (handover) call: `POST /{self}/<action>_thread_control`
 * on the Page. Meta documents the answer `{ success: true }`; its Graph edges also answer
 * `"true"` as a string elsewhere, so both count.
 */
export async function threadControlRequest(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
	action: ControlAction,
	body: IDataObject,
): Promise<IDataObject> {
	const response = await graphRequest.call(this, connection, {
		method: 'POST',
		path: `/${connection.selfId}/${ENDPOINT[action]}`,
		body,
		// Like a send: repeated only when Meta certainly did not act (a lost answer to a pass
		// followed by a retry would otherwise fail with "another app controls this thread").
		idempotent: false,
		uncertainOutcome: 'The change of thread control may have happened',
		itemIndex,
	});
	return { success: response.success === true || response.success === 'true' };
}
