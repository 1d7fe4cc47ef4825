import type { RecordFilter, RequestLogEntry } from '../recordTypes';

/** The records matching a filter (seq after `since`, account, recipient). */
export function filterRecords<T extends { seq: number; accountId?: string; recipientId?: string }>(
	records: T[],
	filter: RecordFilter = {},
): T[] {
	return records.filter(
		(r) =>
			(filter.since === undefined || r.seq > filter.since) &&
			(filter.accountId === undefined || r.accountId === filter.accountId) &&
			(filter.recipientId === undefined || r.recipientId === filter.recipientId),
	);
}

/** Graph requests after `since`, with a method and a path matching a pattern. */
export function filterRequests(
	requests: RequestLogEntry[],
	filter: { since?: number; method?: string; path?: string | RegExp },
): RequestLogEntry[] {
	const re =
		filter.path === undefined
			? undefined
			: typeof filter.path === 'string'
				? new RegExp(filter.path)
				: filter.path;
	return requests.filter(
		(r) =>
			(filter.since === undefined || r.seq > filter.since) &&
			(filter.method === undefined || r.method === filter.method.toUpperCase()) &&
			(re === undefined || re.test(r.path)),
	);
}
