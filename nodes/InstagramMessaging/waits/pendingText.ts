import type { IDataObject } from 'n8n-workflow';

/**
 * Free-text answers carry no payload, so a question waiting for one is written down in the
 * workflow's static data: customer → the signed path to resume with, and until when. The
 * waiting execution writes it (n8n saves static data when the execution starts waiting); the
 * trigger of the same workflow reads it in its webhook phase and removes it when it resumed the
 * execution (n8n saves static data there when no execution follows). A stale entry (the wait
 * timed out, or a later execution wrote an older copy back) costs one call that n8n answers with
 * "no action required"; the message is then emitted as usual.
 */
const KEY = 'instagramWaitingForText';
/** Enough for every customer a busy account can be waiting on at once. */
const MAX_ENTRIES = 2_000;

export interface PendingText {
	resumePath: string;
	/** Milliseconds since the epoch; the entry is ignored afterwards. */
	until: number;
	/** How often the question was asked again because an answer did not fit (Expected Answer). */
	reasks?: number;
}

function entries(staticData: IDataObject): Record<string, PendingText> {
	const value = staticData[KEY];
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
	return value as unknown as Record<string, PendingText>;
}

function isPending(value: unknown, now: number): value is PendingText {
	if (typeof value !== 'object' || value === null) return false;
	const { resumePath, until } = value as Partial<PendingText>;
	return typeof resumePath === 'string' && typeof until === 'number' && until > now;
}

export function recordPendingText(
	staticData: IDataObject,
	customerId: string,
	pending: PendingText,
	now: number,
): void {
	const kept = Object.entries(entries(staticData)).filter(
		([id, value]) => id !== customerId && isPending(value, now),
	);
	const next = Object.fromEntries([...kept.slice(-(MAX_ENTRIES - 1)), [customerId, pending]]);
	staticData[KEY] = next as unknown as IDataObject;
}

export function pendingTextFor(
	staticData: IDataObject,
	customerId: string,
	now: number,
): PendingText | undefined {
	const value = entries(staticData)[customerId];
	return isPending(value, now) ? value : undefined;
}

/** One more re-ask for the customer's question (the entry stays: the wait goes on). */
export function countReask(staticData: IDataObject, customerId: string): void {
	const current = entries(staticData);
	const pending = current[customerId];
	if (pending === undefined) return;
	staticData[KEY] = {
		...current,
		[customerId]: { ...pending, reasks: (pending.reasks ?? 0) + 1 },
	} as unknown as IDataObject;
}

export function dropPendingText(staticData: IDataObject, customerId: string): void {
	const current = entries(staticData);
	if (!(customerId in current)) return;
	const rest = Object.entries(current).filter(([id]) => id !== customerId);
	staticData[KEY] = Object.fromEntries(rest) as unknown as IDataObject;
}
