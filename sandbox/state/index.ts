/**
 * Everything the sandbox remembers, one store per area, behind one entry point for tests, Graph
 * routes and the server: `AccountData` (accounts and what they hold) plus the traffic side here
 * (records, rate limits, webhook callbacks and subscriptions, thread ownership). Accounts, issued
 * tokens and webhooks survive `reset()`; the rest does not. Keyed by the account's igUserId (the
 * id Meta uses in webhooks).
 */
import type {
	DeliveryLogEntry,
	RecordFilter,
	RejectedRecord,
	RequestLogEntry,
	SentRecord,
} from '../recordTypes';
import type { Flavour, SandboxAccount, SandboxConfig, SendRateLimits, WebhookConfig } from '../types';
import { accountApp } from './accountApps';
import type { SandboxApp } from './accountApps';
import { AccountData } from './accountData';
import { ConversationsRateLimiter } from './conversationsRateLimit';
import { filterRecords } from './records';
import { PRIVATE_REPLIES_PER_HOUR, PrivateReplyLimiter, SendRateLimiter } from './sendRateLimiter';
import type { SendRateClass } from './sendRateLimiter';
import { SubscriptionStore } from './subscriptions';
import type { AppSubscription } from './subscriptions';
import { ThreadControl } from './threadOwnership';
import { WebhookCallbacks } from './webhookCallbacks';

export * from './accountApps';
export { conversationIdFor } from './conversations';
export { CONVERSATIONS_RATE_LIMIT } from './conversationsRateLimit';
export { newObjectId } from './postsAndUploads';
export type { SandboxAccountOptions, SandboxProfile } from './profiles';
export type { AppSubscription } from './subscriptions';
export { DEFAULT_TOKEN_SETTINGS } from './tokens';
export type { AuthorizationCode, IssuedToken, IssuedTokenKind, TokenSettings } from './tokens';

export class SandboxState extends AccountData {
	private readonly conversationsLimiter: ConversationsRateLimiter;
	/** Send API calls per second per account and class (§7.4; `graph/sendRateLimit.ts`). */
	private readonly sendLimiter: SendRateLimiter;
	private readonly privateReplyLimiter = new PrivateReplyLimiter();
	private readonly subscriptions = new SubscriptionStore(this.directory);
	private readonly webhooks = new WebhookCallbacks(this.directory, this.subscriptions);

	readonly sent: SentRecord[] = [];
	readonly rejected: RejectedRecord[] = [];
	readonly requests: RequestLogEntry[] = [];
	readonly deliveries: DeliveryLogEntry[] = [];
	/** Thread ownership per (account, customer) — Conversation Routing / handover (§6). */
	readonly threads = new ThreadControl();

	constructor(config: Partial<SandboxConfig>) {
		super(config);
		if (config.webhook) this.webhooks.set(config.webhook);
		this.conversationsLimiter = new ConversationsRateLimiter(config.conversationsRateLimit);
		this.sendLimiter = new SendRateLimiter(config.sendRateLimit);
	}

	// ---- rate limits (§7.4; real time, not the sandbox clock) ---------------------------------------

	/** Calls per second per account for the Conversations API; null turns the limit off. */
	setConversationsRateLimit(perSecond: number | null): void {
		this.conversationsLimiter.configure(perSecond);
	}

	get conversationsRateLimit(): number | null {
		return this.conversationsLimiter.limit;
	}

	/** Counts one Conversations API call; false when the account is over its cap. */
	takeConversationsCall(accountId: string, nowMs: number = Date.now()): boolean {
		return this.conversationsLimiter.take(accountId, nowMs);
	}

	/** Send API calls per second per account: `{ text, audioVideo }` (missing = Meta's numbers); null turns them off. */
	setSendRateLimit(limits: Partial<SendRateLimits> | null): void {
		this.sendLimiter.configure(limits);
	}

	get sendRateLimit(): SendRateLimits | null {
		return this.sendLimiter.current;
	}

	/** Counts one Send API call of this class; false when it is over the account's cap. */
	takeSendCall(accountId: string, rateClass: SendRateClass, nowMs: number = Date.now()): boolean {
		return this.sendLimiter.take(accountId, rateClass, nowMs);
	}

	/** Counts one private reply (750 per rolling hour, sandbox clock); off with the send limits. */
	takePrivateReply(accountId: string, nowMs: number): boolean {
		const limit = this.sendLimiter.current === null ? null : PRIVATE_REPLIES_PER_HOUR;
		return this.privateReplyLimiter.take(accountId, nowMs, limit);
	}

	// ---- records ----------------------------------------------------------------------------------

	sentRecords(filter?: RecordFilter): SentRecord[] {
		return filterRecords(this.sent, filter);
	}

	rejectedRecords(filter?: RecordFilter): RejectedRecord[] {
		return filterRecords(this.rejected, filter);
	}

	// ---- webhook callbacks and subscriptions (`graph/subscriptions.ts`) ------------------------------

	setWebhook(config: WebhookConfig, accountId = '*'): void {
		this.webhooks.set(config, accountId);
	}

	clearWebhook(accountId = '*'): void {
		this.webhooks.clear(accountId);
	}

	/** The callback for an account (an app subscription decides when there is one), else the default. */
	webhook(accountId?: string): WebhookConfig | undefined {
		return this.webhooks.get(accountId);
	}

	webhookEntries(): Array<{ accountId: string; config: WebhookConfig }> {
		return this.webhooks.entries();
	}

	/** The app (id + secret) an account belongs to: Instagram app (A) or Meta app (B). */
	appOf(account: SandboxAccount): SandboxApp {
		return accountApp(account);
	}

	subscribedFields(accountId: string): string[] | undefined {
		return this.subscriptions.subscribedFields(accountId);
	}

	appByToken(token: string): SandboxApp | undefined {
		return this.subscriptions.appByToken(token);
	}

	anyAppByToken(token: string): SandboxApp | undefined {
		return this.subscriptions.anyAppByToken(token);
	}

	flavourOfSubscriptionApp(appId: string): Flavour | undefined {
		return this.subscriptions.flavourOfSubscriptionApp(appId);
	}

	appSubscriptions(appId: string): AppSubscription[] {
		return this.subscriptions.appSubscriptions(appId);
	}

	appSubscription(appId: string, object: string): AppSubscription | undefined {
		return this.subscriptions.appSubscription(appId, object);
	}

	setAppSubscription(appId: string, subscription: AppSubscription): void {
		this.subscriptions.setAppSubscription(appId, subscription);
	}

	deleteAppSubscription(appId: string, object?: string): void {
		this.subscriptions.deleteAppSubscription(appId, object);
	}

	accountSubscription(accountId: string, appId: string): string[] | undefined {
		return this.subscriptions.accountSubscription(accountId, appId);
	}

	otherSubscribedApps(accountId: string): string[] {
		return this.subscriptions.otherSubscribedApps(accountId);
	}

	setAccountSubscription(accountId: string, appId: string, fields: string[] | undefined): void {
		this.subscriptions.setAccountSubscription(accountId, appId, fields);
	}

	clearSubscriptions(): void {
		this.subscriptions.clear();
	}

	/** Clears records, conversations and customers added at runtime; keeps accounts and webhooks. */
	reset(): void {
		super.reset();
		this.sent.length = 0;
		this.rejected.length = 0;
		this.requests.length = 0;
		this.deliveries.length = 0;
		this.conversationsLimiter.reset();
		this.sendLimiter.reset();
		this.privateReplyLimiter.reset();
		this.threads.reset();
	}
}
