/** Webhook subscriptions: an app's per object (`/{app-id}/subscriptions`) and an account's per app (`subscribed_apps`). */
import type { Flavour } from '../types';
import type { AccountDirectory } from './accountDirectory';
import { accountApp, appAccessToken, subscriptionApp } from './accountApps';
import type { SandboxApp } from './accountApps';

/** One `/{app-id}/subscriptions` entry. */
export interface AppSubscription {
	object: string;
	callbackUrl: string;
	verifyToken: string;
	fields: string[];
	includeValues: boolean;
	active: boolean;
}

export class SubscriptionStore {
	/** App-level webhook subscriptions: app id → object → subscription. */
	private readonly appSubscriptionsById = new Map<string, Map<string, AppSubscription>>();
	/** Account-level subscriptions: igUserId → app id → subscribed fields. */
	private readonly accountSubscriptionsById = new Map<string, Map<string, string[]>>();

	constructor(private readonly accounts: AccountDirectory) {}

	/**
	 * The app-level fields deliveries to this account are limited to: those of the app
	 * subscription that routes them, or undefined when a test set the callback directly.
	 */
	subscribedFields(accountId: string): string[] | undefined {
		const account = this.accounts.byIgUserId(accountId);
		if (!account) return undefined;
		const subscription = this.appSubscription(subscriptionApp(account).appId, 'instagram');
		return subscription ? [...subscription.fields] : undefined;
	}

	/** The Meta app whose app access token this is (the only app `/{app-id}/subscriptions` accepts). */
	appByToken(token: string): SandboxApp | undefined {
		for (const account of this.accounts.list()) {
			const app = subscriptionApp(account);
			if (appAccessToken(app) === token) return app;
		}
		return undefined;
	}

	/** Any app token: a Meta app's, or an Instagram app's (`<instagram app id>|<instagram app secret>`). */
	anyAppByToken(token: string): SandboxApp | undefined {
		for (const account of this.accounts.list()) {
			for (const app of [subscriptionApp(account), accountApp(account)])
				if (appAccessToken(app) === token) return app;
		}
		return undefined;
	}

	/** The setup of the accounts a Meta app's subscription serves (it decides the valid fields). */
	flavourOfSubscriptionApp(appId: string): Flavour | undefined {
		for (const account of this.accounts.list())
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
		const account = this.accounts.byIgUserId(accountId);
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

	clear(): void {
		this.appSubscriptionsById.clear();
		this.accountSubscriptionsById.clear();
	}
}
