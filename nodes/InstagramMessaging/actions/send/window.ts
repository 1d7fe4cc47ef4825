import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { decideWindow, type Author, type MessagingType } from '../../policy/window';
import type { GraphConnection } from '../../transport';
import { lastCustomerMessageAt } from './lastCustomerMessage';

/** What the window step adds to a message send: who wrote it, and Meta's messaging type and tag. */
export interface WindowFields {
	author: Author;
	messagingType: string;
	tag?: string;
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
	const decision = decideWindow({
		author,
		messagingType: options.messagingType ?? 'RESPONSE',
		lastCustomerMessageAt: await lastCustomerMessageAt.call(
			ctx,
			itemIndex,
			connection,
			customerId,
			options.lastCustomerMessageAt,
		),
		now: Date.now(),
	});
	if (!decision.allowed) {
		throw new NodeOperationError(ctx.getNode(), decision.message, {
			itemIndex,
			description: decision.description,
		});
	}
	return { author, messagingType: decision.messagingType, ...(decision.tag && { tag: decision.tag }) };
}
