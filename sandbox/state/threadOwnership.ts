/**
 * Who holds each Instagram thread (Meta's Conversation Routing, §6; docs/meta-fidelity.md).
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
import { graphErrors, threadErrors } from '../errors';
import type { SandboxAccount } from '../types';
import { handoverBase, handoverEvent } from '../webhooks/handover';
import type { HandoverEvent, ThreadChange, ThreadControlAction } from '../webhooks/handover';
import { appIdOf } from './accountApps';

/** Inbox apps Meta documents as handover targets (§6.1). */
export const INSTAGRAM_INBOX_APP_ID = '1217981644879628';
export const FACEBOOK_PAGE_INBOX_APP_ID = '263902037430900';

export type ThreadChangeListener = (change: ThreadChange, event: HandoverEvent) => void;

const NO_OWNER = null;

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
		return this.force(account, customerId, 'pass', byApp, target, metadata, at);
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
		return this.force(account, customerId, 'take', byApp, byApp, metadata, at);
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
		return this.force(account, customerId, 'release', byApp, next, metadata, at);
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
		if (owner === null) return this.force(account, customerId, 'pass', byApp, byApp, metadata, at);
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
			...handoverBase(change),
			request_thread_control: {
				requested_owner_app_id: byApp,
				...(metadata !== undefined ? { metadata } : {}),
			},
		};
		for (const listener of this.listeners) listener(change, event);
		return change;
	}

	/** Sets the owner without Meta's permission checks (the simulated inbox, test setup, and the checked calls above). */
	force(
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
