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

export async function handleRequest(
	{ state, clock, graph, control }: RequestServices,
	req: http.IncomingMessage,
	res: http.ServerResponse,
): Promise<void> {
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
