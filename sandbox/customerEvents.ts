/** What a customer does in the Instagram app: DMs and button taps, recorded and sent as webhooks. */
import type { SandboxClock } from './clock';
import { SANDBOX_DEFAULTS } from './defaults';
import { newMid } from './ids';
import type { CustomerSaysOptions, CustomerSaysResult, CustomerTapsButtonOptions } from './sandboxOptions';
import type { SandboxState } from './state';
import type { Deliver } from './webhooks/background';
import { postbackEvent, textMessageEvent } from './webhooks/payloads';
import type { MessagingEvent } from './webhooks/payloads';
import { envelopeByOwnership } from './webhooks/standby';

export interface CustomerServices {
	state: SandboxState;
	clock: SandboxClock;
	deliver: Deliver;
}

/**
 * A customer DMs the business: records the inbound message (opening the window), builds the
 * `messages` webhook and delivers it (unless `deliver: false`).
 */
export async function customerSays(
	services: CustomerServices,
	opts: CustomerSaysOptions,
): Promise<CustomerSaysResult> {
	const { state, clock } = services;
	const account = state.account(opts.account ?? 'instagram');
	const from = opts.from ?? SANDBOX_DEFAULTS.customer.id;
	const at = opts.at ?? clock.now();
	const event = textMessageEvent({
		accountId: account.igUserId,
		customerId: from,
		text: opts.text,
		mid: opts.mid,
		timestamp: at,
	});
	if (opts.quickReplyPayload !== undefined && event.message)
		event.message.quick_reply = { payload: opts.quickReplyPayload };
	const mid = event.message?.mid ?? newMid();
	state.recordInbound(account.igUserId, from, { mid, at, text: opts.text });
	return deliverCustomerEvent(services, account.igUserId, from, event, at, opts);
}

/** A customer taps a postback button of a template (or an ice breaker): a `messaging_postbacks` webhook. */
export async function customerTapsButton(
	services: CustomerServices,
	opts: CustomerTapsButtonOptions,
): Promise<CustomerSaysResult> {
	const { state, clock } = services;
	const account = state.account(opts.account ?? 'instagram');
	const from = opts.from ?? SANDBOX_DEFAULTS.customer.id;
	const at = clock.now();
	const event = postbackEvent({
		accountId: account.igUserId,
		customerId: from,
		title: opts.title,
		payload: opts.payload,
		timestamp: at,
	});
	// A postback opens the 24-hour window like a message (§2.4); the thread shows the title.
	state.recordInbound(account.igUserId, from, {
		mid: event.postback?.mid ?? newMid(),
		at,
		text: opts.title,
	});
	return deliverCustomerEvent(services, account.igUserId, from, event, at, { callbackUrl: opts.callbackUrl });
}

async function deliverCustomerEvent(
	{ state, clock, deliver }: CustomerServices,
	accountId: string,
	from: string,
	event: MessagingEvent,
	at: number,
	opts: Pick<CustomerSaysOptions, 'deliver' | 'signature' | 'callbackUrl'>,
): Promise<CustomerSaysResult> {
	const account = state.account(accountId);
	// Under standby[] while another app (e.g. the Instagram Inbox) holds the thread (§2.7.16).
	const payload = envelopeByOwnership(state.threads, account, from, [event], Math.max(at, clock.now()));
	if (opts.deliver === false) return { event, payload };
	const delivery = await deliver(payload, {
		account: account.igUserId,
		signature: opts.signature,
		callbackUrl: opts.callbackUrl,
	});
	return { event, payload, delivery };
}
