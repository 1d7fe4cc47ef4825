import type { Customer, FacebookPageAccount, InstagramLoginAccount } from './types';

/** Seeded accounts and constants; tests and scripts reuse these instead of repeating literals. */
export const SANDBOX_DEFAULTS = {
	host: '127.0.0.1',
	/** Port used by the CLI when neither --port nor SANDBOX_PORT is given. */
	cliPort: 18080,
	instagram: {
		flavour: 'instagram',
		igUserId: '17841400000000001',
		id: '27000000000000001',
		username: 'sandbox_shop',
		name: 'Sandbox Shop',
		accountType: 'Business',
		accessToken: 'IGAA-sandbox-access-token',
		instagramAppId: '990000000000001',
		instagramAppSecret: 'sandbox-instagram-app-secret',
		metaAppId: '880000000000011',
		metaAppSecret: 'sandbox-meta-app-secret-of-instagram-app',
	} as const satisfies InstagramLoginAccount,
	facebookPage: {
		flavour: 'facebookPage',
		pageId: '100000000000001',
		pageName: 'Sandbox Page',
		igUserId: '17841400000000002',
		username: 'sandbox_page_shop',
		pageAccessToken: 'EAAB-sandbox-page-token',
		metaAppId: '880000000000001',
		metaAppSecret: 'sandbox-meta-app-secret',
	} as const satisfies FacebookPageAccount,
	/** A Facebook user token of someone with tasks on the sandbox Page (flavour B login). */
	facebookUserToken: 'EAAB-sandbox-user-token',
	customer: {
		id: '1111111111111111',
		username: 'sandbox_customer',
		name: 'Sandbox Customer',
	} as const satisfies Customer,
	/**
	 * Graph API versions usable on 1 Dec 2026 (Graph API changelog, 29 Oct 2026): v21.0 (until
	 * 21 Jan 2027) to the version released on 4 Nov 2026 (v27.0); v20.0 retired on 24 Sep 2026.
	 */
	versions: { min: 21, max: 27 },
	deliveryTimeoutMs: 10_000,
} as const;

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
/** Standard messaging window (instagram-api.md §3.2). */
export const STANDARD_WINDOW_MS = 24 * HOUR_MS;
/** HUMAN_AGENT tag window. */
export const HUMAN_AGENT_WINDOW_MS = 7 * DAY_MS;
/** message.text limit in UTF-8 bytes (§3.3). */
export const MAX_TEXT_BYTES = 1000;
