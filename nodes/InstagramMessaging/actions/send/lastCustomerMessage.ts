import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { perProcessMap } from '../../processMemory';
import { graphRequest, type GraphConnection } from '../../transport';

function parseTime(ctx: IExecuteFunctions, value: string | number, itemIndex: number): number {
	const ms = typeof value === 'number' || /^\d+$/.test(value) ? Number(value) : Date.parse(value);
	if (!Number.isFinite(ms)) {
		throw new NodeOperationError(ctx.getNode(), `Customer Last Message Time "${value}" is not a date`, {
			itemIndex,
			description: 'Use an ISO date such as 2026-11-24T09:30:00Z or a timestamp in milliseconds.',
		});
	}
	return ms;
}

/** The trigger's item for an inbound customer event carries the time the window opened. */
function fromTriggerItem(json: IDataObject, customerId: string): number | undefined {
	const opensWindow = typeof json.windowExpiresAt === 'string';
	const sameCustomer = String(json.customerId ?? '') === customerId;
	return opensWindow && sameCustomer && typeof json.timestampMs === 'number' ? json.timestampMs : undefined;
}

/**
 * Newest message the customer wrote in the conversation, from Meta's Conversations API
 * (instagram-api.md §4.1–4.2). Undefined when there is no conversation with this person.
 */
async function fromConversation(
	ctx: IExecuteFunctions,
	connection: GraphConnection,
	customerId: string,
	itemIndex: number,
): Promise<number | undefined> {
	const response = await graphRequest.call(ctx, connection, {
		method: 'GET',
		path: `/${connection.selfId}/conversations`,
		qs: { platform: 'instagram', user_id: customerId, fields: 'messages.limit(20){created_time,from}' },
		rateClass: 'conversations',
		itemIndex,
	});
	const conversations = (response.data ?? []) as IDataObject[];
	const times = conversations
		.flatMap((c) => ((c.messages as IDataObject | undefined)?.data ?? []) as IDataObject[])
		.filter((m) => String((m.from as IDataObject | undefined)?.id ?? '') === customerId)
		.map((m) => Date.parse(String(m.created_time)))
		.filter(Number.isFinite);
	return times.length ? Math.max(...times) : undefined;
}

const lookups = perProcessMap<string, Promise<number | undefined>>('customerLastMessage', 5_000);

/** One lookup per customer and execution: many items to one customer cost one Conversations call. */
function cachedLookup(key: string, lookup: () => Promise<number | undefined>): Promise<number | undefined> {
	let pending = lookups.get(key);
	if (!pending) {
		pending = lookup();
		lookups.set(key, pending);
		pending.catch(() => lookups.delete(key));
	}
	return pending;
}

/**
 * When the customer last wrote, from (1) the explicit option, (2) the incoming trigger item, or
 * (3) the conversation on Instagram — in that order.
 */
export async function lastCustomerMessageAt(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
	customerId: string,
	explicit: string | number | undefined,
): Promise<number | undefined> {
	if (explicit !== undefined && explicit !== '') return parseTime(this, explicit, itemIndex);
	const json = this.getInputData()[itemIndex]?.json ?? {};
	const fromItem = fromTriggerItem(json, customerId);
	if (fromItem !== undefined) return fromItem;
	const key = `${this.getExecutionId()}|${connection.accountKey}|${customerId}`;
	return await cachedLookup(key, async () => await fromConversation(this, connection, customerId, itemIndex));
}
