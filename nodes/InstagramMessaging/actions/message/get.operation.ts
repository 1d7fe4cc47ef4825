import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { graphRequest, type GraphConnection } from '../../transport';
import { assertPresent } from '../validation';
import { messageIdProperty } from './common';

/** Message fields Meta documents for Instagram (instagram-api.md §4.2). */
export const MESSAGE_FIELDS =
	'id,created_time,from,to,message,attachments,shares,story,reactions,is_unsupported';

const properties: INodeProperties[] = [
	{
		...messageIdProperty,
		description:
			'ID of the message, for example the mid field of the Instagram Messaging Trigger or the messageId of a send. Meta returns details only for the 20 most recent messages of a conversation.',
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['get'] } },
	properties,
);

function listOf(value: unknown): IDataObject[] {
	const data = (value as IDataObject | undefined)?.data;
	return Array.isArray(data) ? (data as IDataObject[]) : [];
}

/** A flat message: ids and usernames lifted out of Meta's nested `from` / `to` / `data` objects. */
export function simplifyMessage(raw: IDataObject): IDataObject {
	const from = (raw.from ?? {}) as IDataObject;
	const to = listOf(raw.to)[0] ?? {};
	return {
		id: String(raw.id ?? ''),
		createdTime: raw.created_time ?? null,
		fromId: from.id === undefined ? null : String(from.id),
		fromUsername: from.username ?? null,
		toId: to.id === undefined ? null : String(to.id),
		toUsername: to.username ?? null,
		text: typeof raw.message === 'string' && raw.message !== '' ? raw.message : null,
		attachments: listOf(raw.attachments),
		shares: listOf(raw.shares),
		story: raw.story ?? null,
		reactions: listOf(raw.reactions),
		isUnsupported: raw.is_unsupported === true,
	};
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const messageId = assertPresent(
		this,
		this.getNodeParameter('messageId', itemIndex) as string,
		itemIndex,
		'Message ID',
	);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const raw = await graphRequest.call(this, connection, {
		method: 'GET',
		path: `/${encodeURIComponent(messageId)}`,
		qs: { fields: MESSAGE_FIELDS },
		rateClass: 'conversations',
		itemIndex,
	});
	return simplify ? simplifyMessage(raw) : raw;
}
