/**
 * Everything this package keeps in the memory of one n8n process, declared in one place.
 *
 * n8n gives a node no cache shared between processes, so in queue mode the main process, every
 * webhook processor and every worker has its own copy of each entry, and a restart empties them.
 * Every entry must therefore be safe to lose and to exist several times; what several processes
 * mean for each one is in docs/architecture.md ("Per-process state"). Each entry is bounded (when
 * it is full, its oldest key goes first) unless its size is bounded by the work in flight.
 */
export const PER_PROCESS_STATE = {
	sendSlots: 'transport/rateLimit.ts: the next free call slot per account and rate class',
	recipientQueues: "transport/serialize.ts: the tail of each recipient's queue of sends",
	customerLastMessage:
		'actions/send/lastCustomerMessage.ts: when a customer last wrote, looked up once per customer and execution',
	signingSecrets: "trigger/secrets.ts: a trigger's webhook signing secrets, re-read after a minute",
	eventKeysSeen: 'trigger/seenEvents.ts: dedup keys of deliveries accepted or started in this process',
	sharedKeyWriters:
		"sharedClaims.ts: one writer per row of n8n's processed-data store (a trigger's event claims, a workflow's disclosure claims), so this process's writes never overwrite each other",
	refusalWarnings: 'trigger/refusalLog.ts: when a trigger last logged a refused request',
	tokenRefreshes: 'credentials/common/tokenRefresh.ts: the token refresh in flight, or its back-off',
	refreshSpread: "transport/tokenRules.ts: this process's salt for its place in a due token's refresh window",
	exchangedTokens:
		'credentials/InstagramLoginOAuth2Api.credentials.ts: the 60-day token obtained for an OAuth2 connection',
	tokenExchanges:
		'credentials/InstagramLoginOAuth2Api.credentials.ts: the exchange for a 60-day token in flight, shared by concurrent requests',
} as const;

export type PerProcessStateName = keyof typeof PER_PROCESS_STATE;

/** A Map that forgets its oldest key once it holds `maxEntries`. */
export class BoundedMap<K, V> extends Map<K, V> {
	constructor(readonly maxEntries: number) {
		super();
	}

	set(key: K, value: V): this {
		if (!this.has(key) && this.size >= this.maxEntries) {
			const oldest = this.keys().next();
			if (oldest.done !== true) this.delete(oldest.value);
		}
		return super.set(key, value);
	}
}

const registry = new Map<PerProcessStateName, BoundedMap<unknown, unknown>>();

/** The map behind one entry of `PER_PROCESS_STATE`, created by the one module that owns it. */
export function perProcessMap<K, V>(name: PerProcessStateName, maxEntries: number): BoundedMap<K, V> {
	const existing = registry.get(name);
	if (existing) return existing as BoundedMap<K, V>;
	const map = new BoundedMap<K, V>(maxEntries);
	registry.set(name, map as BoundedMap<unknown, unknown>);
	return map;
}

/** What this process holds now, entry by entry (for diagnostics, and for tests of a fresh process). */
export function perProcessState(): ReadonlyMap<
	PerProcessStateName,
	{ readonly size: number; clear(): void }
> {
	return registry;
}

/**
 * What one node run keeps while it runs, keyed by the run's execute context: weakly held, so it
 * ends with the run; declared here with the rest, so that no module keeps state of its own.
 */
export const PER_RUN_STATE = {
	haltedRuns: 'transport/halt.ts: runs the router halted (no further call starts)',
	writesMade: "transport/halt.ts: a run's items that already made a write Meta accepted",
	businessAccountIds: 'actions/businessAccount.ts: the business account id, looked up once per run',
} as const;

export type PerRunStateName = keyof typeof PER_RUN_STATE;

const runRegistry = new Map<PerRunStateName, WeakMap<object, unknown>>();

/** The weak map behind one entry of `PER_RUN_STATE`, created by the one module that owns it. */
export function perRunMap<V>(name: PerRunStateName): WeakMap<object, V> {
	const existing = runRegistry.get(name);
	if (existing) return existing as WeakMap<object, V>;
	const map = new WeakMap<object, V>();
	runRegistry.set(name, map as WeakMap<object, unknown>);
	return map;
}
