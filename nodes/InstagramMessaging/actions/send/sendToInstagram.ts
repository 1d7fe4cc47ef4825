import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { graphRequest, serialize, type GraphConnection, type RateClass } from '../../transport';
import { disclosureSettings, disclosureStore, handBackEvent, planDisclosure, threadKey } from './disclosure';
import { giveBackClaims, ledgerReason, recordPersonHeld } from './disclosureLedger';
import { windowFields, type WindowFields } from './window';

export interface SendOptions {
	/** Whether the messaging window and tag policy apply (messages: yes; reactions, typing: no). */
	policy: boolean;
	/**
	 * A private reply to a comment: Meta's 7-day rule applies instead of the messaging window, and a
	 * bot's reply carries the disclosure in its text (a second message to one comment is refused).
	 * The commenter, when known, keys the disclosure with their conversation.
	 */
	privateReply?: { commenterId?: string };
	rateClass?: RateClass;
	/**
	 * Runs first in the recipient's queue, before the policy and any call: checks and reads what
	 * the send needs (a binary file), so that a slow item keeps its place in the customer's order.
	 */
	validate?: () => Promise<void>;
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
 * Sends one request to the Send API, in the recipient's queue (`transport/serialize.ts`: one
 * customer's messages keep their item order whatever each needs first, and two items never both
 * disclose), in steps: the operation's own checks (`validate`), the window and HUMAN_AGENT policy
 * (`window.ts`) before anything is sent, the disclosure (`disclosure.ts`), the optional `prepare`,
 * the call, and the record of who wrote to the thread.
 */
export async function sendToInstagram(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
	body: IDataObject,
	options: SendOptions,
): Promise<IDataObject> {
	const customerId = options.privateReply?.commenterId || recipientKey(body);
	const rateClass = options.rateClass ?? 'send';
	const thread = threadKey(connection, customerId);

	const sent = await serialize(thread, async () => {
		await options.validate?.();
		const window: WindowFields | undefined = options.policy
			? await windowFields(this, itemIndex, connection, customerId)
			: undefined;
		if (window && options.checkWindow) options.checkWindow(window);
		const request: IDataObject = { ...body };
		if (window) {
			request.messaging_type = window.messagingType;
			if (window.tag) request.tag = window.tag;
		}
		const byBot = window?.author === 'bot' || options.privateReply !== undefined;
		const chosen = byBot ? disclosureSettings(this, itemIndex) : undefined;
		const settings = chosen && options.privateReply ? { ...chosen, separate: false } : chosen;
		const store = window || options.privateReply ? disclosureStore(this) : undefined;
		// A private reply whose commenter is unknown discloses without a record: none is kept for a comment.
		const tracked = options.privateReply && !options.privateReply.commenterId ? undefined : store;
		const now = Date.now();
		const record = tracked?.get(thread) ?? {};
		const handBack = handBackEvent(this.getInputData()[itemIndex]?.json, customerId, this.getExecutionId());
		const claim =
			settings && tracked
				? await ledgerReason(this, { thread, record, handBack, now, lapseMs: settings.lapseMs })
				: undefined;
		const decided = settings ? claim?.reason : null;
		const plan = store
			? planDisclosure({ request, settings, record, handedBack: handBack !== undefined, now, decided })
			: { reason: null, payload: request };
		let disclosureSent = false;
		let response: IDataObject | undefined;
		try {
			if ('notice' in plan && plan.notice) {
				if (options.privateReply) throw privateReplyTooLong(this, itemIndex);
				await postMessage(this, itemIndex, connection, plan.notice, rateClass);
				disclosureSent = true;
				tracked?.recordBot(thread, now, true);
			}
			const payload = options.prepare ? await options.prepare(plan.payload) : plan.payload;
			response = await postMessage(this, itemIndex, connection, payload, rateClass);
		} finally {
			// Not sent, nor its disclosure: the next message makes the disclosure this one claimed.
			if (response === undefined && claim && !disclosureSent) await giveBackClaims(this, claim);
		}
		if (byBot) tracked?.recordBot(thread, Date.now(), plan.reason !== null);
		if (window?.author === 'human') await recordPersonHeld(this, connection, customerId);
		return { response, disclosed: plan.reason, window, settings };
	});

	const { response, window, settings } = sent;
	const result: IDataObject = {
		recipientId: String(response.recipient_id ?? customerId),
		messageId: response.message_id === undefined ? null : String(response.message_id),
	};
	if (window) {
		result.writtenBy = window.author;
		result.tag = window.tag ?? null;
	}
	if (settings) result.disclosed = sent.disclosed;
	return result;
}

/** A private reply is one message: the disclosure must fit in its text. */
function privateReplyTooLong(ctx: IExecuteFunctions, itemIndex: number): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		'The private reply and the disclosure together are over 1000 bytes',
		{
			itemIndex,
			description:
				'Instagram takes one private reply per comment, so the disclosure goes into its text. Shorten the text (or the Disclosure Text) by the length of the disclosure.',
		},
	);
}
