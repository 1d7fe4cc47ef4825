import { SANDBOX_DEFAULTS } from './defaults';
import type {
	AccountRef,
	Conversation,
	ConversationMessage,
	Customer,
	DeliveryLogEntry,
	Flavour,
	RecordFilter,
	RejectedRecord,
	RequestLogEntry,
	SandboxAccount,
	SandboxConfig,
	SentRecord,
	WebhookConfig,
} from './types';

/** The access token an account authenticates with. */
export function accountToken(account: SandboxAccount): string {
	return account.flavour === 'instagram' ? account.accessToken : account.pageAccessToken;
}

/** The secret Meta signs this account's webhooks with (§2.3). */
export function accountAppSecret(account: SandboxAccount): string {
	return account.flavour === 'instagram' ? account.instagramAppSecret : account.metaAppSecret;
}

/** The ids accepted as the "self" node in paths for this account (§3.1). */
export function accountSelfIds(account: SandboxAccount): string[] {
	return account.flavour === 'instagram' ? [account.igUserId] : [account.pageId];
}

function filterRecords<T extends { seq: number; accountId?: string; recipientId?: string }>(
	records: T[],
	filter: RecordFilter = {},
): T[] {
	return records.filter(
		(r) =>
			(filter.since === undefined || r.seq > filter.since) &&
			(filter.accountId === undefined || r.accountId === filter.accountId) &&
			(filter.recipientId === undefined || r.recipientId === filter.recipientId),
	);
}

/**
 * Everything the sandbox remembers. Accounts survive `reset()`; the rest does not.
 * Keyed by the account's igUserId (the id Meta uses in webhooks).
 */
export class SandboxState {
	private readonly accountsById = new Map<string, SandboxAccount>();
	private readonly accountsByToken = new Map<string, SandboxAccount>();
	private readonly defaultCustomers: Customer[];
	private readonly customers = new Map<string, Map<string, Customer>>();
	private readonly conversations = new Map<string, Conversation>();
	private seq = 0;

	readonly sent: SentRecord[] = [];
	readonly rejected: RejectedRecord[] = [];
	readonly requests: RequestLogEntry[] = [];
	readonly deliveries: DeliveryLogEntry[] = [];
	/** Callback per account igUserId; '*' is the default. */
	private readonly webhooks = new Map<string, WebhookConfig>();

	constructor(config: Partial<SandboxConfig>) {
		const a = { ...SANDBOX_DEFAULTS.instagram, ...config.accounts?.instagram, flavour: 'instagram' as const };
		const b = { ...SANDBOX_DEFAULTS.facebookPage, ...config.accounts?.facebookPage, flavour: 'facebookPage' as const };
		this.defaultCustomers = config.customers ?? [{ ...SANDBOX_DEFAULTS.customer }];
		for (const account of [a, b, ...(config.extraAccounts ?? [])]) this.addAccount(account);
		if (config.webhook) this.webhooks.set('*', { ...config.webhook });
	}

	nextSeq(): number {
		this.seq += 1;
		return this.seq;
	}

	// ---- accounts -------------------------------------------------------------------------

	addAccount(account: SandboxAccount): SandboxAccount {
		if (this.accountsById.has(account.igUserId)) {
			throw new Error(`sandbox: an account with igUserId ${account.igUserId} already exists`);
		}
		const token = accountToken(account);
		if (this.accountsByToken.has(token)) throw new Error('sandbox: two accounts share an access token');
		this.accountsById.set(account.igUserId, account);
		this.accountsByToken.set(token, account);
		const known = new Map<string, Customer>();
		for (const c of this.defaultCustomers) known.set(c.id, { ...c });
		this.customers.set(account.igUserId, known);
		return account;
	}

	accounts(): SandboxAccount[] {
		return [...this.accountsById.values()];
	}

	accountByToken(token: string): SandboxAccount | undefined {
		return this.accountsByToken.get(token);
	}

	/** Resolve a flavour alias (first account of that flavour), an igUserId or a pageId. */
	findAccount(ref: AccountRef = 'instagram'): SandboxAccount | undefined {
		if (ref === 'instagram' || ref === 'facebookPage') {
			return this.accounts().find((acc) => acc.flavour === (ref as Flavour));
		}
		return (
			this.accountsById.get(ref) ??
			this.accounts().find((acc) => acc.flavour === 'facebookPage' && acc.pageId === ref)
		);
	}

	account(ref: AccountRef = 'instagram'): SandboxAccount {
		const found = this.findAccount(ref);
		if (!found) throw new Error(`sandbox: unknown account '${ref}'`);
		return found;
	}

	// ---- customers & conversations -------------------------------------------------------

	addCustomer(accountId: string, customer: Customer): Customer {
		const known = this.customers.get(accountId);
		if (!known) throw new Error(`sandbox: unknown account '${accountId}'`);
		const merged = { ...known.get(customer.id), ...customer };
		known.set(customer.id, merged);
		return merged;
	}

	customer(accountId: string, customerId: string): Customer | undefined {
		return this.customers.get(accountId)?.get(customerId);
	}

	conversation(accountId: string, customerId: string): Conversation | undefined {
		return this.conversations.get(`${accountId}:${customerId}`);
	}

	listConversations(accountId?: string): Conversation[] {
		return [...this.conversations.values()].filter((c) => accountId === undefined || c.accountId === accountId);
	}

	private ensureConversation(accountId: string, customerId: string): Conversation {
		const key = `${accountId}:${customerId}`;
		let conv = this.conversations.get(key);
		if (!conv) {
			conv = { accountId, customerId, messages: [] };
			this.conversations.set(key, conv);
		}
		return conv;
	}

	/** A message from the customer: registers the customer and (re)opens the window. */
	recordInbound(accountId: string, customerId: string, message: Omit<ConversationMessage, 'direction'>): Conversation {
		if (!this.customer(accountId, customerId)) this.addCustomer(accountId, { id: customerId });
		const conv = this.ensureConversation(accountId, customerId);
		conv.messages.push({ ...message, direction: 'inbound' });
		conv.messages.sort((x, y) => x.at - y.at);
		if (conv.lastInboundAt === undefined || message.at > conv.lastInboundAt) conv.lastInboundAt = message.at;
		return conv;
	}

	recordOutbound(accountId: string, customerId: string, message: Omit<ConversationMessage, 'direction'>): void {
		this.ensureConversation(accountId, customerId).messages.push({ ...message, direction: 'outbound' });
	}

	// ---- records ------------------------------------------------------------------------------

	sentRecords(filter?: RecordFilter): SentRecord[] {
		return filterRecords(this.sent, filter);
	}

	rejectedRecords(filter?: RecordFilter): RejectedRecord[] {
		return filterRecords(this.rejected, filter);
	}

	// ---- webhooks --------------------------------------------------------------------------

	setWebhook(config: WebhookConfig, accountId = '*'): void {
		this.webhooks.set(accountId, { ...config });
	}

	clearWebhook(accountId = '*'): void {
		this.webhooks.delete(accountId);
	}

	/** The callback for an account, falling back to the default one. */
	webhook(accountId?: string): WebhookConfig | undefined {
		return (accountId !== undefined ? this.webhooks.get(accountId) : undefined) ?? this.webhooks.get('*');
	}

	webhookEntries(): Array<{ accountId: string; config: WebhookConfig }> {
		return [...this.webhooks.entries()].map(([accountId, config]) => ({ accountId, config }));
	}

	/** Clears records, conversations and customers added at runtime; keeps accounts and webhooks. */
	reset(): void {
		this.sent.length = 0;
		this.rejected.length = 0;
		this.requests.length = 0;
		this.deliveries.length = 0;
		this.conversations.clear();
		for (const accountId of this.customers.keys()) {
			this.customers.set(accountId, new Map(this.defaultCustomers.map((c) => [c.id, { ...c }])));
		}
	}
}
