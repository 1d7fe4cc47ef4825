/**
 * Graph API dispatcher: version prefix → faults → auth → route table → handler.
 * Add a Graph area by writing `graph/<area>.ts` exporting `GraphRoute[]` and listing it below.
 */
import { GraphError, graphErrors } from '../errors';
import type { FaultAction, FaultRegistry } from '../faults';
import type { HandlerResult, RequestContext } from '../http';
import { formToObject, withoutSecrets } from '../http';
import { Router } from '../router';
import { accountSelfIds } from '../state';
import type { SandboxAccount } from '../types';
import { attachmentsRoutes } from './attachments';
import { authenticate } from './auth';
import type { GraphContext, GraphRoute, GraphServices } from './context';
import { commentRoutes, withCommentNode } from './comments';
import { conversationsRoutes } from './conversations';
import { meRoutes } from './me';
import { messagesRoutes, recipientIdOf } from './messages';
import { assertTokenAlive, handleOAuthRequest, isOAuthRequest } from './oauth';
import { pageRoutes, withPageNode } from './pages';
import { messengerProfileRoutes } from './messengerProfile';
import { threadControlRoutes } from './threadControl';
import { welcomeFlowRoutes } from './welcomeFlows';
import { subscriptionsRoutes } from './subscriptions';

// conversationsRoutes ends with the catch-all `GET /:id` (conversation, message, profile, and through
// the wrappers a Page or a comment): keep it last.
export const graphRoutes: GraphRoute[] = [
	...meRoutes,
	...messagesRoutes,
	...attachmentsRoutes,
	...subscriptionsRoutes,
	...threadControlRoutes,
	...messengerProfileRoutes,
	...welcomeFlowRoutes,
	...pageRoutes,
	...commentRoutes,
	...withPageNode(withCommentNode(conversationsRoutes)),
];

export interface GraphOptions {
	versions: { min: number; max: number };
}

/** How a Graph request ended, for the server and the request log. */
export interface GraphOutcome {
	result?: HandlerResult;
	/** Destroy the connection (injected fault). */
	reset?: boolean;
	accountId?: string;
	fault?: boolean;
}

const VERSION_RE = /^\/(v(\d+)\.(\d+))(\/.*)?$/;

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorResult(error: GraphError, version: string | undefined): HandlerResult {
	const headers: Record<string, string> = { ...error.headers };
	if (version) headers['facebook-api-version'] = version;
	return { status: error.status, json: error.toJSON(), headers };
}

function notFound(method: string, relative: string, account: SandboxAccount): GraphError {
	const segments = relative.split('/').filter((s) => s !== '');
	const head = segments[0] ?? '';
	if (segments.length <= 1) return graphErrors.unsupportedRequest(method, head);
	if (head === 'me' || accountSelfIds(account).includes(head) || head === account.igUserId) {
		return graphErrors.unknownPath('/' + segments.slice(1).join('/'));
	}
	return graphErrors.unsupportedRequest(method, head);
}

export class GraphApi {
	private readonly router = new Router<GraphRoute>();

	constructor(
		private readonly services: GraphServices,
		private readonly faults: FaultRegistry,
		private readonly options: GraphOptions,
	) {
		for (const route of graphRoutes) this.router.add(route);
	}

	/** Register more routes at runtime (tests or later Graph areas). */
	addRoute(route: GraphRoute): void {
		this.router.add(route);
	}

	async handle(req: RequestContext): Promise<GraphOutcome> {
		const fault = this.faults.take(req.method, req.path);
		if (fault && fault.delayMs > 0) await sleep(fault.delayMs);
		if (isOAuthRequest(req)) return this.oauthOutcome(req, fault);
		const m = VERSION_RE.exec(req.path);
		let version = m?.[1];
		const relative = m ? (m[4] ?? '/') : req.path;
		let versionError: GraphError | undefined;
		if (!m) versionError = graphErrors.missingVersion(req.path);
		else {
			const major = Number(m[2]);
			const { min, max } = this.options.versions;
			// Meta: "once a version is no longer usable, any calls made to it will be defaulted to the
			// next oldest usable version" (Platform Versioning); the answer says which one served it.
			if (m[3] === '0' && major < min) version = `v${min}.0`;
			else if (m[3] !== '0' || major > max)
				versionError = graphErrors.unsupportedVersion(version ?? '', min, max);
		}

		const match = this.router.match(req.method, relative);
		const route = match.kind === 'found' ? match.route : undefined;
		let account: SandboxAccount | undefined;

		const fail = (error: GraphError, fault = false): GraphOutcome => {
			if (route?.recordRejections) this.recordRejection(req, error, account, fault);
			return { result: errorResult(error, version), accountId: account?.igUserId, fault };
		};

		if (fault) {
			if (!fault.afterHandling) {
				if (fault.reset) return { reset: true, fault: true };
				if (fault.error) return fail(fault.error, true);
			}
		}

		try {
			if (versionError) throw versionError;
			assertTokenAlive(req, this.services);
			account = authenticate(req, this.services.state, relative);
			if (match.kind !== 'found') throw notFound(req.method, relative, account);
			const ctx: GraphContext = { req, version: version ?? '', account, services: this.services };
			const result = await match.route.handler(ctx, match.params);
			if (fault?.afterHandling) {
				// Done (a send is recorded as delivered), and yet the caller gets a failure.
				if (fault.reset) return { reset: true, fault: true, accountId: account.igUserId };
				if (fault.error) return fail(fault.error, true);
			}
			const headers: Record<string, string> = { ...fault?.fault.headers, ...result.headers };
			if (version) headers['facebook-api-version'] = version;
			return { result: { ...result, headers }, accountId: account.igUserId, fault: fault !== undefined };
		} catch (err) {
			if (err instanceof GraphError) return fail(err);
			process.stderr.write(`sandbox: internal error on ${req.method} ${req.path}: ${String(err)}\n`);
			return fail(graphErrors.unknown());
		}
	}

	/** The OAuth and token endpoints (no version, no access-token authentication); faults apply. */
	private oauthOutcome(req: RequestContext, fault: FaultAction | undefined): GraphOutcome {
		const failure = (): GraphOutcome | undefined => {
			if (fault?.reset) return { reset: true, fault: true };
			if (fault?.error) return { result: errorResult(fault.error, undefined), fault: true };
			return undefined;
		};
		const before = fault && !fault.afterHandling ? failure() : undefined;
		if (before) return before;
		const result = handleOAuthRequest(req, this.services);
		if (result === undefined) throw new Error(`not an OAuth request: ${req.method} ${req.path}`);
		return (fault?.afterHandling ? failure() : undefined) ?? { result, fault: fault !== undefined };
	}

	private recordRejection(
		req: RequestContext,
		error: GraphError,
		account: SandboxAccount | undefined,
		fault: boolean,
	): void {
		const { state, clock } = this.services;
		const body = withoutSecrets({ ...formToObject(req.query), ...req.body });
		state.rejected.push({
			seq: state.nextSeq(),
			at: clock.now(),
			method: req.method,
			path: req.path,
			accountId: account?.igUserId,
			flavour: account?.flavour,
			recipientId: recipientIdOf(body),
			body,
			status: error.status,
			error: error.body,
			...(fault ? { fault: true } : {}),
		});
	}
}
