/** Conversation routing, the human side (§6): a person in the Instagram Inbox releases or takes a thread. */
import { SANDBOX_DEFAULTS } from './defaults';
import type { InboxActionOptions } from './sandboxOptions';
import type { SandboxState } from './state';
import { appIdOf } from './state/accountApps';
import { INSTAGRAM_INBOX_APP_ID } from './state/threadOwnership';
import type { ThreadChange } from './webhooks/handover';

/** The inbox (or `byAppId`) hands the thread back to this app (a `pass_thread_control` webhook). */
export function inboxReleases(state: SandboxState, now: number, opts: InboxActionOptions): ThreadChange {
	const account = state.account(opts.account ?? 'instagram');
	return state.threads.pass(
		account,
		opts.customerId ?? SANDBOX_DEFAULTS.customer.id,
		opts.byAppId ?? INSTAGRAM_INBOX_APP_ID,
		appIdOf(account),
		opts.metadata,
		now,
	);
}

/** The inbox takes the conversation over (`take_thread_control`); this app may no longer send. */
export function inboxTakes(state: SandboxState, now: number, opts: InboxActionOptions): ThreadChange {
	const account = state.account(opts.account ?? 'instagram');
	const customerId = opts.customerId ?? SANDBOX_DEFAULTS.customer.id;
	const byApp = opts.byAppId ?? INSTAGRAM_INBOX_APP_ID;
	// The inbox acts with the business's authority: it may take from any app.
	return state.threads.force(account, customerId, 'take', byApp, byApp, opts.metadata, now);
}
