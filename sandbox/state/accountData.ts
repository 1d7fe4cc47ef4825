/**
 * The accounts and what they hold: issued tokens, customers, conversations, profiles, posts and
 * uploads. `SandboxState` (index.ts) adds the traffic side on top.
 */
import { SANDBOX_DEFAULTS } from '../defaults';
import type {
	Conversation,
	ConversationMessage,
	SandboxComment,
	SandboxMedia,
	StoredAttachment,
} from '../contentTypes';
import type { AccountRef, Customer, SandboxAccount, SandboxConfig } from '../types';
import { AccountDirectory } from './accountDirectory';
import { ConversationStore } from './conversations';
import { CustomerBook } from './customers';
import { MessengerProfileStore } from './messengerProfiles';
import { WelcomeFlowStore } from './welcomeFlows';
import type { MessengerProfile } from './messengerProfiles';
import { PostsAndUploads } from './postsAndUploads';
import { ProfileStore } from './profiles';
import type { SandboxAccountOptions, SandboxProfile } from './profiles';
import { TokenStore } from './tokens';
import type { AuthorizationCode, IssuedToken, IssuedTokenKind, TokenSettings } from './tokens';

export class AccountData {
	private seq = 0;
	protected readonly directory = new AccountDirectory();
	private readonly tokens = new TokenStore();
	private readonly customers: CustomerBook;
	private readonly conversationStore: ConversationStore;
	private readonly content: PostsAndUploads;
	private readonly profiles = new ProfileStore();
	private readonly messengerProfiles = new MessengerProfileStore();
	/** Welcome message flows for Click-to-Direct ads (`graph/welcomeFlows.ts`). */
	readonly welcomeFlows = new WelcomeFlowStore();

	constructor(config: Partial<SandboxConfig>) {
		const a = { ...SANDBOX_DEFAULTS.instagram, ...config.accounts?.instagram, flavour: 'instagram' as const };
		const b = {
			...SANDBOX_DEFAULTS.facebookPage,
			...config.accounts?.facebookPage,
			flavour: 'facebookPage' as const,
		};
		this.customers = new CustomerBook(config.customers ?? [{ ...SANDBOX_DEFAULTS.customer }]);
		this.conversationStore = new ConversationStore(this.customers);
		this.content = new PostsAndUploads(this.customers);
		for (const account of [a, b, ...(config.extraAccounts ?? [])]) this.addAccount(account);
		// The seeded Facebook user token (flavour B login) never expires; it derives the Page token.
		this.tokens.remember({
			token: SANDBOX_DEFAULTS.facebookUserToken,
			kind: 'user',
			accountId: b.igUserId,
			issuedAt: 0,
		});
	}

	nextSeq(): number {
		this.seq += 1;
		return this.seq;
	}

	// ---- accounts, issued tokens and authorization codes (`graph/oauth.ts`) ---------------------

	addAccount(account: SandboxAccount): SandboxAccount {
		this.directory.add(account);
		this.customers.seed(account.igUserId);
		return account;
	}

	accounts(): SandboxAccount[] {
		return this.directory.list();
	}

	accountByToken(token: string): SandboxAccount | undefined {
		const issued = this.tokens.issuedToken(token);
		if (issued) return this.directory.byIgUserId(issued.accountId);
		return this.directory.bySeededToken(token);
	}

	/** Resolve a flavour alias (first account of that flavour), an igUserId or a pageId. */
	findAccount(ref: AccountRef = 'instagram'): SandboxAccount | undefined {
		return this.directory.find(ref);
	}

	account(ref: AccountRef = 'instagram'): SandboxAccount {
		const found = this.findAccount(ref);
		if (!found) throw new Error(`sandbox: unknown account '${ref}'`);
		return found;
	}

	/** Token lifetimes and rules (`configureTokens` changes them). */
	get tokenSettings(): TokenSettings {
		return this.tokens.settings;
	}

	configureTokens(settings: Partial<TokenSettings>): TokenSettings {
		return this.tokens.configure(settings);
	}

	issueToken(accountId: string, kind: IssuedTokenKind, now: number, lifetimeMs?: number): IssuedToken {
		const account = this.directory.byIgUserId(accountId);
		if (!account) throw new Error(`sandbox: unknown account '${accountId}'`);
		return this.tokens.issue(account, kind, this.nextSeq(), now, lifetimeMs);
	}

	issuedToken(token: string): IssuedToken | undefined {
		return this.tokens.issuedToken(token);
	}

	issuedTokens(): IssuedToken[] {
		return this.tokens.issuedTokens();
	}

	expireToken(token: string, at: number): void {
		this.tokens.expire(token, at);
	}

	addCode(code: AuthorizationCode): void {
		this.tokens.addCode(code);
	}

	authorizationCode(code: string): AuthorizationCode | undefined {
		return this.tokens.authorizationCode(code);
	}

	// ---- customers, conversations, profiles --------------------------------------------------------

	addCustomer(accountId: string, customer: Customer): Customer {
		return this.customers.add(accountId, customer);
	}

	customer(accountId: string, customerId: string): Customer | undefined {
		return this.customers.get(accountId, customerId);
	}

	conversation(accountId: string, customerId: string): Conversation | undefined {
		return this.conversationStore.get(accountId, customerId);
	}

	listConversations(accountId?: string): Conversation[] {
		return this.conversationStore.list(accountId);
	}

	/** A message from the customer: registers the customer and (re)opens the window. */
	recordInbound(
		accountId: string,
		customerId: string,
		message: Omit<ConversationMessage, 'direction'>,
	): Conversation {
		return this.conversationStore.recordInbound(accountId, customerId, message);
	}

	openAdWindow(accountId: string, customerId: string, until: number): void {
		this.conversationStore.openAdWindow(accountId, customerId, until);
	}

	recordOutbound(
		accountId: string,
		customerId: string,
		message: Omit<ConversationMessage, 'direction'>,
	): void {
		this.conversationStore.recordOutbound(accountId, customerId, message);
	}

	conversationById(accountId: string, id: string): Conversation | undefined {
		return this.conversationStore.byId(accountId, id);
	}

	findMessage(
		accountId: string,
		mid: string,
	): { conversation: Conversation; message: ConversationMessage } | undefined {
		return this.conversationStore.findMessage(accountId, mid);
	}

	setProfile(accountId: string, customerId: string, profile: SandboxProfile): SandboxProfile {
		return this.profiles.setProfile(accountId, customerId, profile);
	}

	profile(accountId: string, customerId: string): SandboxProfile {
		return this.profiles.profile(accountId, customerId);
	}

	setAccountOptions(accountId: string, options: SandboxAccountOptions): void {
		this.profiles.setAccountOptions(accountId, options);
	}

	accountOptions(accountId: string): SandboxAccountOptions {
		return this.profiles.accountOptions(accountId);
	}

	/** The account's stored messenger profile (mutable; created empty on first use). */
	messengerProfile(accountId: string): MessengerProfile {
		return this.messengerProfiles.of(accountId);
	}

	// ---- attachments, posts, comments -----------------------------------------------------

	addAttachment(
		attachment: Omit<StoredAttachment, 'id' | 'sha256' | 'size'> & { id?: string },
	): StoredAttachment {
		return this.content.addAttachment(attachment);
	}

	attachment(id: string): StoredAttachment | undefined {
		return this.content.attachment(id);
	}

	listAttachments(accountId?: string): StoredAttachment[] {
		return this.content.listAttachments(accountId);
	}

	addMedia(media: Omit<SandboxMedia, 'id'> & { id?: string }): SandboxMedia {
		return this.content.addMedia(media);
	}

	media(id: string): SandboxMedia | undefined {
		return this.content.media(id);
	}

	addComment(comment: Omit<SandboxComment, 'id'> & { id?: string }): SandboxComment {
		return this.content.addComment(comment);
	}

	comment(id: string): SandboxComment | undefined {
		return this.content.comment(id);
	}

	listComments(accountId?: string): SandboxComment[] {
		return this.content.listComments(accountId);
	}

	listMedia(accountId: string): SandboxMedia[] {
		return this.content.listMedia(accountId);
	}

	addReply(parent: SandboxComment, text: string, at: number, accountId: string): SandboxComment {
		return this.content.addReply(parent, text, at, accountId);
	}

	deleteComment(id: string): void {
		this.content.deleteComment(id);
	}

	/** Clears conversations, profiles, posts, uploads and customers added at runtime. */
	reset(): void {
		this.conversationStore.reset();
		this.content.reset();
		this.profiles.reset();
		this.messengerProfiles.reset();
		this.welcomeFlows.reset();
		this.customers.reset();
	}
}
