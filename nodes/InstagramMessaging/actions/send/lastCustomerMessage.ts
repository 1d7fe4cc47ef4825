import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { edgeList, MESSAGES_WITH_DETAILS } from '../../events';
import { perProcessMap } from '../../processMemory';
import {
	AD_WINDOW_MS,
	graphRequest,
	pageData,
	STANDARD_WINDOW_MS,
	type GraphConnection,
} from '../../transport';
import { assertTime } from '../validation';

/** When the customer last wrote, and how long the standard window that message opened lasts. */
export interface LastCustomerMessage {
	at: number;
	standardWindowMs: number;
}

/**
 * The trigger's item for an inbound customer event carries the time the window opened; the first
 * message after a Click-to-Direct ad (`entryPoint.type` "ad") keeps it open for up to 7 days.
 */
function fromTriggerItem(json: IDataObject, customerId: string): LastCustomerMessage | undefined {
	const opensWindow = typeof json.windowExpiresAt === 'string';
	const sameCustomer = String(json.customerId ?? '') === customerId;
	if (!opensWindow || !sameCustomer || typeof json.timestampMs !== 'number') return undefined;
	const entry = json.entryPoint as IDataObject | null | undefined;
	const afterAd = json.eventType === 'message' && entry?.type === 'ad';
	return { at: json.timestampMs, standardWindowMs: afterAd ? AD_WINDOW_MS : STANDARD_WINDOW_MS };
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
): Promise<LastCustomerMessage | undefined> {
	if (explicit !== undefined && explicit !== '') {
		const at = assertTime(
			this,
			explicit,
			itemIndex,
			'Customer Last Message Time',
			'Use an ISO date such as 2026-11-24T09:30:00Z or a timestamp in milliseconds.',
		);
		return { at, standardWindowMs: STANDARD_WINDOW_MS };
	}
	const json = this.getInputData()[itemIndex]?.json ?? {};
	const fromItem = fromTriggerItem(json, customerId);
	if (fromItem !== undefined) return fromItem;
	const key = `${this.getExecutionId()}|${connection.accountKey}|${customerId}`;
	// Meta's conversation does not say whether it began with an ad: the 24-hour rule applies.
	const at = await cachedLookup(
		key,
		async () => await fromConversation(this, connection, customerId, itemIndex),
	);
	return at === undefined ? undefined : { at, standardWindowMs: STANDARD_WINDOW_MS };
}
