import type { WebhookConfig } from '../types';
import type { AccountDirectory } from './accountDirectory';
import { accountApp, subscriptionApp } from './accountApps';
import type { SubscriptionStore } from './subscriptions';

/** Where Meta posts an account's webhooks: set by tests, or decided by an app subscription. */
export class WebhookCallbacks {
	/** Callback per account igUserId; '*' is the default. */
	private readonly byAccount = new Map<string, WebhookConfig>();

	constructor(
		private readonly accounts: AccountDirectory,
		private readonly subscriptions: SubscriptionStore,
	) {}

	set(config: WebhookConfig, accountId = '*'): void {
		this.byAccount.set(accountId, { ...config });
	}

	clear(accountId = '*'): void {
		this.byAccount.delete(accountId);
	}

	/**
	 * The callback for an account, falling back to the default one. When the account's app has a
	 * webhook subscription made through `/{app-id}/subscriptions`, that one decides: events go to
	 * its callback only while the account is subscribed to the app (`subscribed_apps`).
	 */
	get(accountId?: string): WebhookConfig | undefined {
		const account = accountId !== undefined ? this.accounts.byIgUserId(accountId) : undefined;
		const subscription = account
			? this.subscriptions.appSubscription(subscriptionApp(account).appId, 'instagram')
			: undefined;
		if (account && subscription) {
			if (!this.subscriptions.accountSubscription(account.igUserId, accountApp(account).appId))
				return undefined;
			return { callbackUrl: subscription.callbackUrl, verifyToken: subscription.verifyToken };
		}
		return (accountId !== undefined ? this.byAccount.get(accountId) : undefined) ?? this.byAccount.get('*');
	}

	entries(): Array<{ accountId: string; config: WebhookConfig }> {
		return [...this.byAccount.entries()].map(([accountId, config]) => ({ accountId, config }));
	}
}
