/** Per-customer User Profile answers and per-account switches, set by tests. */

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

export class ProfileStore {
	private readonly profiles = new Map<string, SandboxProfile>();
	private readonly accountOptionsById = new Map<string, SandboxAccountOptions>();

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

	reset(): void {
		this.profiles.clear();
		this.accountOptionsById.clear();
	}
}
