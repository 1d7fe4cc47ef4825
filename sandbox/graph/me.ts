/** `GET /vX/me` — who the token belongs to (instagram-api.md §1.2.7, §1.3.3). */
import { graphErrors } from '../errors';
import type { HandlerResult } from '../http';
import type { JsonObject } from '../types';
import type { GraphContext, GraphRoute } from './context';
import { parseFields } from './fields';
import type { FieldSpec } from './fields';

function project(
	available: JsonObject,
	requested: FieldSpec[],
	nodeType: string,
	ctx: GraphContext,
	nested: Record<string, JsonObject> = {},
): JsonObject {
	const out: JsonObject = {};
	for (const field of requested) {
		const nestedObj = nested[field.name];
		if (nestedObj !== undefined) {
			out[field.name] =
				field.subfields.length > 0
					? project(nestedObj, field.subfields, 'User', ctx)
					: { id: nestedObj.id ?? null };
			continue;
		}
		const value = available[field.name];
		if (value === undefined) throw graphErrors.nonexistingField(field.name, nodeType, ctx.account.flavour);
		out[field.name] = value;
	}
	// Graph always includes `id`.
	if (out.id === undefined && available.id !== undefined) out.id = available.id;
	return out;
}

function getMe(ctx: GraphContext): HandlerResult {
	const requested = parseFields(ctx.req.query.get('fields'));
	const account = ctx.account;
	if (account.flavour === 'instagram') {
		const available: JsonObject = {
			id: account.id,
			user_id: account.igUserId,
			username: account.username,
			name: account.name,
			account_type: account.accountType,
		};
		return {
			status: 200,
			json: project(available, requested ?? [{ name: 'id', subfields: [] }], 'User', ctx),
		};
	}
	const available: JsonObject = { id: account.pageId, name: account.pageName };
	const nested = { instagram_business_account: { id: account.igUserId, username: account.username } };
	const defaults = [
		{ name: 'name', subfields: [] },
		{ name: 'id', subfields: [] },
	];
	return { status: 200, json: project(available, requested ?? defaults, 'Page', ctx, nested) };
}

export const meRoutes: GraphRoute[] = [{ method: 'GET', path: '/me', handler: getMe }];
