import type { IDataObject } from 'n8n-workflow';

import type { GraphConnection } from './flavour';
import type { RateClass } from './rateLimit';
import { graphRequest, type GraphContext } from './request';

const PAGE_SIZE = 50;

/** The `data[]` of a Graph list page (empty when there is none). */
export function pageData(page: unknown): IDataObject[] {
	const data = (page as IDataObject | undefined)?.data;
	return Array.isArray(data) ? (data as IDataObject[]) : [];
}

/**
 * The cursor of the next page, or undefined on the last one: Meta sends `paging.next` only when
 * there is a next page, and `paging.cursors.after` is what to ask it with (instagram-api.md §4.1).
 */
export function nextCursor(page: unknown): string | undefined {
	const paging = (page as IDataObject | undefined)?.paging as
		{ next?: string; cursors?: { after?: string } } | undefined;
	return paging?.next ? paging.cursors?.after : undefined;
}

/**
 * Graph cursor pagination (`paging.cursors.after`, instagram-api.md §4.1): collects `data[]`
 * until Meta has no next page or `limit` items are collected (no limit = return all).
 */
export async function graphRequestAllItems(
	this: GraphContext,
	connection: GraphConnection,
	request: { path: string; qs?: IDataObject; itemIndex?: number; rateClass?: RateClass },
	limit?: number,
): Promise<IDataObject[]> {
	const items: IDataObject[] = [];
	let after: string | undefined;
	do {
		const pageSize = limit === undefined ? PAGE_SIZE : Math.min(PAGE_SIZE, limit - items.length);
		const page = await graphRequest.call(this, connection, {
			method: 'GET',
			path: request.path,
			qs: { ...request.qs, limit: pageSize, ...(after ? { after } : {}) },
			itemIndex: request.itemIndex,
			rateClass: request.rateClass,
		});
		const data = pageData(page);
		items.push(...data);
		after = data.length === 0 ? undefined : nextCursor(page);
	} while (after && (limit === undefined || items.length < limit));
	return limit === undefined ? items : items.slice(0, limit);
}
