import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest, type GraphConnection } from '../../transport';
import { quickRepliesOf, quickRepliesProperty } from '../message/common';
import { assertNumericId, assertTextFits, requiredTextParameter } from '../validation';

/**
 * Welcome message flows for Click-to-Direct ads (Welcome Message Flows, IGL, Jun 30 2026:
 * `/me/welcome_message_flows`; Messenger Platform, Mar 15 2026: `/{page-id}/welcome_message_flows`).
 * Only Instagram is offered as platform. A flow connected to an ad can be neither updated nor
 * deleted: the flow is read first, and such a change is refused with what to do instead.
 */
export const flowIdProperty: INodeProperties = {
	displayName: 'Flow ID',
	name: 'flowId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '1234567890123456',
	description: 'ID of the welcome flow, as Create or Get Many returns it',
};

export const flowMessageProperties: INodeProperties[] = [
	{
		displayName: 'Welcome Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'The first message a person gets after tapping the ad, at most 1000 UTF-8 bytes',
	},
	{
		...quickRepliesProperty,
		description:
			'Up to 13 choices under the welcome text (Meta requires at least one). The tap arrives at the Instagram Messaging Trigger as a message with the payload.',
	},
];

export function flowsPath(connection: GraphConnection): string {
	return `/${connection.selfId}/welcome_message_flows`;
}

/** The welcome message in Meta's form: one message with text and quick replies, each checked. */
export function welcomeMessageOf(ctx: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const text = requiredTextParameter(ctx, 'text', itemIndex, 'Welcome Text');
	assertTextFits(ctx, text, itemIndex);
	// Meta requires quick replies in a welcome message; Quick Replies asks for at least one.
	const quickReplies = quickRepliesOf(ctx, itemIndex);
	return [{ message: { text, quick_replies: quickReplies } }];
}

export function flowIdParameter(ctx: IExecuteFunctions, itemIndex: number): string {
	return assertNumericId(ctx, ctx.getNodeParameter('flowId', itemIndex) as string, itemIndex, 'Flow ID');
}

/** Meta's list is an array in its sample (`[{…}]`); a Graph `{ data: [...] }` is read too. */
export function flowsOf(response: unknown): IDataObject[] {
	if (Array.isArray(response)) return response as IDataObject[];
	const data = (response as IDataObject | undefined)?.data;
	if (Array.isArray(data)) return data as IDataObject[];
	return response !== null && typeof response === 'object' && 'id' in response
		? [response as IDataObject]
		: [];
}

export function simplifyFlow(flow: IDataObject): IDataObject {
	return {
		flowId: String(flow.id ?? ''),
		name: flow.name ?? null,
		welcomeMessage: flow.welcome_message ?? null,
		eligiblePlatforms: flow.eligible_platforms ?? null,
		lastUpdateTime: flow.last_update_time ?? null,
		isUsedInAd: flow.is_used_in_ad === true,
	};
}

/** `GET …/welcome_message_flows?flow_id=`: the flow, or an error that says how to find its ID. */
export async function readFlow(
	ctx: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
	flowId: string,
): Promise<IDataObject> {
	const response = await graphRequest.call(ctx, connection, {
		method: 'GET',
		path: flowsPath(connection),
		qs: { flow_id: flowId },
		itemIndex,
	});
	const [flow] = flowsOf(response);
	if (flow === undefined) {
		throw new NodeOperationError(ctx.getNode(), `No welcome flow with ID ${flowId}`, {
			itemIndex,
			description: 'Check the Flow ID with Welcome Flow → Get Many.',
		});
	}
	return flow;
}

/** The flow, read before a change; refused when an ad uses it (Meta: it "cannot be updated"). */
export async function assertChangeable(
	ctx: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
	flowId: string,
	change: 'update' | 'delete',
): Promise<void> {
	const flow = await readFlow(ctx, itemIndex, connection, flowId);
	if (flow.is_used_in_ad !== true) return;
	throw new NodeOperationError(
		ctx.getNode(),
		`The welcome flow is used in an ad: Meta does not allow you to ${change} it`,
		{
			itemIndex,
			description:
				change === 'update'
					? 'Create a new flow with the changes and choose it in the ad (Ads Manager → Message template → Partner App), then delete the old one once no ad uses it.'
					: 'Remove the flow from the ad first (Ads Manager → Message template), then delete it.',
		},
	);
}
