import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { decideWindow, type Author, type MessagingType } from '../../policy/window';
import type { GraphConnection } from '../../transport';
import { HUMAN_AGENT_WINDOW_MS, STANDARD_WINDOW_MS } from '../../transport/constants';
import { lastCustomerMessageAt } from './lastCustomerMessage';

/** What the window step adds to a message send: who wrote it, and Meta's messaging type and tag. */
export interface WindowFields {
	author: Author;
	messagingType: string;
	tag?: string;
	/**
	 * When Meta's window for this message closes (ms): 24 h after the customer's last message, or
	 * 7 days for a person's HUMAN_AGENT reply. Unknown when the last message time is unknown.
	 */
	closesAt?: number;
}

/**
 * Step 1 of a send: the 24 h / 7 day window and the HUMAN_AGENT rule (`policy/window.ts`) for this
 * item's "Written By" and window options. Refuses the send before anything is called.
 */
export async function windowFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
	customerId: string,
): Promise<WindowFields> {
	const author = ctx.getNodeParameter('writtenBy', itemIndex, 'bot') as Author;
	const options = ctx.getNodeParameter('windowOptions', itemIndex, {}) as {
		messagingType?: MessagingType;
		lastCustomerMessageAt?: string | number;
	};
	const last = await lastCustomerMessageAt.call(
		ctx,
		itemIndex,
		connection,
		customerId,
		options.lastCustomerMessageAt,
	);
	const decision = decideWindow({
		author,
		messagingType: options.messagingType ?? 'RESPONSE',
		lastCustomerMessageAt: last?.at,
		standardWindowMs: last?.standardWindowMs,
		now: Date.now(),
	});
	if (!decision.allowed) {
		throw new NodeOperationError(ctx.getNode(), decision.message, {
			itemIndex,
			description: decision.description,
		});
	}
	const fields: WindowFields = { author, messagingType: decision.messagingType };
	if (decision.tag) fields.tag = decision.tag;
	if (last !== undefined) {
		const standard = author === 'bot' ? last.standardWindowMs : STANDARD_WINDOW_MS;
		fields.closesAt = last.at + (decision.tag ? HUMAN_AGENT_WINDOW_MS : standard);
	}
	return fields;
}
