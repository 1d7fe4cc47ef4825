import type { HandlerResult, RequestContext } from './http';
import type { Route } from './router';
import type { MetaSandbox } from './server';

/** What a `/_sandbox/*` handler gets: the request and the sandbox it controls. */
export interface ControlContext {
	req: RequestContext;
	sandbox: MetaSandbox;
}

export type ControlRoute = Route<ControlContext, HandlerResult> & { summary: string };
