/**
 * The part of MetaSandbox that reads and sets up what the sandbox remembers: accounts,
 * customers, posts, records and webhook callbacks. `server.ts` adds the server, Graph, faults
 * and webhook deliveries on top.
 */
import type { SandboxClock } from './clock';
import { SANDBOX_DEFAULTS } from './defaults';
import type { AddCommentOptions, AddMediaOptions } from './sandboxOptions';
import { accountAppSecret } from './state/accountApps';
import type { SandboxState } from './state';
import { filterRequests } from './state/records';
import type { Conversation, SandboxComment, SandboxMedia, StoredAttachment } from './contentTypes';
import type {
	DeliveryLogEntry,
	RecordFilter,
	RejectedRecord,
	RequestLogEntry,
	SentRecord,
} from './recordTypes';
import type {
	AccountRef,
	Customer,
	FacebookPageAccount,
	InstagramLoginAccount,
	SandboxAccount,
	WebhookConfig,
} from './types';

export class SandboxStateApi {
	constructor(
		readonly clock: SandboxClock,
		readonly state: SandboxState,
	) {}

	// ---- clock ------------------------------------------------------------------------------

	now(): number {
		return this.clock.now();
	}

	// ---- accounts & customers ------------------------------------------------------------------

	get accounts(): SandboxAccount[] {
		return this.state.accounts();
	}

	account(ref: AccountRef = 'instagram'): SandboxAccount {
		return this.state.account(ref);
	}

	/** The primary flavour-A account. */
	get instagram(): InstagramLoginAccount {
		const acc = this.state.account('instagram');
		if (acc.flavour !== 'instagram') throw new Error('unreachable');
		return acc;
	}

	/** The primary flavour-B account. */
	get facebookPage(): FacebookPageAccount {
		const acc = this.state.account('facebookPage');
		if (acc.flavour !== 'facebookPage') throw new Error('unreachable');
		return acc;
	}

	addAccount(account: SandboxAccount): SandboxAccount {
		return this.state.addAccount(account);
	}

	/** Make a customer known to an account (so sends find the user) without opening the window. */
	addCustomer(customer: Customer, account: AccountRef = 'instagram'): Customer {
		return this.state.addCustomer(this.state.account(account).igUserId, customer);
	}

	conversation(
		customerId: string = SANDBOX_DEFAULTS.customer.id,
		account: AccountRef = 'instagram',
	): Conversation | undefined {
		return this.state.conversation(this.state.account(account).igUserId, customerId);
	}

	conversations(account?: AccountRef): Conversation[] {
		return this.state.listConversations(
			account === undefined ? undefined : this.state.account(account).igUserId,
		);
	}

	// ---- posts, comments, uploaded attachments (private replies §3.14, uploads §3.4) -------------

	/** A published post or reel of the account (what Share Post may share). */
	addMedia(options: AddMediaOptions = {}): SandboxMedia {
		const accountId = this.state.account(options.account ?? 'instagram').igUserId;
		return this.state.addMedia({
			id: options.id,
			accountId,
			at: options.at ?? this.clock.now(),
			...(options.caption !== undefined ? { caption: options.caption } : {}),
			...(options.productType !== undefined ? { productType: options.productType } : {}),
			...(options.live === true ? { live: true } : {}),
		});
	}

	/**
	 * A person comments on a post of the account (no webhook is sent): the comment can then get one
	 * private reply within 7 days of `at`. The post and the commenter become known to the account.
	 */
	addComment(options: AddCommentOptions): SandboxComment {
		const accountId = this.state.account(options.account ?? 'instagram').igUserId;
		return this.state.addComment({
			id: options.id,
			accountId,
			mediaId: options.mediaId ?? this.addMedia({ account: accountId }).id,
			from: options.from ?? SANDBOX_DEFAULTS.customer.id,
			text: options.text,
			at: options.at ?? this.clock.now(),
			...(options.fromUsername !== undefined ? { fromUsername: options.fromUsername } : {}),
		});
	}

	comment(id: string): SandboxComment | undefined {
		return this.state.comment(id);
	}

	/** An attachment stored by `POST /{id}/message_attachments`, with its bytes for multipart uploads. */
	attachment(id: string): StoredAttachment | undefined {
		return this.state.attachment(id);
	}

	attachments(account?: AccountRef): StoredAttachment[] {
		return this.state.listAttachments(
			account === undefined ? undefined : this.state.account(account).igUserId,
		);
	}

	// ---- records ---------------------------------------------------------------------------------

	/** Accepted sends, oldest first. `accountId` may also be a flavour alias or Page id. */
	sent(filter: RecordFilter = {}): SentRecord[] {
		return this.state.sentRecords(this.resolveFilter(filter));
	}

	/** Rejected send attempts (with Meta's error), oldest first. */
	rejected(filter: RecordFilter = {}): RejectedRecord[] {
		return this.state.rejectedRecords(this.resolveFilter(filter));
	}

	/** Graph requests received (secrets redacted). */
	requests(filter: { since?: number; method?: string; path?: string | RegExp } = {}): RequestLogEntry[] {
		return filterRequests(this.state.requests, filter);
	}

	/** Webhook deliveries made by the sandbox (events, echoes, verification GETs). */
	deliveries(): DeliveryLogEntry[] {
		return [...this.state.deliveries];
	}

	protected resolveFilter(filter: RecordFilter): RecordFilter {
		if (filter.accountId === undefined) return filter;
		const acc = this.state.findAccount(filter.accountId);
		return { ...filter, accountId: acc?.igUserId ?? filter.accountId };
	}

	// ---- webhooks ----------------------------------------------------------------------------

	/** Set the callback Meta posts to (default for all accounts, or for one account). */
	setWebhook(config: WebhookConfig, account?: AccountRef): void {
		this.state.setWebhook(config, account === undefined ? '*' : this.state.account(account).igUserId);
	}

	clearWebhook(account?: AccountRef): void {
		this.state.clearWebhook(account === undefined ? '*' : this.state.account(account).igUserId);
	}

	webhook(account?: AccountRef): WebhookConfig | undefined {
		return this.state.webhook(account === undefined ? undefined : this.state.account(account).igUserId);
	}

	/** The secret webhooks for this account are signed with. */
	webhookSecret(account: AccountRef = 'instagram'): string {
		return accountAppSecret(this.state.account(account));
	}

	// ---- conversation routing: the human side (§6) --------------------------------------------

	/** The app holding the thread with a customer (`null`: idle). */
	threadOwner(
		customerId: string = SANDBOX_DEFAULTS.customer.id,
		account: AccountRef = 'instagram',
	): string | null {
		return this.state.threads.owner(this.state.account(account), customerId);
	}
}
