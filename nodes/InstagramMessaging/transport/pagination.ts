import type { IDataObject } from 'n8n-workflow';

import type { GraphConnection } from './flavour';
import type { RateClass } from './rateLimit';
import { graphRequest, type GraphContext } from './request';

const PAGE_SIZE = 50;

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
		const data = Array.isArray(page.data) ? (page.data as IDataObject[]) : [];
		items.push(...data);
		const paging = page.paging as { next?: string; cursors?: { after?: string } } | undefined;
		after = paging?.next ? paging.cursors?.after : undefined;
		if (data.length === 0) after = undefined;
	} while (after && (limit === undefined || items.length < limit));
	return limit === undefined ? items : items.slice(0, limit);
}
