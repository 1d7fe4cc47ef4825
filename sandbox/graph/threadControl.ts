/**
 * Conversation Routing (Meta's "Conversation Control APIs", Jul 2026; docs/meta-fidelity.md):
 * `POST /{page}/pass_thread_control | take_thread_control | release_thread_control |
 * request_thread_control` and `GET /{page}/thread_owner?recipient=<IGSID>`, served for the Facebook
 * Page setup only: Meta documents them on graph.facebook.com with a Page token and nowhere on
 * graph.instagram.com.
 *
 * Routing is enabled per account unless switched off with `ThreadControl.setRouting` ("zero
 * config": no default app). Take needs routing (else error 27); request only works without it, and
 * on an idle thread hands control to the caller.
 *
 * Model, per (account, customer): the thread is held by one app, or idle. The account's primary
 * app is "this app" (the app behind the sandbox credential) unless changed with
 * `ThreadControl.setPrimary`; an untouched thread belongs to the primary app. While another app
 * (e.g. the Instagram Inbox, 1217981644879628) holds a thread, this app's sends fail with
 * 10/2018300 and the customer's messages arrive under `entry[].standby[]`. Every change of owner
 * is reported to listeners (the server turns them into `pass_thread_control` /
 * `take_thread_control` webhooks). Not modelled: the 24 h ownership expiry, `extend_thread_control`,
 * `pass_thread_metadata`, `secondary_receivers`.
 */
import { GraphError, graphErrors } from '../errors';
import type { HandlerResult } from '../http';
import { formToObject, isJsonObject, optString, withoutSecrets } from '../http';
import type { JsonObject, SandboxAccount } from '../types';
import type { MessagingEvent, WebhookEnvelope } from '../webhooks/payloads';
import type { GraphContext, GraphRoute } from './context';

/** Inbox apps Meta documents as handover targets (§6.1). */
export const INSTAGRAM_INBOX_APP_ID = '1217981644879628';
export const FACEBOOK_PAGE_INBOX_APP_ID = '263902037430900';

/** The app id the sandbox credential of this account belongs to ("this app"). */
export function appIdOf(account: SandboxAccount): string {
	return account.flavour === 'instagram' ? account.instagramAppId : account.metaAppId;
}

export type ThreadControlAction = 'pass' | 'take' | 'release' | 'request';

/** A handover webhook event (`entry[].messaging[]` item) as Meta sends it (§2.7.16). */
export interface HandoverEvent extends MessagingEvent {
	pass_thread_control?: {
		previous_owner_app_id: string | null;
		new_owner_app_id: string | null;
		metadata?: string;
	};
	take_thread_control?: { previous_owner_app_id: string | null; new_owner_app_id: string; metadata?: string };
	request_thread_control?: { requested_owner_app_id: string; metadata?: string };
}

export interface ThreadChange {
	accountId: string;
	customerId: string;
	action: ThreadControlAction;
	/** The app that made the call (or the inbox, for simulated human actions). */
	byAppId: string;
	previousOwner: string | null;
	newOwner: string | null;
	metadata?: string;
	at: number;
}

export type ThreadChangeListener = (change: ThreadChange, event: HandoverEvent) => void;

const NO_OWNER = null;
/** A thread falls idle 24 h after the customer's last message (Conversation Routing for Instagram). */
const THREAD_OWNERSHIP_MS = 24 * 60 * 60 * 1000;

export const threadErrors = {
	/** §6.1 / §7.2: another app holds the thread. */
	anotherAppControls: () =>
		new GraphError(400, {
			message: '(#10) Another app is controlling this thread.',
			type: 'OAuthException',
			code: 10,
			error_subcode: 2018300,
			error_user_msg: 'Another app is controlling this thread',
			is_transient: false,
		}),
	/** Meta's error table: 100 / 2534037 "action is invalid since it's not the thread owner". */
	notOwner: (action: string) =>
		new GraphError(400, {
			message: `(#100) The ${action} action is invalid since it's not the thread owner.`,
			type: 'OAuthException',
			code: 100,
			error_subcode: 2534037,
			is_transient: false,
		}),
	/** Wording from a live log (docs/meta-fidelity.md: not in Meta's error table). */
	routingNotEnabled: () =>
		new GraphError(400, {
			message: '(#27) Take thread control is not supported when Conversation Routing is not enabled.',
			type: 'OAuthException',
			code: 27,
		}),
	/** Meta: request_thread_control "is only available when conversation routing is not enabled" (error code assumed). */
	requestWithRouting: () =>
		new GraphError(400, {
			message: '(#100) Request thread control is not available when Conversation Routing is enabled.',
			type: 'OAuthException',
			code: 100,
		}),
	notPrimary: () =>
		new GraphError(400, {
			message: '(#10) Only the primary receiver app can take thread control',
			type: 'OAuthException',
			code: 10,
			is_transient: false,
		}),
};

/** Thread ownership of every (account, customer), plus who is primary per account. */
export class ThreadControl {
	/** `${accountId}:${customerId}` → owner app id, or null = idle. Absent = primary app. */
	private readonly owners = new Map<string, string | null>();
	/** accountId → primary app id; absent = this app; null = no primary (threads start idle). */
	private readonly primaries = new Map<string, string | null>();
	/** accountIds whose Page has no Conversation Routing default app ("zero config"). */
	private readonly withoutRouting = new Set<string>();
	/** `${accountId}:${customerId}` → when the current owner got the thread (for `expiration`). */
	private readonly since = new Map<string, number>();
	/** accountId → further app ids connected to the account (valid pass targets). */
	private readonly apps = new Map<string, Set<string>>();
	private readonly listeners = new Set<ThreadChangeListener>();
	/** Every control request received (request_thread_control), oldest first. */
	readonly requests: ThreadChange[] = [];
	/** Every change of owner, oldest first. */
	readonly changes: ThreadChange[] = [];

	onChange(listener: ThreadChangeListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Make `appId` the account's primary app (`null`: none, threads start idle). Default: this app. */
	setPrimary(account: SandboxAccount, appId: string | null): void {
		this.primaries.set(account.igUserId, appId);
	}

	/** Conversation Routing on (default) or off for the account. */
	setRouting(account: SandboxAccount, enabled: boolean): void {
		if (enabled) this.withoutRouting.delete(account.igUserId);
		else this.withoutRouting.add(account.igUserId);
	}

	routingEnabled(account: SandboxAccount): boolean {
		return !this.withoutRouting.has(account.igUserId);
	}

	/** When the current owner got the thread (ms), or undefined for an untouched thread. */
	ownedSince(account: SandboxAccount, customerId: string): number | undefined {
		return this.since.get(`${account.igUserId}:${customerId}`);
	}

	primary(account: SandboxAccount): string | null {
		const configured = this.primaries.get(account.igUserId);
		return configured === undefined ? appIdOf(account) : configured;
	}

	/** Connect another app to the account, so that control can be passed to it. */
	addApp(account: SandboxAccount, appId: string): void {
		const set = this.apps.get(account.igUserId) ?? new Set<string>();
		set.add(appId);
		this.apps.set(account.igUserId, set);
	}

	/** Apps control can be passed to: this app, the primary, the inbox apps and added apps. */
	knownApps(account: SandboxAccount): string[] {
		const list = [
			appIdOf(account),
			INSTAGRAM_INBOX_APP_ID,
			FACEBOOK_PAGE_INBOX_APP_ID,
			...(this.apps.get(account.igUserId) ?? []),
		];
		const primary = this.primary(account);
		if (primary !== null) list.push(primary);
		return [...new Set(list)];
	}

	/** The app holding the thread, or null when idle. */
	owner(account: SandboxAccount, customerId: string): string | null {
		const key = `${account.igUserId}:${customerId}`;
		return this.owners.has(key) ? (this.owners.get(key) ?? NO_OWNER) : this.primary(account);
	}

	/** Whether `appId` may send to the customer: it owns the thread, or the thread is idle. */
	maySend(account: SandboxAccount, customerId: string, appId: string = appIdOf(account)): boolean {
		const owner = this.owner(account, customerId);
		return owner === null || owner === appId;
	}

	/** Whether the customer's events go to `standby[]` for this app (another app holds the thread). */
	isStandby(account: SandboxAccount, customerId: string): boolean {
		return !this.maySend(account, customerId);
	}

	/** All threads whose owner was set explicitly. */
	list(): Array<{ accountId: string; customerId: string; ownerAppId: string | null }> {
		return [...this.owners.entries()].map(([key, ownerAppId]) => {
			const [accountId = '', customerId = ''] = key.split(':');
			return { accountId, customerId, ownerAppId };
		});
	}

	/** Forgets owners, requests, primaries and added apps (listeners stay). */
	reset(): void {
		this.owners.clear();
		this.since.clear();
		this.withoutRouting.clear();
		this.primaries.clear();
		this.apps.clear();
		this.requests.length = 0;
		this.changes.length = 0;
	}

	// ---- the four actions (callers: Graph routes and the simulated inbox) ----------------------

	/** `byApp` hands the thread to `target`. Throws the Graph error Meta would answer with. */
	pass(
		account: SandboxAccount,
		customerId: string,
		byApp: string,
		target: string,
		metadata: string | undefined,
		at: number,
	): ThreadChange {
		const owner = this.owner(account, customerId);
		if (owner !== null && owner !== byApp) throw threadErrors.notOwner('pass');
		if (!this.knownApps(account).includes(target)) {
			throw graphErrors.invalidParameter(
				`Param target_app_id must be the id of an app connected to this account (got ${target})`,
			);
		}
		if (target === byApp)
			throw graphErrors.invalidParameter('Cannot pass thread control to the app that holds it');
		return this.apply(account, customerId, 'pass', byApp, target, metadata, at);
	}

	/** The primary app (or any app on an idle thread) takes the thread. */
	take(
		account: SandboxAccount,
		customerId: string,
		byApp: string,
		metadata: string | undefined,
		at: number,
	): ThreadChange {
		if (!this.routingEnabled(account)) throw threadErrors.routingNotEnabled();
		const owner = this.owner(account, customerId);
		if (owner !== null && byApp !== this.primary(account)) throw threadErrors.notPrimary();
		return this.apply(account, customerId, 'take', byApp, byApp, metadata, at);
	}

	/** The owner gives the thread up: a secondary app returns it to the primary; the primary leaves it idle. */
	release(
		account: SandboxAccount,
		customerId: string,
		byApp: string,
		metadata: string | undefined,
		at: number,
	): ThreadChange {
		const owner = this.owner(account, customerId);
		if (owner !== byApp) throw threadErrors.notOwner('release');
		const primary = this.primary(account);
		const next = byApp === primary ? null : primary;
		return this.apply(account, customerId, 'release', byApp, next, metadata, at);
	}

	/**
	 * `byApp` asks the owner for the thread (only without routing). Recorded; the owner decides,
	 * except on an idle thread, which Meta hands to the caller with a pass webhook.
	 */
	request(
		account: SandboxAccount,
		customerId: string,
		byApp: string,
		metadata: string | undefined,
		at: number,
	): ThreadChange {
		if (this.routingEnabled(account)) throw threadErrors.requestWithRouting();
		const owner = this.owner(account, customerId);
		if (owner === null) return this.apply(account, customerId, 'pass', byApp, byApp, metadata, at);
		const change: ThreadChange = {
			accountId: account.igUserId,
			customerId,
			action: 'request',
			byAppId: byApp,
			previousOwner: owner,
			newOwner: owner,
			at,
			...(metadata !== undefined ? { metadata } : {}),
		};
		this.requests.push(change);
		const event: HandoverEvent = {
			...base(change),
			request_thread_control: {
				requested_owner_app_id: byApp,
				...(metadata !== undefined ? { metadata } : {}),
			},
		};
		for (const listener of this.listeners) listener(change, event);
		return change;
	}

	/** Sets the owner without Meta's permission checks (the simulated inbox, test setup). */
	force(
		account: SandboxAccount,
		customerId: string,
		action: ThreadControlAction,
		byApp: string,
		next: string | null,
		metadata: string | undefined,
		at: number,
	): ThreadChange {
		return this.apply(account, customerId, action, byApp, next, metadata, at);
	}

	private apply(
		account: SandboxAccount,
		customerId: string,
		action: ThreadControlAction,
		byApp: string,
		next: string | null,
		metadata: string | undefined,
		at: number,
	): ThreadChange {
		const previous = this.owner(account, customerId);
		this.owners.set(`${account.igUserId}:${customerId}`, next);
		this.since.set(`${account.igUserId}:${customerId}`, at);
		const change: ThreadChange = {
			accountId: account.igUserId,
			customerId,
			action,
			byAppId: byApp,
			previousOwner: previous,
			newOwner: next,
			at,
			...(metadata !== undefined ? { metadata } : {}),
		};
		this.changes.push(change);
		const event = handoverEvent(change);
		if (event) for (const listener of this.listeners) listener(change, event);
		return change;
	}
}

function base(change: ThreadChange): MessagingEvent {
	return { sender: { id: change.customerId }, recipient: { id: change.accountId }, timestamp: change.at };
}

/**
 * The webhook event for a change of owner (§2.7.16): `take_thread_control` for a take, else
 * `pass_thread_control` (a release by a secondary app reaches the primary app as a pass).
 * A release that leaves the thread idle, and a take from idle, produce no event.
 */
export function handoverEvent(change: ThreadChange): HandoverEvent | undefined {
	const meta = change.metadata !== undefined ? { metadata: change.metadata } : {};
	// "If the thread was taken from idle state, no webhooks would be sent."
	if (change.action === 'take' && change.previousOwner === null) return undefined;
	if (change.action === 'take' && change.newOwner !== null) {
		return {
			...base(change),
			take_thread_control: {
				previous_owner_app_id: change.previousOwner,
				new_owner_app_id: change.newOwner,
				...meta,
			},
		};
	}
	if (change.newOwner === null) return undefined;
	return {
		...base(change),
		pass_thread_control: {
			previous_owner_app_id: change.previousOwner,
			new_owner_app_id: change.newOwner,
			...meta,
		},
	};
}

/**
 * Envelope for inbound customer events, routed by ownership: `messaging[]` when this app may
 * answer, `standby[]` while another app holds the thread (§2.6, §2.7.16).
 */
export function envelopeByOwnership(
	threads: ThreadControl,
	account: SandboxAccount,
	customerId: string,
	events: MessagingEvent[],
	time: number,
): WebhookEnvelope {
	const key = threads.isStandby(account, customerId) ? 'standby' : 'messaging';
	return { object: 'instagram', entry: [{ id: account.igUserId, time, [key]: events }] };
}

// ---- Graph routes ----------------------------------------------------------------------------------

/** Page setup only; on graph.instagram.com Meta documents no thread-control edge. */
function assertSelf(ctx: GraphContext, pathId: string, method: string, edge: string): void {
	const { account } = ctx;
	if (account.flavour === 'instagram') throw graphErrors.unknownPath(`/${edge}`);
	if (pathId !== 'me' && pathId !== account.pageId) throw graphErrors.unsupportedRequest(method, pathId);
}

function recipientOf(ctx: GraphContext, params: JsonObject): string {
	const recipient = params.recipient;
	const id = isJsonObject(recipient) ? optString(recipient, 'id') : undefined;
	if (!id) throw graphErrors.invalidParameter('The parameter recipient is required');
	if (!ctx.services.state.customer(ctx.account.igUserId, id)) throw graphErrors.noMatchingUser();
	return id;
}

function metadataOf(params: JsonObject): string | undefined {
	const metadata = params.metadata;
	if (metadata === undefined) return undefined;
	if (typeof metadata !== 'string') throw graphErrors.invalidParameter('Param metadata must be a string');
	if (metadata.length > 1000)
		throw graphErrors.invalidParameter('Param metadata must be at most 1000 characters long');
	return metadata;
}

function controlRoute(action: ThreadControlAction): GraphRoute {
	return {
		method: 'POST',
		path: `/:id/${action}_thread_control`,
		handler: (ctx, params): HandlerResult => {
			assertSelf(ctx, params.id ?? '', 'POST', `${action}_thread_control`);
			if (ctx.req.bodyError) throw graphErrors.invalidParameter(`Invalid request body: ${ctx.req.bodyError}`);
			const body = withoutSecrets({ ...formToObject(ctx.req.query), ...ctx.req.body });
			const customerId = recipientOf(ctx, body);
			const metadata = metadataOf(body);
			const { state, clock } = ctx.services;
			const self = appIdOf(ctx.account);
			const now = clock.now();
			if (action === 'pass') {
				const target = optString(body, 'target_app_id') ?? INSTAGRAM_INBOX_APP_ID;
				if (!/^\d+$/.test(target))
					throw graphErrors.invalidParameter('Param target_app_id must be a valid app id');
				state.threads.pass(ctx.account, customerId, self, target, metadata, now);
			} else if (action === 'take') state.threads.take(ctx.account, customerId, self, metadata, now);
			else if (action === 'release') state.threads.release(ctx.account, customerId, self, metadata, now);
			else state.threads.request(ctx.account, customerId, self, metadata, now);
			return { status: 200, json: { success: true } };
		},
	};
}

/**
 * Meta: the owner or the default app gets `app_id` and `expiration`; another app gets only
 * `expiration` while the thread is held; an idle thread gives an empty answer.
 */
function getThreadOwner(ctx: GraphContext, params: Record<string, string>): HandlerResult {
	assertSelf(ctx, params.id ?? '', 'GET', 'thread_owner');
	const customerId = ctx.req.query.get('recipient');
	if (!customerId) throw graphErrors.invalidParameter('The parameter recipient is required');
	if (!ctx.services.state.customer(ctx.account.igUserId, customerId)) throw graphErrors.noMatchingUser();
	const threads = ctx.services.state.threads;
	const owner = threads.owner(ctx.account, customerId);
	if (owner === null) return { status: 200, json: { data: [] } };
	const self = appIdOf(ctx.account);
	const since = threads.ownedSince(ctx.account, customerId) ?? ctx.services.clock.now();
	const expiration = Math.floor((since + THREAD_OWNERSHIP_MS) / 1000);
	const seesOwner = owner === self || threads.primary(ctx.account) === self;
	const threadOwner = seesOwner ? { app_id: owner, expiration } : { expiration };
	return { status: 200, json: { data: [{ thread_owner: threadOwner }] } };
}

export const threadControlRoutes: GraphRoute[] = [
	controlRoute('pass'),
	controlRoute('take'),
	controlRoute('release'),
	controlRoute('request'),
	{ method: 'GET', path: '/:id/thread_owner', handler: getThreadOwner },
];
