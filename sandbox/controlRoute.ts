import type { CustomerEntryOptions, CustomerEntryResult } from './customerEntries';
import type { ChatTarget } from './chat/target';
import type { SandboxClock } from './clock';
import type { FaultView } from './faults';
import type { HandlerResult, RequestContext } from './http';
import type { Route } from './router';
import type {
	AddCommentOptions,
	AddMediaOptions,
	CustomerSaysOptions,
	CustomerSaysResult,
	CustomerTapsButtonOptions,
	DeliverOptions,
	InboxActionOptions,
} from './sandboxOptions';
import type { SandboxState } from './state';
import type { Conversation, SandboxComment, SandboxMedia, StoredAttachment } from './contentTypes';
import type {
	DeliveryLogEntry,
	DeliveryResult,
	RecordFilter,
	RejectedRecord,
	RequestLogEntry,
	SentRecord,
} from './recordTypes';
import type { AccountRef, FaultSpec, Flavour, SandboxAccount, WebhookConfig } from './types';
import type { VerifyOptions } from './webhooks/delivery';
import type { ThreadChange } from './webhooks/handover';
import type { VerifyResult } from './webhooks/sender';

/**
 * The sandbox as its control API sees it. MetaSandbox implements it; the control modules depend
 * on this interface, not on `server.ts`, which assembles them.
 */
export interface ControlledSandbox {
	readonly url: string;
	readonly clock: SandboxClock;
	readonly state: SandboxState;
	readonly accounts: SandboxAccount[];
	chatTargets: ChatTarget[];
	chatAccount: Flavour;
	now(): number;
	sent(filter?: RecordFilter): SentRecord[];
	rejected(filter?: RecordFilter): RejectedRecord[];
	requests(filter?: { since?: number; method?: string; path?: string | RegExp }): RequestLogEntry[];
	deliveries(): DeliveryLogEntry[];
	conversations(account?: AccountRef): Conversation[];
	customerSays(opts: CustomerSaysOptions): Promise<CustomerSaysResult>;
	customerTapsButton(opts: CustomerTapsButtonOptions): Promise<CustomerSaysResult>;
	customerEnters(opts: CustomerEntryOptions): Promise<CustomerEntryResult>;
	deliver(payload: object | string, opts?: DeliverOptions): Promise<DeliveryResult>;
	webhook(account?: AccountRef): WebhookConfig | undefined;
	setWebhook(config: WebhookConfig, account?: AccountRef): void;
	clearWebhook(account?: AccountRef): void;
	verifyCallback(options?: VerifyOptions): Promise<VerifyResult>;
	faults(): FaultView[];
	injectFault(spec: FaultSpec): FaultView;
	clearFaults(): void;
	threadOwner(customerId?: string, account?: AccountRef): string | null;
	inboxReleases(opts?: InboxActionOptions): Promise<ThreadChange>;
	inboxTakes(opts?: InboxActionOptions): Promise<ThreadChange>;
	attachments(account?: AccountRef): StoredAttachment[];
	attachment(id: string): StoredAttachment | undefined;
	addMedia(options?: AddMediaOptions): SandboxMedia;
	addComment(options: AddCommentOptions): SandboxComment;
	reset(): void;
}

/** What a `/_sandbox/*` handler gets: the request and the sandbox it controls. */
export interface ControlContext {
	req: RequestContext;
	sandbox: ControlledSandbox;
}

export type ControlRoute = Route<ControlContext, HandlerResult> & { summary: string };
