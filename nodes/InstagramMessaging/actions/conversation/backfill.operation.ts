import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	fromConversationMessage,
	MESSAGE_FIELDS,
	MESSAGES_WITH_DETAILS,
	messagesWithDetails,
	toItemJson,
	type InstagramEvent,
} from '../../events';
import { graphRequest, nextCursor, pageData, type GraphConnection } from '../../transport';
import { businessAccountId } from '../businessAccount';
import { CONVERSATION_FIELDS, customerIdFilterOption, customerOf, messagesExpansion } from './common';
import { assertCustomerId, assertTime } from '../validation';

/** Conversations per page, each with its newest messages expanded in the same call. */
const CONVERSATIONS_PER_PAGE = 25;
/** Newest messages expanded per conversation (Meta details the 20 most recent, instagram-api.md §4.2). */
const EXPANDED_MESSAGES = 20;
/** Messages per follow-up page for a conversation with more messages since the given time. */
const MESSAGES_PER_PAGE = 50;

const properties: INodeProperties[] = [
	{
		displayName: 'Since',
		name: 'since',
		type: 'dateTime',
		default: '',
		required: true,
		description:
			'Emit every message sent or received from this time on, across all conversations updated since then',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			customerIdFilterOption,
			{
				displayName: 'Include Echoes',
				name: 'includeEchoes',
				type: 'boolean',
				default: true,
				description:
					'Whether to include the messages the business sent (event type "echo") besides the customers\' messages',
			},
			{
				displayName: 'Include Raw',
				name: 'includeRaw',
				type: 'boolean',
				default: false,
				description: 'Whether to keep the message exactly as the Conversations API returned it under "raw"',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['backfill'] } },
	properties,
);

function timeOf(value: unknown): number {
	const ms = Date.parse(String(value ?? ''));
	return Number.isFinite(ms) ? ms : Number.NaN;
}

function sinceParameter(ctx: IExecuteFunctions, itemIndex: number): number {
	return assertTime(
		ctx,
		ctx.getNodeParameter('since', itemIndex, '') as unknown,
		itemIndex,
		'Since',
		'Use a date and time such as 2026-11-20T00:00:00Z, or an expression like {{ $now.minus(1, "day") }}.',
	);
}

/**
 * Every message since a time, across conversations, as the trigger's items (same `eventType`,
 * `customerId`, `mid`, `dedupKey`), oldest first. Calls are kept few: each page of conversations
 * carries its newest messages (`messages.limit(20){…}`); only conversations with more messages since
 * that time are paged further. All calls count against the 2/s Conversations API limit.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject[]> {
	const sinceMs = sinceParameter(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		customerId?: string;
		includeEchoes?: boolean;
		includeRaw?: boolean;
	};
	const includeEchoes = options.includeEchoes !== false;
	const accountId = await businessAccountId.call(this, connection, itemIndex);

	const qs: IDataObject = {
		platform: 'instagram',
		fields: `${CONVERSATION_FIELDS},${messagesExpansion(EXPANDED_MESSAGES)}`,
		limit: CONVERSATIONS_PER_PAGE,
	};
	if (options.customerId !== undefined && String(options.customerId).trim() !== '') {
		qs.user_id = assertCustomerId(this, options.customerId, itemIndex);
	}

	const events: InstagramEvent[] = [];
	const seen = new Set<string>();
	let beyondDetails = 0;
	/**
	 * Takes a newest-first page starting at `offset`; returns whether Meta's 20 detailed messages
	 * are used up (nothing older can be read).
	 */
	const collect = (listed: IDataObject[], customerId: string | null, offset: number): boolean => {
		const { messages, exhausted } = messagesWithDetails(listed, offset);
		// Meta lists messages newest first; reversed, ties in the sort below stay in sent order.
		for (const message of [...messages].reverse()) {
			const event = fromConversationMessage(message, { accountId, customerId });
			if (event === null || event.timestampMs < sinceMs || seen.has(event.dedupKey)) continue;
			if (event.eventType === 'echo' && !includeEchoes) continue;
			seen.add(event.dedupKey);
			events.push(event);
		}
		return exhausted;
	};
	const reachesSince = (messages: IDataObject[]) =>
		messages.every((m) => !(timeOf(m.created_time) < sinceMs));

	let after: string | undefined;
	do {
		const page = await graphRequest.call(this, connection, {
			method: 'GET',
			path: `/${connection.selfId}/conversations`,
			qs: { ...qs, ...(after ? { after } : {}) },
			rateClass: 'conversations',
			itemIndex,
		});
		const conversations = pageData(page);
		let reachedOlder = false;
		for (const conversation of conversations) {
			const updated = timeOf(conversation.updated_time);
			if (updated < sinceMs) {
				// Conversations come newest activity first: the rest of the list is older too.
				reachedOlder = true;
				continue;
			}
			const customerId = (customerOf(conversation, accountId)?.id as string | undefined) ?? null;
			let messages = pageData(conversation.messages);
			let cursor = nextCursor(conversation.messages);
			let read = messages.length;
			let exhausted = collect(messages, customerId, 0);
			while (!exhausted && cursor && messages.length > 0 && reachesSince(messages)) {
				const more = await graphRequest.call(this, connection, {
					method: 'GET',
					path: `/${encodeURIComponent(String(conversation.id))}/messages`,
					qs: { fields: MESSAGE_FIELDS, limit: MESSAGES_PER_PAGE, after: cursor },
					rateClass: 'conversations',
					itemIndex,
				});
				messages = pageData(more);
				cursor = nextCursor(more);
				exhausted = collect(messages, customerId, read);
				read += messages.length;
			}
			// Messages since `since` that Meta does not detail (older than the conversation's 20 newest).
			if (exhausted && cursor && reachesSince(messages)) beyondDetails += 1;
		}
		after = reachedOlder || conversations.length === 0 ? undefined : nextCursor(page);
	} while (after);

	if (beyondDetails > 0) {
		this.logger.warn(
			`Instagram Messaging Backfill: ${beyondDetails} conversation(s) have messages since the given time older than their ${MESSAGES_WITH_DETAILS} most recent ones; Meta does not return those messages' details, so they are not in the output`,
		);
	}
	events.sort((a, b) => a.timestampMs - b.timestampMs);
	return events.map((event) => toItemJson(event, { includeRaw: options.includeRaw === true }));
}
