/** Which token, secret and app belong to an account, per flavour (instagram-api.md §1, §2.3, §2.5). */
import type { SandboxAccount } from '../types';

/** A Meta app as the webhook subscription edge sees it (instagram-api.md §2.5). */
export interface SandboxApp {
	appId: string;
	appSecret: string;
}

/** The access token an account authenticates with. */
export function accountToken(account: SandboxAccount): string {
	return account.flavour === 'instagram' ? account.accessToken : account.pageAccessToken;
}

/** The secret Meta signs this account's webhooks with (§2.3). */
export function accountAppSecret(account: SandboxAccount): string {
	return account.flavour === 'instagram' ? account.instagramAppSecret : account.metaAppSecret;
}

/** The app an account's webhooks belong to: the Instagram app (A) or the Meta app (B). */
export function accountApp(account: SandboxAccount): SandboxApp {
	return account.flavour === 'instagram'
		? { appId: account.instagramAppId, appSecret: account.instagramAppSecret }
		: { appId: account.metaAppId, appSecret: account.metaAppSecret };
}

/** The app id the sandbox credential of this account belongs to ("this app"). */
export function appIdOf(account: SandboxAccount): string {
	return account.flavour === 'instagram' ? account.instagramAppId : account.metaAppId;
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
