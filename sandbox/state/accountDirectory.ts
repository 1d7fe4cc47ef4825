import type { AccountRef, Flavour, SandboxAccount } from '../types';
import { accountApp, accountToken, appAccessToken, subscriptionApp } from './accountApps';

/** The sandbox's accounts, found by igUserId, flavour alias, Page id or seeded token. */
export class AccountDirectory {
	private readonly byId = new Map<string, SandboxAccount>();
	private readonly byToken = new Map<string, SandboxAccount>();

	add(account: SandboxAccount): SandboxAccount {
		if (this.byId.has(account.igUserId)) {
			throw new Error(`sandbox: an account with igUserId ${account.igUserId} already exists`);
		}
		const token = accountToken(account);
		if (this.byToken.has(token)) throw new Error('sandbox: two accounts share an access token');
		this.byId.set(account.igUserId, account);
		this.byToken.set(token, account);
		// App access token `<app id>|<app secret>` (webhook subscriptions, sandbox/graph/subscriptions.ts).
		for (const app of [accountApp(account), subscriptionApp(account)]) {
			if (!this.byToken.has(appAccessToken(app))) this.byToken.set(appAccessToken(app), account);
		}
		return account;
	}

	list(): SandboxAccount[] {
		return [...this.byId.values()];
	}

	byIgUserId(igUserId: string): SandboxAccount | undefined {
		return this.byId.get(igUserId);
	}

	/** The account a seeded account token or app token belongs to. */
	bySeededToken(token: string): SandboxAccount | undefined {
		return this.byToken.get(token);
	}

	/** Resolve a flavour alias (first account of that flavour), an igUserId or a pageId. */
	find(ref: AccountRef = 'instagram'): SandboxAccount | undefined {
		if (ref === 'instagram' || ref === 'facebookPage') {
			return this.list().find((acc) => acc.flavour === (ref as Flavour));
		}
		return (
			this.byId.get(ref) ?? this.list().find((acc) => acc.flavour === 'facebookPage' && acc.pageId === ref)
		);
	}
}
