import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	DEFAULT_DISCLOSURE_LAPSE_HOURS,
	DEFAULT_DISCLOSURE_TEXT,
	DisclosureStore,
	disclosureReason,
	withDisclosure,
	type DisclosureReason,
	type ThreadDisclosure,
} from '../../policy/disclosure';
import { INSTAGRAM_INBOX_APP_ID, MAX_TEXT_BYTES } from '../../transport/constants';
import type { GraphConnection } from '../../transport';
import { utf8Bytes } from '../validation';

export interface DisclosureSettings {
	text: string;
	lapseMs: number;
	separate: boolean;
}

/** The item's "Disclose Automation" settings, or undefined when it is off (or its text is empty). */
export function disclosureSettings(
	ctx: IExecuteFunctions,
	itemIndex: number,
): DisclosureSettings | undefined {
	if (!(ctx.getNodeParameter('discloseAutomation', itemIndex, false) as boolean)) return undefined;
	const options = ctx.getNodeParameter('disclosureOptions', itemIndex, {}) as {
		text?: string;
		lapseHours?: number;
		separate?: boolean;
	};
	const text = (options.text ?? DEFAULT_DISCLOSURE_TEXT).trim();
	if (text === '') return undefined;
	return {
		text,
		lapseMs: (options.lapseHours ?? DEFAULT_DISCLOSURE_LAPSE_HOURS) * 3_600_000,
		separate: options.separate === true,
	};
}

/** The per-conversation record behind the disclosure rule, in the workflow's static data. */
export function disclosureStore(ctx: IExecuteFunctions): DisclosureStore {
	return DisclosureStore.in(ctx.getWorkflowStaticData('global'));
}

export function threadKey(connection: GraphConnection, customerId: string): string {
	return `${connection.accountKey}|${customerId}`;
}

/**
 * A handover event from the trigger that gives the thread back (a person passed it or this app
 * took it), or the output of Take Control, proves on its own that a person held the
 * conversation: no stored state needed. Returns a key for that event, or undefined.
 */
export function handBackEvent(
	json: IDataObject | undefined,
	customerId: string,
	executionId: string,
): string | undefined {
	if (!json || String(json.customerId ?? '') !== customerId) return undefined;
	const at = String(json.timestampMs ?? '');
	if (json.eventType === 'handover_take') return `take:${at}`;
	// The output of Conversation Control → Take Control.
	if (json.action === 'take' && json.success === true) return `takeControl:${executionId}`;
	if (json.eventType !== 'handover_pass') return undefined;
	const handover = (json.handover ?? {}) as IDataObject;
	return String(handover.newOwnerAppId ?? '') === INSTAGRAM_INBOX_APP_ID ? undefined : `pass:${at}`;
}

export interface DisclosurePlan {
	reason: DisclosureReason | null;
	/** The message to send, with the disclosure put before its text when it fits. */
	payload: IDataObject;
	/** A separate disclosure message to send first, when it does not go into the text. */
	notice?: IDataObject;
}

/**
 * Step 2 of a bot send, pure: whether this message must disclose automation and how — before
 * the text when it fits in Instagram's 1000 bytes, else (or when asked) as a message of its own.
 */
export function planDisclosure(input: {
	request: IDataObject;
	settings: DisclosureSettings | undefined;
	record: ThreadDisclosure;
	handedBack: boolean;
	now: number;
	/** The decision of the ledger shared by every n8n process (`disclosureLedger.ts`), when it is there. */
	decided?: DisclosureReason | null;
}): DisclosurePlan {
	const { request, settings } = input;
	if (!settings) return { reason: null, payload: request };
	const reason =
		input.decided !== undefined
			? input.decided
			: input.handedBack
				? 'afterHuman'
				: disclosureReason(input.record, input.now, settings.lapseMs);
	if (!reason) return { reason: null, payload: request };
	const message = (request.message ?? {}) as IDataObject;
	const combined = typeof message.text === 'string' ? withDisclosure(message.text, settings.text) : undefined;
	if (!settings.separate && combined !== undefined && utf8Bytes(combined) <= MAX_TEXT_BYTES) {
		return { reason, payload: { ...request, message: { ...message, text: combined } } };
	}
	const notice = {
		recipient: request.recipient,
		messaging_type: request.messaging_type,
		message: { text: settings.text },
	};
	return { reason, payload: request, notice };
}
