/**
 * Page token and Instagram account discovery (flavour B, instagram-api.md §1.3.3): Graph
 * `GET /me/accounts` with the Facebook user token and `GET /{page-id}?fields=access_token,
 * instagram_business_account`.
 */
import { graphErrors } from '../errors';
import type { HandlerResult } from '../http';
import type { IssuedToken } from '../state';
import type { JsonObject, SandboxAccount } from '../types';
import { extractToken } from './auth';
import type { GraphContext, GraphRoute } from './context';
import { parseFields } from './fields';

function pageView(account: SandboxAccount, withToken: boolean): JsonObject {
	if (account.flavour !== 'facebookPage') return {};
	const view: JsonObject = {
		id: account.pageId,
		name: account.pageName,
		tasks: ['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE'],
		instagram_business_account: { id: account.igUserId },
	};
	if (withToken) view.access_token = account.pageAccessToken;
	return view;
}

function project(view: JsonObject, fields: string[] | undefined, ctx: GraphContext): JsonObject {
	const out: JsonObject = {};
	for (const field of fields ?? ['name', 'id']) {
		const value = view[field];
		if (value === undefined) throw graphErrors.nonexistingField(field, 'Page', ctx.account.flavour);
		out[field] = value;
	}
	if (out.id === undefined) out.id = view.id ?? null;
	return out;
}

function tokenKind(ctx: GraphContext): IssuedToken['kind'] | undefined {
	const token = extractToken(ctx.req);
	return token ? ctx.services.state.issuedToken(token)?.kind : undefined;
}

function myAccounts(ctx: GraphContext): HandlerResult {
	if (tokenKind(ctx) !== 'user') {
		throw graphErrors.nonexistingField(
			'accounts',
			ctx.account.flavour === 'instagram' ? 'User' : 'Page',
			ctx.account.flavour,
		);
	}
	const fields = parseFields(ctx.req.query.get('fields'))?.map((f) => f.name);
	const pages = ctx.services.state
		.accounts()
		.filter((account) => account.flavour === 'facebookPage' && account.igUserId === ctx.account.igUserId)
		.map((account) => project(pageView(account, true), fields ?? ['name', 'id', 'access_token'], ctx));
	return {
		status: 200,
		json: { data: pages, paging: { cursors: { before: 'QVFIUjBl', after: 'QVFIUjBl' } } },
	};
}

function isPageRequest(ctx: GraphContext, params: Record<string, string>): boolean {
	return ctx.account.flavour === 'facebookPage' && params.id === ctx.account.pageId;
}

function getPage(ctx: GraphContext): HandlerResult {
	const fields = parseFields(ctx.req.query.get('fields'))?.map((f) => f.name);
	return { status: 200, json: project(pageView(ctx.account, true), fields, ctx) };
}

export const pageRoutes: GraphRoute[] = [{ method: 'GET', path: '/me/accounts', handler: myAccounts }];

/**
 * `GET /{page-id}` shares the catch-all `GET /:id` with other Graph areas: wrap that route so the
 * Page node is answered here and every other id still reaches the original handler.
 */
export function withPageNode(routes: GraphRoute[]): GraphRoute[] {
	return routes.map((route) =>
		route.method === 'GET' && route.path === '/:id'
			? {
					...route,
					handler: (ctx, params) => (isPageRequest(ctx, params) ? getPage(ctx) : route.handler(ctx, params)),
				}
			: route,
	);
}
