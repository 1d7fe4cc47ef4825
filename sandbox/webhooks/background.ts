/**
 * Webhooks Meta sends on its own after answering a request: echoes of accepted sends and
 * handover events when a thread changes owner. Sent on the next tick; `flush()` waits for them.
 */
import { isJsonObject, optString } from '../http';
import type { DeliverOptions } from '../sandboxOptions';
import { appIdOf } from '../state/accountApps';
import type { SandboxState } from '../state';
import type { DeliveryResult, SentRecord } from '../recordTypes';
import type { HandoverEvent, ThreadChange } from './handover';
import { echoEvent, envelopeFor } from './payloads';
import type { WebhookAttachment } from './payloads';

export type Deliver = (payload: object | string, opts: DeliverOptions) => Promise<DeliveryResult>;

export class BackgroundWebhooks {
	private readonly pending = new Set<Promise<unknown>>();

	constructor(
		private readonly state: SandboxState,
		private readonly deliver: Deliver,
	) {}

	/** A `pass_thread_control` / `take_thread_control` / `request_thread_control` webhook. */
	handover(change: ThreadChange, event: HandoverEvent): void {
		if (!this.state.webhook(change.accountId)) return;
		if (event.request_thread_control && change.byAppId === appIdOf(this.state.account(change.accountId)))
			return;
		this.later(() => this.deliver(envelopeFor(change.accountId, [event]), { account: change.accountId }));
	}

	/** The `is_echo` webhook of an accepted send. */
	echo(record: SentRecord, mid: string): void {
		if (!this.state.webhook(record.accountId)) return;
		const message = isJsonObject(record.body.message) ? record.body.message : {};
		const attachments: WebhookAttachment[] = [];
		const single = message.attachment;
		const plural = message.attachments;
		for (const a of [single, ...(Array.isArray(plural) ? plural : [])]) {
			if (isJsonObject(a) && isJsonObject(a.payload))
				attachments.push({ type: optString(a, 'type') ?? 'unknown', payload: a.payload });
		}
		const event = echoEvent({
			accountId: record.accountId,
			customerId: record.recipientId,
			mid,
			text: record.text,
			attachments: attachments.length > 0 ? attachments : undefined,
			timestamp: record.at,
		});
		// Meta sends the echo after answering the send request.
		this.later(() =>
			this.deliver(envelopeFor(record.accountId, [event]), { account: record.accountId, kind: 'echo' }),
		);
	}

	/** Wait for background deliveries to finish. */
	async flush(): Promise<void> {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
	}

	private later(send: () => Promise<unknown>): void {
		const p: Promise<unknown> = new Promise<void>((resolve) => setImmediate(resolve))
			.then(send)
			.catch(() => undefined)
			.finally(() => this.pending.delete(p));
		this.pending.add(p);
	}
}
