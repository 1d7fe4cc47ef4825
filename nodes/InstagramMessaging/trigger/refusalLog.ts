import type { IWebhookFunctions } from 'n8n-workflow';

import { perProcessMap } from '../processMemory';

/** At most one warning per node this often; the refusals in between are counted in the next one. */
export const WARNING_INTERVAL_MS = 10_000;

const lastWarning = perProcessMap<string, { at: number; suppressed: number }>('refusalWarnings', 1_000);

/**
 * Logs why the trigger refused a request, rate-limited per workflow node, so that a flood of
 * forged requests cannot flood n8n's log. Never logs request content.
 */
export function warnRefused(ctx: IWebhookFunctions, reason: string): void {
	const scope = `${ctx.getWorkflow().id ?? ''}|${ctx.getNode().id}`;
	const now = Date.now();
	const state = lastWarning.get(scope);
	if (state && now - state.at < WARNING_INTERVAL_MS) {
		state.suppressed += 1;
		return;
	}
	const more = state?.suppressed ? ` (and ${state.suppressed} more refused since the last warning)` : '';
	lastWarning.set(scope, { at: now, suppressed: 0 });
	ctx.logger.warn(`Instagram Messaging Trigger refused a webhook: ${reason}${more}`);
}
