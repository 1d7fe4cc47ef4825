import { createHash, randomBytes, randomInt } from 'crypto';

import { DAY_MS, HOUR_MS, SANDBOX_DEFAULTS } from './defaults';
import type { MessengerProfile } from './graph/messengerProfile';
import { SendRateLimiter, type SendRateClass } from './graph/sendRateLimit';
import { ThreadControl } from './graph/threadControl';
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
	SendRateLimits,
	SandboxComment,
	SandboxConfig,
	SandboxMedia,
	SentRecord,
	StoredAttachment,
	WebhookConfig,
} from './types';

/** A Meta-looking numeric object id (attachments, posts, comments): `prefix` + random digits. */
export function newObjectId(prefix: string): string {
	let digits = '';
	while (digits.length < 17 - prefix.length) digits += String(randomInt(0, 10));
	return prefix + digits;
}

/** Kinds of token the sandbox issues (instagram-api.md §1.2.4–1.2.6, §1.3.3). */
export type IssuedTokenKind = 'short' | 'long' | 'user' | 'page';

/** A token issued by the sandbox's OAuth endpoints (or by a test), with its lifetime. */
export interface IssuedToken {
	token: string;
	kind: IssuedTokenKind;
	/** igUserId of the account the token acts as. */
	accountId: string;
	issuedAt: number;
	/** Absent = never expires. */
	expiresAt?: number;
}

/** Token lifetimes and rules; tests shrink them to seconds. */
export interface TokenSettings {
	/** Short-lived Instagram token from the code exchange (Meta: 1 h). */
	shortLivedMs: number;
	/** Long-lived token from ig_exchange_token / ig_refresh_token (Meta: 60 days). */
	longLivedMs: number;
	/** A token must be at least this old to be refreshed (Meta: 24 h). */
	refreshMinAgeMs: number;
	/** Authorization codes are valid this long and once (Meta: 1 h). */
	codeTtlMs: number;
	/** Shape of the code-exchange response: documented `{ data: [...] }` or the flat object. */
	tokenResponse: 'wrapped' | 'flat';
	/** `user_id` in the code-exchange response as a JSON number (Meta sometimes does) or a string. */
	userIdAsNumber: boolean;
}

export const DEFAULT_TOKEN_SETTINGS: TokenSettings = {
	shortLivedMs: HOUR_MS,
	longLivedMs: 60 * DAY_MS,
	refreshMinAgeMs: DAY_MS,
	codeTtlMs: HOUR_MS,
	tokenResponse: 'wrapped',
	userIdAsNumber: false,
};

/** An authorization code from `GET /oauth/authorize`. */
export interface AuthorizationCode {
	code: string;
	accountId: string;
	clientId: string;
	redirectUri: string;
	scope: string;
	issuedAt: number;
	used: boolean;
}

/** The access token an account authenticates with. */
export function accountToken(account: SandboxAccount): string {
	return account.flavour === 'instagram' ? account.accessToken : account.pageAccessToken;
}

/** The secret Meta signs this account's webhooks with (§2.3). */
export function accountAppSecret(account: SandboxAccount): string {
	return account.flavour === 'instagram' ? account.instagramAppSecret : account.metaAppSecret;
}

/** A Meta app as the webhook subscription edge sees it (instagram-api.md §2.5). */
export interface SandboxApp {
	appId: string;
	appSecret: string;
}

/** One `/{app-id}/subscriptions` entry. */
export interface AppSubscription {
	object: string;
	callbackUrl: string;
	verifyToken: string;
	fields: string[];
	includeValues: boolean;
	active: boolean;
}

/** The app an account's webhooks belong to: the Instagram app (A) or the Meta app (B). */
export function accountApp(account: SandboxAccount): SandboxApp {
	return account.flavour === 'instagram'
		? { appId: account.instagramAppId, appSecret: account.instagramAppSecret }
		: { appId: account.metaAppId, appSecret: account.metaAppSecret };
}

/**
 * The Meta app whose `/{app-id}/subscriptions` sends this account's webhooks: for Instagram Login
 * the Meta app that holds the Instagram product (not the Instagram app id), for a Page the Meta app.
 */
export function subscriptionApp(account: SandboxAccount): SandboxApp {
	return { appId: account.metaAppId, appSecret: account.metaAppSecret };
}

/** `<app id>|<app secret>`: the app access token Meta accepts on app edges. */
export function appAccessToken(app: SandboxApp): string {
	return `${app.appId}|${app.appSecret}`;
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

/** What the User Profile API returns beyond a customer's name and username (instagram-api.md §4.5). */
export interface SandboxProfile {
	profilePic?: string | null;
	followerCount?: number;
	isUserFollowBusiness?: boolean;
	isBusinessFollowUser?: boolean;
	isVerifiedUser?: boolean;
	/** Refuse follower_count and the is_* fields (as older API versions / missing permissions do). */
	refuseExtendedFields?: boolean;
}

/** Per-account switches for Meta behaviours that depend on the account. */
export interface SandboxAccountOptions {
	/** The Conversations API answers 36103: messaging not (yet) available for this account (§4.4). */
	messagingNotAvailable?: boolean;
}

/** Default Conversations API cap per account and second (instagram-api.md §7.4). */
export const CONVERSATIONS_RATE_LIMIT = 2;

/** Conversation ids are opaque to clients; the sandbox encodes account and customer in them. */
export function conversationIdFor(accountId: string, customerId: string): string {
	return Buffer.from(`ig:conversation:${accountId}:${customerId}`).toString('base64url');
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
	private readonly attachmentsById = new Map<string, StoredAttachment>();
	private readonly mediaById = new Map<string, SandboxMedia>();
	private readonly commentsById = new Map<string, SandboxComment>();
	private readonly issued = new Map<string, IssuedToken>();
	private readonly codes = new Map<string, AuthorizationCode>();
	tokenSettings: TokenSettings = { ...DEFAULT_TOKEN_SETTINGS };

	readonly sent: SentRecord[] = [];
	readonly rejected: RejectedRecord[] = [];
	readonly requests: RequestLogEntry[] = [];
	readonly deliveries: DeliveryLogEntry[] = [];
	/** Callback per account igUserId; '*' is the default. */
	private readonly webhooks = new Map<string, WebhookConfig>();
	/** App-level webhook subscriptions: app id → object → subscription. */
	private readonly appSubscriptionsById = new Map<string, Map<string, AppSubscription>>();
	/** Account-level subscriptions: igUserId → app id → subscribed fields. */
	private readonly accountSubscriptionsById = new Map<string, Map<string, string[]>>();
	private readonly profiles = new Map<string, SandboxProfile>();
	private readonly accountOptionsById = new Map<string, SandboxAccountOptions>();
	/** Conversations API calls per second per account; null = unlimited. */
	private conversationsPerSecond: number | null = CONVERSATIONS_RATE_LIMIT;
	private readonly rateBuckets = new Map<string, { tokens: number; at: number }>();
	/** Send API calls per second per account and class (§7.4; `graph/sendRateLimit.ts`). */
	private readonly sendLimiter: SendRateLimiter;
	/** Thread ownership per (account, customer) — Conversation Routing / handover (§6). */
	readonly threads = new ThreadControl();
	/** Ice breakers and persistent menu per account igUserId (§5). */
	private readonly messengerProfiles = new Map<string, MessengerProfile>();

	constructor(config: Partial<SandboxConfig>) {
		const a = { ...SANDBOX_DEFAULTS.instagram, ...config.accounts?.instagram, flavour: 'instagram' as const };
		const b = {
			...SANDBOX_DEFAULTS.facebookPage,
			...config.accounts?.facebookPage,
			flavour: 'facebookPage' as const,
		};
		this.defaultCustomers = config.customers ?? [{ ...SANDBOX_DEFAULTS.customer }];
		for (const account of [a, b, ...(config.extraAccounts ?? [])]) this.addAccount(account);
		// The seeded Facebook user token (flavour B login) never expires; it derives the Page token.
		this.issued.set(SANDBOX_DEFAULTS.facebookUserToken, {
			token: SANDBOX_DEFAULTS.facebookUserToken,
			kind: 'user',
			accountId: b.igUserId,
			issuedAt: 0,
		});
		if (config.webhook) this.webhooks.set('*', { ...config.webhook });
		if (config.conversationsRateLimit !== undefined)
			this.conversationsPerSecond = config.conversationsRateLimit;
		this.sendLimiter = new SendRateLimiter(config.sendRateLimit);
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
		// App access token `<app id>|<app secret>` (webhook subscriptions, sandbox/graph/subscriptions.ts).
		for (const app of [accountApp(account), subscriptionApp(account)]) {
			if (!this.accountsByToken.has(appAccessToken(app)))
				this.accountsByToken.set(appAccessToken(app), account);
		}
		const known = new Map<string, Customer>();
		for (const c of this.defaultCustomers) known.set(c.id, { ...c });
		this.customers.set(account.igUserId, known);
		return account;
	}

	accounts(): SandboxAccount[] {
		return [...this.accountsById.values()];
	}

	accountByToken(token: string): SandboxAccount | undefined {
		const issued = this.issued.get(token);
		if (issued) return this.accountsById.get(issued.accountId);
		return this.accountsByToken.get(token);
	}

	// ---- issued tokens & authorization codes (sandbox/graph/oauth.ts) ---------------------------

	configureTokens(settings: Partial<TokenSettings>): TokenSettings {
		this.tokenSettings = { ...this.tokenSettings, ...settings };
		return this.tokenSettings;
	}

	/** Issue a token; every issue gets a new, unique string so tests can prove rotation. */
	issueToken(accountId: string, kind: IssuedTokenKind, now: number, lifetimeMs?: number): IssuedToken {
		const account = this.accountsById.get(accountId);
		if (!account) throw new Error(`sandbox: unknown account '${accountId}'`);
		const prefix = account.flavour === 'instagram' ? 'IGAA' : 'EAAB';
		const token = `${prefix}-${kind}-${this.nextSeq()}-${randomBytes(12).toString('hex')}`;
		const entry: IssuedToken = { token, kind, accountId, issuedAt: now };
		if (lifetimeMs !== undefined) entry.expiresAt = now + lifetimeMs;
		this.issued.set(token, entry);
		return entry;
	}

	issuedToken(token: string): IssuedToken | undefined {
		return this.issued.get(token);
	}

	issuedTokens(): IssuedToken[] {
		return [...this.issued.values()];
	}

	/** Expire a token now (as a password change or a lapsed 60 days would). */
	expireToken(token: string, at: number): void {
		const entry = this.issued.get(token);
		if (entry) entry.expiresAt = at;
	}

	addCode(code: AuthorizationCode): void {
		this.codes.set(code.code, code);
	}

	authorizationCode(code: string): AuthorizationCode | undefined {
		return this.codes.get(code);
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
		return [...this.conversations.values()].filter(
			(c) => accountId === undefined || c.accountId === accountId,
		);
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
	recordInbound(
		accountId: string,
		customerId: string,
		message: Omit<ConversationMessage, 'direction'>,
	): Conversation {
		if (!this.customer(accountId, customerId)) this.addCustomer(accountId, { id: customerId });
		const conv = this.ensureConversation(accountId, customerId);
		conv.messages.push({ ...message, direction: 'inbound' });
		conv.messages.sort((x, y) => x.at - y.at);
		if (conv.lastInboundAt === undefined || message.at > conv.lastInboundAt) conv.lastInboundAt = message.at;
		return conv;
	}

	recordOutbound(
		accountId: string,
		customerId: string,
		message: Omit<ConversationMessage, 'direction'>,
	): void {
		this.ensureConversation(accountId, customerId).messages.push({ ...message, direction: 'outbound' });
	}

	/** The conversation behind an id, if it belongs to this account. */
	conversationById(accountId: string, id: string): Conversation | undefined {
		return this.listConversations(accountId).find((c) => conversationIdFor(c.accountId, c.customerId) === id);
	}

	/** A message of one of this account's conversations, by mid. */
	findMessage(
		accountId: string,
		mid: string,
	): { conversation: Conversation; message: ConversationMessage } | undefined {
		for (const conversation of this.listConversations(accountId)) {
			const message = conversation.messages.find((m) => m.mid === mid);
			if (message) return { conversation, message };
		}
		return undefined;
	}

	// ---- profiles & account options ---------------------------------------------------------

	/** Set what the User Profile API returns for a customer of an account (merged). */
	setProfile(accountId: string, customerId: string, profile: SandboxProfile): SandboxProfile {
		const merged = { ...this.profiles.get(`${accountId}:${customerId}`), ...profile };
		this.profiles.set(`${accountId}:${customerId}`, merged);
		return merged;
	}

	profile(accountId: string, customerId: string): SandboxProfile {
		return this.profiles.get(`${accountId}:${customerId}`) ?? {};
	}

	setAccountOptions(accountId: string, options: SandboxAccountOptions): void {
		this.accountOptionsById.set(accountId, { ...this.accountOptionsById.get(accountId), ...options });
	}

	accountOptions(accountId: string): SandboxAccountOptions {
		return this.accountOptionsById.get(accountId) ?? {};
	}

	// ---- Conversations API rate limit (§7.4) ------------------------------------------------

	/** Calls per second per account for the Conversations API; null turns the limit off. */
	setConversationsRateLimit(perSecond: number | null): void {
		this.conversationsPerSecond = perSecond;
		this.rateBuckets.clear();
	}

	get conversationsRateLimit(): number | null {
		return this.conversationsPerSecond;
	}

	/**
	 * Counts one Conversations API call. A token bucket holding one second's worth of calls, refilled
	 * continuously: a client that spaces its calls evenly is never refused, a burst is. Real time
	 * (not the sandbox clock, which tests freeze and move), because Meta throttles in real time.
	 */
	takeConversationsCall(accountId: string, nowMs: number = Date.now()): boolean {
		const perSecond = this.conversationsPerSecond;
		if (perSecond === null || perSecond <= 0) return true;
		const bucket = this.rateBuckets.get(accountId) ?? { tokens: perSecond, at: nowMs };
		bucket.tokens = Math.min(perSecond, bucket.tokens + ((nowMs - bucket.at) * perSecond) / 1000);
		bucket.at = nowMs;
		this.rateBuckets.set(accountId, bucket);
		if (bucket.tokens < 1) return false;
		bucket.tokens -= 1;
		return true;
	}

	// ---- Send API rate limits (§7.4) ----------------------------------------------------------

	/** Send API calls per second per account: `{ text, audioVideo }` (missing = Meta's numbers); null turns them off. */
	setSendRateLimit(limits: Partial<SendRateLimits> | null): void {
		this.sendLimiter.configure(limits);
	}

	get sendRateLimit(): SendRateLimits | null {
		return this.sendLimiter.current;
	}

	/** Counts one Send API call of this class; false when it is over the account's cap (real time). */
	takeSendCall(accountId: string, rateClass: SendRateClass, nowMs: number = Date.now()): boolean {
		return this.sendLimiter.take(accountId, rateClass, nowMs);
	}

	// ---- attachments, posts, comments -------------------------------------------------------------

	addAttachment(
		attachment: Omit<StoredAttachment, 'id' | 'sha256' | 'size'> & { id?: string },
	): StoredAttachment {
		const stored: StoredAttachment = { ...attachment, id: attachment.id ?? newObjectId('1850') };
		if (attachment.bytes) {
			stored.size = attachment.bytes.length;
			stored.sha256 = createHash('sha256').update(attachment.bytes).digest('hex');
		}
		this.attachmentsById.set(stored.id, stored);
		return stored;
	}

	attachment(id: string): StoredAttachment | undefined {
		return this.attachmentsById.get(id);
	}

	listAttachments(accountId?: string): StoredAttachment[] {
		return [...this.attachmentsById.values()].filter(
			(a) => accountId === undefined || a.accountId === accountId,
		);
	}

	addMedia(media: Omit<SandboxMedia, 'id'> & { id?: string }): SandboxMedia {
		const stored: SandboxMedia = { ...media, id: media.id ?? newObjectId('1790') };
		const existing = this.mediaById.get(stored.id);
		if (existing && existing.accountId !== stored.accountId) {
			throw new Error(`sandbox: media ${stored.id} belongs to another account`);
		}
		this.mediaById.set(stored.id, { ...existing, ...stored });
		return stored;
	}

	media(id: string): SandboxMedia | undefined {
		return this.mediaById.get(id);
	}

	/** A person comments on a post of the account: the post and the commenter become known. */
	addComment(comment: Omit<SandboxComment, 'id'> & { id?: string }): SandboxComment {
		if (!this.media(comment.mediaId))
			this.addMedia({ id: comment.mediaId, accountId: comment.accountId, at: comment.at });
		if (!this.customer(comment.accountId, comment.from)) {
			this.addCustomer(comment.accountId, {
				id: comment.from,
				...(comment.fromUsername !== undefined ? { username: comment.fromUsername } : {}),
			});
		}
		const stored: SandboxComment = { ...comment, id: comment.id ?? newObjectId('1800') };
		this.commentsById.set(stored.id, stored);
		return stored;
	}

	comment(id: string): SandboxComment | undefined {
		return this.commentsById.get(id);
	}

	listComments(accountId?: string): SandboxComment[] {
		return [...this.commentsById.values()].filter(
			(c) => accountId === undefined || c.accountId === accountId,
		);
	}

	// ---- records ------------------------------------------------------------------------------

	sentRecords(filter?: RecordFilter): SentRecord[] {
		return filterRecords(this.sent, filter);
	}

	rejectedRecords(filter?: RecordFilter): RejectedRecord[] {
		return filterRecords(this.rejected, filter);
	}

	// ---- messenger profile -----------------------------------------------------------------

	/** The account's stored messenger profile (mutable; created empty on first use). */
	messengerProfile(accountId: string): MessengerProfile {
		let profile = this.messengerProfiles.get(accountId);
		if (!profile) {
			profile = {};
			this.messengerProfiles.set(accountId, profile);
		}
		return profile;
	}

	// ---- webhooks --------------------------------------------------------------------------

	setWebhook(config: WebhookConfig, accountId = '*'): void {
		this.webhooks.set(accountId, { ...config });
	}

	clearWebhook(accountId = '*'): void {
		this.webhooks.delete(accountId);
	}

	/**
	 * The callback for an account, falling back to the default one. When the account's app has a
	 * webhook subscription made through `/{app-id}/subscriptions`, that one decides: events go to
	 * its callback only while the account is subscribed to the app (`subscribed_apps`).
	 */
	webhook(accountId?: string): WebhookConfig | undefined {
		const account = accountId !== undefined ? this.accountsById.get(accountId) : undefined;
		const subscription = account
			? this.appSubscription(subscriptionApp(account).appId, 'instagram')
			: undefined;
		if (account && subscription) {
			if (!this.accountSubscription(account.igUserId, accountApp(account).appId)) return undefined;
			return { callbackUrl: subscription.callbackUrl, verifyToken: subscription.verifyToken };
		}
		return (accountId !== undefined ? this.webhooks.get(accountId) : undefined) ?? this.webhooks.get('*');
	}

	// ---- webhook subscriptions (sandbox/graph/subscriptions.ts) -------------------------------

	/** The app (id + secret) an account belongs to: Instagram app (A) or Meta app (B). */
	appOf(account: SandboxAccount): SandboxApp {
		return accountApp(account);
	}

	/**
	 * The app-level fields deliveries to this account are limited to: those of the app
	 * subscription that routes them, or undefined when a test set the callback directly.
	 */
	subscribedFields(accountId: string): string[] | undefined {
		const account = this.accountsById.get(accountId);
		if (!account) return undefined;
		const subscription = this.appSubscription(subscriptionApp(account).appId, 'instagram');
		return subscription ? [...subscription.fields] : undefined;
	}

	/** The Meta app whose app access token this is (the only app `/{app-id}/subscriptions` accepts). */
	appByToken(token: string): SandboxApp | undefined {
		for (const account of this.accountsById.values()) {
			const app = subscriptionApp(account);
			if (appAccessToken(app) === token) return app;
		}
		return undefined;
	}

	/** Any app token: a Meta app's, or an Instagram app's (`<instagram app id>|<instagram app secret>`). */
	anyAppByToken(token: string): SandboxApp | undefined {
		for (const account of this.accountsById.values()) {
			for (const app of [subscriptionApp(account), accountApp(account)])
				if (appAccessToken(app) === token) return app;
		}
		return undefined;
	}

	/** The setup of the accounts a Meta app's subscription serves (it decides the valid fields). */
	flavourOfSubscriptionApp(appId: string): Flavour | undefined {
		for (const account of this.accountsById.values())
			if (subscriptionApp(account).appId === appId) return account.flavour;
		return undefined;
	}

	appSubscriptions(appId: string): AppSubscription[] {
		return [...(this.appSubscriptionsById.get(appId)?.values() ?? [])].map((sub) => ({
			...sub,
			fields: [...sub.fields],
		}));
	}

	appSubscription(appId: string, object: string): AppSubscription | undefined {
		return this.appSubscriptionsById.get(appId)?.get(object);
	}

	setAppSubscription(appId: string, subscription: AppSubscription): void {
		let byObject = this.appSubscriptionsById.get(appId);
		if (!byObject) {
			byObject = new Map();
			this.appSubscriptionsById.set(appId, byObject);
		}
		byObject.set(subscription.object, { ...subscription, fields: [...subscription.fields] });
	}

	/** Removes the object's subscription (all objects when absent). */
	deleteAppSubscription(appId: string, object?: string): void {
		if (object === undefined) this.appSubscriptionsById.delete(appId);
		else this.appSubscriptionsById.get(appId)?.delete(object);
	}

	/** Fields an account subscribed the app to, or undefined when not subscribed. */
	accountSubscription(accountId: string, appId: string): string[] | undefined {
		const fields = this.accountSubscriptionsById.get(accountId)?.get(appId);
		return fields ? [...fields] : undefined;
	}

	/** Apps other than the account's own that are subscribed to it (set up by tests). */
	otherSubscribedApps(accountId: string): string[] {
		const account = this.accountsById.get(accountId);
		const own = account ? accountApp(account).appId : undefined;
		return [...(this.accountSubscriptionsById.get(accountId)?.keys() ?? [])].filter((id) => id !== own);
	}

	setAccountSubscription(accountId: string, appId: string, fields: string[] | undefined): void {
		let byApp = this.accountSubscriptionsById.get(accountId);
		if (!byApp) {
			byApp = new Map();
			this.accountSubscriptionsById.set(accountId, byApp);
		}
		if (fields === undefined) byApp.delete(appId);
		else byApp.set(appId, [...fields]);
	}

	clearSubscriptions(): void {
		this.appSubscriptionsById.clear();
		this.accountSubscriptionsById.clear();
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
		this.attachmentsById.clear();
		this.mediaById.clear();
		this.commentsById.clear();
		this.profiles.clear();
		this.accountOptionsById.clear();
		this.rateBuckets.clear();
		this.sendLimiter.reset();
		this.threads.reset();
		this.messengerProfiles.clear();
		for (const accountId of this.customers.keys()) {
			this.customers.set(accountId, new Map(this.defaultCustomers.map((c) => [c.id, { ...c }])));
		}
	}
}
