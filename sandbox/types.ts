/**
 * Shared types of the Meta sandbox. Ids are always strings (Meta ids exceed 2^53).
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
	[key: string]: JsonValue;
}

export type Flavour = 'instagram' | 'facebookPage';

/** Flavour A — Instagram API with Instagram Login (graph.instagram.com). */
export interface InstagramLoginAccount {
	flavour: 'instagram';
	/** IG professional account id (`IG_ID`): webhook `entry[].id`, `/me?fields=user_id`. */
	igUserId: string;
	/** App-scoped id returned as `id` by `/me` (does NOT match webhooks). */
	id: string;
	username: string;
	name: string;
	accountType: 'Business' | 'Media_Creator';
	accessToken: string;
	/** The Instagram app ("API setup with Instagram login"): OAuth, token, webhook signatures. */
	instagramAppId: string;
	instagramAppSecret: string;
	/**
	 * The Meta app that holds the Instagram product (App settings → Basic): its app token manages
	 * `/{app-id}/subscriptions`, where Meta documents only the Meta app (docs/meta-fidelity.md).
	 */
	metaAppId: string;
	metaAppSecret: string;
}

/** Flavour B — Messenger API for Instagram through a Facebook Page (graph.facebook.com). */
export interface FacebookPageAccount {
	flavour: 'facebookPage';
	pageId: string;
	pageName: string;
	/** IG professional account linked to the Page (webhook `entry[].id`). */
	igUserId: string;
	username: string;
	pageAccessToken: string;
	metaAppId: string;
	metaAppSecret: string;
}

export type SandboxAccount = InstagramLoginAccount | FacebookPageAccount;

/** How tests refer to an account: a flavour alias (its primary account), an IG user id or a Page id. */
export type AccountRef = Flavour | string;

export interface Customer {
	/** IGSID — scoped to (person, business account). */
	id: string;
	username?: string;
	name?: string;
}

export interface SandboxConfig {
	host: string;
	/** 0 = random free port. */
	port: number;
	/** Base time source (ms). The clock offset is applied on top of it. */
	now?: () => number;
	/** Overrides of the seeded primary accounts, field by field. */
	accounts?: {
		instagram?: Partial<Omit<InstagramLoginAccount, 'flavour'>>;
		facebookPage?: Partial<Omit<FacebookPageAccount, 'flavour'>>;
	};
	/** Further accounts beyond the two seeded ones. */
	extraAccounts?: SandboxAccount[];
	/** Customers known to every account (default: the sandbox customer). */
	customers?: Customer[];
	/** Default webhook callback (Meta's app-level subscription callback URL). */
	webhook?: WebhookConfig;
	/** Send a signed `is_echo` webhook for every accepted send. Off by default. */
	echoes?: boolean;
	/** Usable Graph API versions (major numbers), inclusive; older ones are served as `min`. Default 21..27. */
	versions?: { min: number; max: number };
	/** Timeout for outgoing webhook deliveries (ms). Default 10000. */
	deliveryTimeoutMs?: number;
	/**
	 * Conversations API calls allowed per second per account (instagram-api.md §7.4: 2). More are
	 * refused with Meta's throttling error 613. Default 2; null turns the limit off.
	 */
	conversationsRateLimit?: number | null;
	/**
	 * Send API calls allowed per second per account (instagram-api.md §7.4): `text` (text, links,
	 * reactions, stickers, sender actions; Meta: 300) and `audioVideo` (audio or video attachments;
	 * Meta: 10). More are refused with Meta's throttling error 613. Default Meta's numbers; a class
	 * set to null is unlimited; null turns both off.
	 */
	sendRateLimit?: Partial<SendRateLimits> | null;
}

/** Send API calls per second per account, per class; null = unlimited (`sandbox/graph/sendRateLimit.ts`). */
export interface SendRateLimits {
	text: number | null;
	audioVideo: number | null;
}

export interface WebhookConfig {
	callbackUrl: string;
	verifyToken?: string;
}

export type SignatureMode = 'valid' | 'none' | 'forged' | 'wrongSecret' | 'tampered';

/** Meta Graph error object (instagram-api.md §7.1). */
export interface GraphErrorBody {
	message: string;
	type: string;
	code: number;
	error_subcode?: number;
	error_user_title?: string;
	error_user_msg?: string;
	is_transient?: boolean;
	fbtrace_id: string;
}

export interface FaultSpec {
	/** HTTP method to match (any when absent). */
	method?: string;
	/** Regular expression matched against the request path (e.g. `/messages$`). */
	path: string | RegExp;
	/** HTTP status to answer with. Absent = delay only, then handle normally. */
	status?: number;
	error?: {
		code: number;
		error_subcode?: number;
		message: string;
		type?: string;
		is_transient?: boolean;
		error_user_title?: string;
		error_user_msg?: string;
	};
	/** How many matching requests are affected. Default 1; Infinity = until cleared. */
	times?: number;
	delayMs?: number;
	/** Destroy the connection instead of answering (network error on the client). */
	reset?: boolean;
	/**
	 * Handle the request first (a send is delivered and recorded in `sent`), then answer with the
	 * error or reset the connection: Meta's "the messages are all sent successfully, but the
	 * endpoint returns an error" (code 1 / 1357046, Messenger Platform error codes).
	 */
	afterHandling?: boolean;
	/** Only every Nth matching request is affected (1 = each); `times` counts affected requests. */
	everyNth?: number;
	/** Extra response headers (e.g. X-Business-Use-Case-Usage). */
	headers?: Record<string, string>;
}
