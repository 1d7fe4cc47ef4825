/**
 * The `/_sandbox/*` control API (JSON) — what scripts (`npm run dm`) and humans use.
 * Mirrors the in-process methods of MetaSandbox; one module per area.
 */
import { chatRoutes } from '../chat/routes';
import type { ControlledSandbox, ControlRoute } from '../controlRoute';
import type { HandlerResult, RequestContext } from '../http';
import { Router } from '../router';
import { clockAndFaultRoutes } from './clockAndFaultRoutes';
import { contentRoutes } from './contentRoutes';
import { entryRoutes } from './entryRoutes';
import { inboxRoutes } from './inboxRoutes';
import { ControlError, ok } from './params';
import { recordRoutes } from './recordRoutes';
import { webhookRoutes } from './webhookRoutes';

const routes: ControlRoute[] = [
	{
		method: 'GET',
		path: '/_sandbox',
		summary: 'this index',
		handler: ({ sandbox }) =>
			ok({
				url: sandbox.url,
				endpoints: routes.map((r) => `${r.method} ${r.path} — ${r.summary}`),
			}),
	},
	...recordRoutes,
	...webhookRoutes,
	...entryRoutes,
	...clockAndFaultRoutes,
	...inboxRoutes,
	...contentRoutes,
	{
		method: 'POST',
		path: '/_sandbox/reset',
		summary: 'clear records, conversations, faults and the clock (keeps accounts and webhooks)',
		handler: ({ sandbox }) => {
			sandbox.reset();
			return ok({ success: true });
		},
	},
	...chatRoutes,
];

export class ControlApi {
	private readonly router = new Router<ControlRoute>(routes);

	constructor(private readonly sandbox: ControlledSandbox) {}

	/** Endpoint list, e.g. for the CLI banner. */
	static endpoints(): Array<{ method: string; path: string; summary: string }> {
		return routes.map(({ method, path, summary }) => ({ method, path, summary }));
	}

	async handle(req: RequestContext): Promise<HandlerResult> {
		if (req.bodyError) return { status: 400, json: { error: { message: req.bodyError } } };
		const match = this.router.match(req.method, req.path);
		if (match.kind === 'notFound')
			return { status: 404, json: { error: { message: `no control endpoint ${req.path}` } } };
		if (match.kind === 'methodNotAllowed') {
			return {
				status: 405,
				json: { error: { message: `use ${match.allowed.join(' or ')}` } },
				headers: { Allow: match.allowed.join(', ') },
			};
		}
		try {
			return await match.route.handler({ req, sandbox: this.sandbox }, match.params);
		} catch (err) {
			if (err instanceof ControlError)
				return { status: err.status, json: { error: { message: err.message } } };
			return { status: 500, json: { error: { message: err instanceof Error ? err.message : String(err) } } };
		}
	}
}
