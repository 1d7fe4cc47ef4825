import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { edgeList, MESSAGES_WITH_DETAILS } from '../../events';
import { perProcessMap } from '../../processMemory';
import { graphRequest, pageData, type GraphConnection } from '../../transport';
import { assertTime } from '../validation';

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
		qs: {
			platform: 'instagram',
			user_id: customerId,
			fields: `messages.limit(${MESSAGES_WITH_DETAILS}){created_time,from}`,
		},
		rateClass: 'conversations',
		itemIndex,
	});
	const times = pageData(response)
		.flatMap((conversation) => edgeList(conversation.messages))
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
	if (explicit !== undefined && explicit !== '')
		return assertTime(
			this,
			explicit,
			itemIndex,
			'Customer Last Message Time',
			'Use an ISO date such as 2026-11-24T09:30:00Z or a timestamp in milliseconds.',
		);
	const json = this.getInputData()[itemIndex]?.json ?? {};
	const fromItem = fromTriggerItem(json, customerId);
	if (fromItem !== undefined) return fromItem;
	const key = `${this.getExecutionId()}|${connection.accountKey}|${customerId}`;
	return await cachedLookup(key, async () => await fromConversation(this, connection, customerId, itemIndex));
}
