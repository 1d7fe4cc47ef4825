import type { JsonObject } from '../types';

/** The messenger profile fields the sandbox serves (instagram-api.md §5). */
export const PROFILE_FIELDS = ['ice_breakers', 'persistent_menu'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** The stored profile of one account: only fields that were set. */
export type MessengerProfile = Partial<Record<ProfileField, JsonObject[]>>;

/** Ice breakers and persistent menu per account igUserId (§5; `graph/messengerProfile.ts`). */
export class MessengerProfileStore {
	private readonly byAccount = new Map<string, MessengerProfile>();

	/** The account's stored messenger profile (mutable; created empty on first use). */
	of(accountId: string): MessengerProfile {
		let profile = this.byAccount.get(accountId);
		if (!profile) {
			profile = {};
			this.byAccount.set(accountId, profile);
		}
		return profile;
	}

	reset(): void {
		this.byAccount.clear();
	}
}
