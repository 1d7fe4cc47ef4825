import type { Conversation, ConversationMessage } from '../contentTypes';
import type { CustomerBook } from './customers';

/** Conversation ids are opaque to clients; the sandbox encodes account and customer in them. */
export function conversationIdFor(accountId: string, customerId: string): string {
	return Buffer.from(`ig:conversation:${accountId}:${customerId}`).toString('base64url');
}

/** Every (account, customer) conversation and its messages. */
export class ConversationStore {
	private readonly byKey = new Map<string, Conversation>();

	constructor(private readonly customers: CustomerBook) {}

	get(accountId: string, customerId: string): Conversation | undefined {
		return this.byKey.get(`${accountId}:${customerId}`);
	}

	list(accountId?: string): Conversation[] {
		return [...this.byKey.values()].filter((c) => accountId === undefined || c.accountId === accountId);
	}

	private ensure(accountId: string, customerId: string): Conversation {
		const key = `${accountId}:${customerId}`;
		let conv = this.byKey.get(key);
		if (!conv) {
			conv = { accountId, customerId, messages: [] };
			this.byKey.set(key, conv);
		}
		return conv;
	}

	/** A message from the customer: registers the customer and (re)opens the window. */
	recordInbound(
		accountId: string,
		customerId: string,
		message: Omit<ConversationMessage, 'direction'>,
	): Conversation {
		if (!this.customers.get(accountId, customerId)) this.customers.add(accountId, { id: customerId });
		const conv = this.ensure(accountId, customerId);
		conv.messages.push({ ...message, direction: 'inbound' });
		conv.messages.sort((x, y) => x.at - y.at);
		if (conv.lastInboundAt === undefined || message.at > conv.lastInboundAt) conv.lastInboundAt = message.at;
		return conv;
	}

	/** A person's first message after a Click-to-Direct ad: the window may last 7 days from it. */
	openAdWindow(accountId: string, customerId: string, until: number): void {
		const conv = this.ensure(accountId, customerId);
		conv.adWindowUntil = Math.max(conv.adWindowUntil ?? 0, until);
	}

	recordOutbound(
		accountId: string,
		customerId: string,
		message: Omit<ConversationMessage, 'direction'>,
	): void {
		this.ensure(accountId, customerId).messages.push({ ...message, direction: 'outbound' });
	}

	/** The conversation behind an id, if it belongs to this account. */
	byId(accountId: string, id: string): Conversation | undefined {
		return this.list(accountId).find((c) => conversationIdFor(c.accountId, c.customerId) === id);
	}

	/** A message of one of this account's conversations, by mid. */
	findMessage(
		accountId: string,
		mid: string,
	): { conversation: Conversation; message: ConversationMessage } | undefined {
		for (const conversation of this.list(accountId)) {
			const message = conversation.messages.find((m) => m.mid === mid);
			if (message) return { conversation, message };
		}
		return undefined;
	}

	reset(): void {
		this.byKey.clear();
	}
}
