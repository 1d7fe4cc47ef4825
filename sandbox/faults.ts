import { GraphError, defaultFaultError } from './errors';
import type { FaultSpec } from './types';

export interface ActiveFault {
	id: number;
	method?: string;
	path: RegExp;
	status?: number;
	error?: FaultSpec['error'];
	remaining: number;
	delayMs: number;
	reset: boolean;
	afterHandling: boolean;
	everyNth: number;
	/** Matching requests seen so far (for everyNth). */
	seen: number;
	headers: Record<string, string>;
}

/** What a matched fault asks the server to do with one request. */
export interface FaultAction {
	fault: ActiveFault;
	delayMs: number;
	/** Destroy the socket. */
	reset: boolean;
	/** Handle the request normally first, then fail. */
	afterHandling: boolean;
	/** Answer with this error instead of handling the request. */
	error?: GraphError;
}

/** Public view of an active fault (JSON-friendly). */
export interface FaultView {
	id: number;
	method?: string;
	path: string;
	status?: number;
	error?: FaultSpec['error'];
	remaining: number | 'always';
	delayMs: number;
	reset: boolean;
	afterHandling: boolean;
	everyNth: number;
}

/**
 * Injected Meta errors / latency / connection resets for the next matching Graph requests.
 * First matching fault wins; each match consumes one of its `times`.
 */
export class FaultRegistry {
	private faults: ActiveFault[] = [];
	private nextId = 1;

	add(spec: FaultSpec): FaultView {
		const times = spec.times ?? 1;
		if (!(times > 0)) throw new Error('fault.times must be > 0');
		if (spec.status === undefined && spec.delayMs === undefined && !spec.reset) {
			throw new Error('a fault needs a status, a delayMs or reset: true');
		}
		const everyNth = spec.everyNth ?? 1;
		if (!Number.isInteger(everyNth) || everyNth < 1)
			throw new Error('fault.everyNth must be a whole number ≥ 1');
		if (spec.status !== undefined && (spec.status < 100 || spec.status > 599)) {
			throw new Error('fault.status must be an HTTP status');
		}
		const fault: ActiveFault = {
			id: this.nextId++,
			method: spec.method?.toUpperCase(),
			path: typeof spec.path === 'string' ? new RegExp(spec.path) : spec.path,
			status: spec.status,
			error: spec.error,
			remaining: times,
			delayMs: spec.delayMs ?? 0,
			reset: spec.reset ?? false,
			afterHandling: spec.afterHandling ?? false,
			everyNth,
			seen: 0,
			headers: { ...spec.headers },
		};
		this.faults.push(fault);
		return FaultRegistry.view(fault);
	}

	clear(): void {
		this.faults = [];
	}

	list(): FaultView[] {
		return this.faults.map((f) => FaultRegistry.view(f));
	}

	/** Consume the first fault matching this request, if any. */
	take(method: string, path: string): FaultAction | undefined {
		const matching = this.faults.filter(
			(f) => (f.method === undefined || f.method === method) && f.path.test(path),
		);
		for (const f of matching) f.seen += 1;
		const fault = matching.find((f) => f.seen % f.everyNth === 0);
		if (!fault) return undefined;
		fault.remaining -= 1;
		if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
		let error: GraphError | undefined;
		if (fault.status !== undefined) {
			const fields = fault.error
				? { type: 'OAuthException', ...fault.error }
				: defaultFaultError(fault.status);
			error = new GraphError(fault.status, fields, fault.headers);
		}
		return { fault, delayMs: fault.delayMs, reset: fault.reset, afterHandling: fault.afterHandling, error };
	}

	private static view(f: ActiveFault): FaultView {
		return {
			id: f.id,
			method: f.method,
			path: f.path.source,
			status: f.status,
			error: f.error,
			remaining: Number.isFinite(f.remaining) ? f.remaining : 'always',
			delayMs: f.delayMs,
			reset: f.reset,
			afterHandling: f.afterHandling,
			everyNth: f.everyNth,
		};
	}
}
