import type { IDataObject } from 'n8n-workflow';

import { withoutWaitReferences } from '../waits/reference';
import type { InstagramEvent } from './types';

export type ItemOptions = {
	/** Keep the original messaging item / change object under `raw`. */
	includeRaw: boolean;
};

/**
 * Every field but `raw`, in a stable order. Written out (the return type makes the compiler list
 * every field) because `const { raw, ...fields } = event` costs 25 times more per event in V8
 * (`npm run bench`, P1). A new optional field of InstagramEvent must be added here too.
 */
function itemFields(e: InstagramEvent): Omit<InstagramEvent, 'raw'> {
	return {
		eventType: e.eventType,
		messageKind: e.messageKind,
		accountId: e.accountId,
		senderId: e.senderId,
		recipientId: e.recipientId,
		customerId: e.customerId,
		timestamp: e.timestamp,
		timestampMs: e.timestampMs,
		mid: e.mid,
		text: e.text,
		attachments: e.attachments,
		replyTo: e.replyTo,
		quickReplyPayload: e.quickReplyPayload,
		postback: e.postback,
		reaction: e.reaction,
		referral: e.referral,
		edit: e.edit,
		comment: e.comment,
		handover: e.handover,
		optin: e.optin,
		policyEnforcement: e.policyEnforcement,
		entryPoint: e.entryPoint,
		isEcho: e.isEcho,
		isSelf: e.isSelf,
		isStandby: e.isStandby,
		isTest: e.isTest,
		source: e.source,
		windowExpiresAt: e.windowExpiresAt,
		humanAgentWindowExpiresAt: e.humanAgentWindowExpiresAt,
		dedupKey: e.dedupKey,
	};
}

/** The n8n item JSON for an event: every field, in a stable order; `raw` only when asked for. */
export function toItemJson(event: InstagramEvent, options: ItemOptions): IDataObject {
	const fields: IDataObject = itemFields(event);
	if (options.includeRaw) fields.raw = event.raw;
	// A Send and Wait reference never reaches a workflow: not in a tap, not in the echo of a question.
	return withoutWaitReferences(fields);
}
