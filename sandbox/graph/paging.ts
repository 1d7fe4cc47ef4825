/** Graph-style field expansion (`messages.limit(n){…}`) and cursor paging for the Conversations API. */
import { graphErrors } from '../errors';
import type { JsonObject } from '../types';
import type { GraphContext } from './context';
import { parseFields } from './fields';
import type { FieldSpec } from './fields';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 100;

/** A requested edge with modifiers: `messages.limit(20){id,from}` → name, limit, subfields. */
export interface EdgeSpec {
	name: string;
	limit?: number;
	subfields: FieldSpec[];
}

export function edgeSpec(field: FieldSpec): EdgeSpec {
	const [name = '', ...modifiers] = field.name.split('.');
	const spec: EdgeSpec = { name: name.trim(), subfields: field.subfields };
	for (const modifier of modifiers) {
		const m = /^(\w+)\(([^)]*)\)$/.exec(modifier.trim());
		if (!m)
			throw graphErrors.invalidParameter(
				`Syntax error "Expected end of string instead of \\".\\"" at character ${name.length}: ${field.name}`,
			);
		if (m[1] === 'limit') spec.limit = Number(m[2]);
	}
	return spec;
}

export function requestedFields(ctx: GraphContext, defaults: string[]): EdgeSpec[] {
	const parsed = parseFields(ctx.req.query.get('fields'));
	return parsed ? parsed.map(edgeSpec) : defaults.map((name) => ({ name, subfields: [] }));
}

export function limitOf(raw: string | null | undefined, fallback = DEFAULT_LIMIT): number {
	if (raw === null || raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0)
		throw graphErrors.invalidParameter('Param limit must be a non-negative integer');
	return Math.min(n, MAX_LIMIT);
}

function encodeCursor(offset: number): string {
	return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
	const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
	if (!m) throw graphErrors.invalidParameter('Invalid cursor');
	return Number(m[1]);
}

/** `{ data, paging }` for one page of a list, Graph style; `next` is a full URL without the token. */
export function paged(
	ctx: GraphContext,
	items: JsonObject[],
	window: { limit: number; after?: string | null; before?: string | null },
	nextPath: string,
	nextQuery: Record<string, string>,
): JsonObject {
	const { limit } = window;
	let offset = 0;
	if (window.after) offset = decodeCursor(window.after);
	else if (window.before) offset = Math.max(0, decodeCursor(window.before) - limit);
	const data = items.slice(offset, offset + limit);
	const result: JsonObject = { data };
	if (data.length === 0) return result;
	const after = encodeCursor(offset + data.length);
	const paging: JsonObject = { cursors: { before: encodeCursor(offset), after } };
	const host = ctx.req.headers.host ?? '127.0.0.1';
	const link = (cursor: Record<string, string>) =>
		`http://${host}/${ctx.version}${nextPath}?${new URLSearchParams({ ...nextQuery, limit: String(limit), ...cursor }).toString()}`;
	if (offset + data.length < items.length) paging.next = link({ after });
	if (offset > 0) paging.previous = link({ before: encodeCursor(offset) });
	result.paging = paging;
	return result;
}
