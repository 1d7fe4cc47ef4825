import { HUMAN_AGENT_WINDOW_MS, STANDARD_WINDOW_MS } from './defaults';

export type WindowVerdict = 'open' | 'humanAgentOnly' | 'closed';

/**
 * The messaging window (instagram-api.md §3.2) as seen at `now`, given the customer's last
 * message at `lastInboundAt`: ≤ 24 h → open; ≤ 7 d → HUMAN_AGENT tag only; else (or never) closed.
 */
export function windowState(lastInboundAt: number | undefined, now: number): WindowVerdict {
	if (lastInboundAt === undefined) return 'closed';
	const elapsed = now - lastInboundAt;
	if (elapsed <= STANDARD_WINDOW_MS) return 'open';
	if (elapsed <= HUMAN_AGENT_WINDOW_MS) return 'humanAgentOnly';
	return 'closed';
}

export function windowAllows(
	lastInboundAt: number | undefined,
	now: number,
	humanAgentTag: boolean,
	adWindowUntil?: number,
): boolean {
	if (adWindowUntil !== undefined && now <= adWindowUntil) return true;
	const verdict = windowState(lastInboundAt, now);
	return verdict === 'open' || (verdict === 'humanAgentOnly' && humanAgentTag);
}
