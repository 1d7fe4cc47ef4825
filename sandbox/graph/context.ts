import type { SandboxClock } from '../clock';
import type { HandlerResult, RequestContext } from '../http';
import type { Route } from '../router';
import type { SandboxState } from '../state';
import type { SentRecord } from '../recordTypes';
import type { SandboxAccount } from '../types';

/** What Graph handlers may use from the sandbox. */
export interface GraphServices {
	state: SandboxState;
	clock: SandboxClock;
	/** Called after a send was accepted and recorded (echo webhooks, waiters). */
	onSent(record: SentRecord): void;
}

/** An authenticated, versioned Graph request. */
export interface GraphContext {
	req: RequestContext;
	/** e.g. 'v23.0' */
	version: string;
	account: SandboxAccount;
	services: GraphServices;
}

/** One Graph route; `path` is relative to the version prefix (e.g. '/:id/messages'). */
export interface GraphRoute extends Route<GraphContext, HandlerResult> {
	/** Failed requests to this route are kept in the `rejected` list (send endpoints). */
	recordRejections?: boolean;
}
