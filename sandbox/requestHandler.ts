/** One HTTP request: `/_sandbox/*` to the control API, everything else to the Graph API (logged). */
import type http from 'http';

import type { SandboxClock } from './clock';
import type { GraphApi } from './graph';
import { buildContext, redactBody, redactQuery, writeResult } from './http';
import type { HandlerResult, RequestContext } from './http';
import type { SandboxState } from './state';
import type { RequestLogEntry } from './recordTypes';

export interface RequestServices {
	state: SandboxState;
	clock: SandboxClock;
	graph: GraphApi;
	control: (ctx: RequestContext) => Promise<HandlerResult>;
}

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:[0-9]{1,5})?$/;

/**
 * The sandbox runs on a developer's machine and signs whatever it delivers: a web page the developer
 * visits must not drive it. Every request must name a loopback Host (no DNS rebinding), and a
 * request that acts (anything but GET, HEAD and OPTIONS) from a browser must come from the
 * sandbox's own pages (its Origin, when sent, is the Host it was sent to). n8n and the tests call
 * from Node, with no Origin.
 */
export function refusalOf(headers: http.IncomingHttpHeaders, method: string): string | null {
	const host = headers.host ?? '';
	if (!LOOPBACK_HOST.test(host)) return `Host "${host.slice(0, 100)}" is not this machine`;
	const origin = headers.origin;
	const acts = !['GET', 'HEAD', 'OPTIONS'].includes(method);
	if (acts && origin !== undefined && origin !== `http://${host}`)
		return `cross-origin request from "${origin.slice(0, 100)}"`;
	if (acts && headers['sec-fetch-site'] !== undefined && headers['sec-fetch-site'] !== 'same-origin')
		return `cross-site request (${String(headers['sec-fetch-site'])})`;
	return null;
}

export async function handleRequest(
	{ state, clock, graph, control }: RequestServices,
	req: http.IncomingMessage,
	res: http.ServerResponse,
): Promise<void> {
	const refusal = refusalOf(req.headers, req.method ?? 'GET');
	if (refusal !== null) {
		writeResult(res, { status: 403, json: { error: { message: `Refused: ${refusal}` } } });
		return;
	}
	let ctx: RequestContext;
	try {
		ctx = await buildContext(req);
	} catch (err) {
		writeResult(res, { status: 413, json: { error: { message: String(err) } } });
		return;
	}
	if (ctx.path === '/_sandbox' || ctx.path.startsWith('/_sandbox/')) {
		writeResult(res, await control(ctx));
		return;
	}
	const outcome = await graph.handle(ctx);
	const entry: RequestLogEntry = {
		seq: state.nextSeq(),
		at: clock.now(),
		method: ctx.method,
		path: ctx.path,
		query: redactQuery(ctx.query),
		status: outcome.result?.status ?? 0,
	};
	if (Object.keys(ctx.body).length > 0) entry.body = redactBody(ctx.body);
	if (outcome.accountId !== undefined) entry.accountId = outcome.accountId;
	if (outcome.fault) entry.fault = true;
	state.requests.push(entry);
	if (outcome.reset || !outcome.result) {
		res.socket?.destroy();
		return;
	}
	writeResult(res, outcome.result);
}
