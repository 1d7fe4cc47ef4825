import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { graphRequest, serialize, type GraphConnection, type RateClass } from '../../transport';
import {
	disclosureSettings,
	disclosureStore,
	handBackEvent,
	planDisclosure,
	threadKey,
	type DisclosureSettings,
} from './disclosure';
import { giveBackClaims, ledgerReason, recordPersonHeld } from './disclosureLedger';
import { windowFields, type WindowFields } from './window';

export interface SendOptions {
	/** Whether the messaging window and tag policy apply (messages: yes; reactions, typing: no). */
	policy: boolean;
	rateClass?: RateClass;
	/**
	 * Runs once the policy allowed the send, in the recipient's queue, right before the request:
	 * returns the final body (e.g. after uploading a file and referencing its attachment id).
	 */
	prepare?: (request: IDataObject) => Promise<IDataObject>;
	/** Runs once the window policy allowed the send, before anything is sent; may refuse it by throwing. */
	checkWindow?: (window: WindowFields) => void;
}

function recipientKey(body: IDataObject): string {
	const recipient = (body.recipient ?? {}) as IDataObject;
	return String(recipient.id ?? recipient.comment_id ?? '');
}

/** Step 3: one Send API call; never repeated when Meta may have accepted it (`idempotent: false`). */
async function postMessage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
	payload: IDataObject,
	rateClass: RateClass,
): Promise<IDataObject> {
	return await graphRequest.call(ctx, connection, {
		method: 'POST',
		path: `/${connection.selfId}/messages`,
		body: payload,
		idempotent: false,
		rateClass,
		itemIndex,
	});
}

/**
 * Sends one request to the Send API, in steps: the window and HUMAN_AGENT policy (`window.ts`)
 * before anything is called; then, in the recipient's queue (`transport/serialize.ts`, so one
 * customer's messages keep their order and two items never both disclose), the disclosure
 * (`disclosure.ts`), the optional `prepare`, the call, and the record of who wrote to the thread.
 */
export async function sendToInstagram(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
	body: IDataObject,
	options: SendOptions,
): Promise<IDataObject> {
	const customerId = recipientKey(body);
	const window: WindowFields | undefined = options.policy
		? await windowFields(this, itemIndex, connection, customerId)
		: undefined;
	if (window && options.checkWindow) options.checkWindow(window);
	const request: IDataObject = { ...body };
	if (window) {
		request.messaging_type = window.messagingType;
		if (window.tag) request.tag = window.tag;
	}
	const settings: DisclosureSettings | undefined =
		window?.author === 'bot' ? disclosureSettings(this, itemIndex) : undefined;
	const rateClass = options.rateClass ?? 'send';
	const thread = threadKey(connection, customerId);

	const { response, disclosed } = await serialize(thread, async () => {
		const store = window ? disclosureStore(this) : undefined;
		const now = Date.now();
		const record = store?.get(thread) ?? {};
		const handBack = handBackEvent(this.getInputData()[itemIndex]?.json, customerId, this.getExecutionId());
		const claim = settings
			? await ledgerReason(this, { thread, record, handBack, now, lapseMs: settings.lapseMs })
			: undefined;
		const decided = settings ? claim?.reason : null;
		const plan = store
			? planDisclosure({ request, settings, record, handedBack: handBack !== undefined, now, decided })
			: { reason: null, payload: request };
		let disclosureSent = false;
		let sent: IDataObject | undefined;
		try {
			if ('notice' in plan && plan.notice) {
				await postMessage(this, itemIndex, connection, plan.notice, rateClass);
				disclosureSent = true;
				store?.recordBot(thread, now, true);
			}
			const payload = options.prepare ? await options.prepare(plan.payload) : plan.payload;
			sent = await postMessage(this, itemIndex, connection, payload, rateClass);
		} finally {
			// Not sent, nor its disclosure: the next message makes the disclosure this one claimed.
			if (sent === undefined && claim && !disclosureSent) await giveBackClaims(this, claim);
		}
		if (window?.author === 'bot') store?.recordBot(thread, Date.now(), plan.reason !== null);
		if (window?.author === 'human') await recordPersonHeld(this, connection, customerId);
		return { response: sent, disclosed: plan.reason };
	});

	const result: IDataObject = {
		recipientId: String(response.recipient_id ?? customerId),
		messageId: response.message_id === undefined ? null : String(response.message_id),
	};
	if (window) {
		result.writtenBy = window.author;
		result.tag = window.tag ?? null;
		if (settings) result.disclosed = disclosed;
	}
	return result;
}
