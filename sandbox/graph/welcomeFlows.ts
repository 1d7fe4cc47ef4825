/**
 * `GET|POST|DELETE /vX/{me|IG_ID|PAGE_ID}/welcome_message_flows` — welcome message flows for
 * Click-to-Direct ads (Welcome Message Flows, IGL, Jun 30 2026; Messenger Platform, Mar 15 2026;
 * docs/meta-fidelity.md). Create needs `eligible_platforms` (Instagram Login: only `instagram`),
 * `name` and `welcome_message_flow: [{ message: { text, quick_replies } }]` → `{ flow_id }`; the
 * list is answered as Meta's sample shows it (an array); update (`flow_id` + `name` /
 * `welcome_message` / `platforms`) and delete answer `{ success: true }`, and are refused for a
 * flow an ad uses (Meta: "cannot be updated" / "cannot be deleted"; no error code is documented).
 */
import { graphErrors } from '../errors';
import type { HandlerResult } from '../http';
import { isJsonObject, optString } from '../http';
import { flowView, type WelcomeFlow } from '../state/welcomeFlows';
import type { JsonObject, JsonValue } from '../types';
import type { GraphContext, GraphRoute } from './context';
import { graphTime } from './messageViews';
import { assertSelf, params } from './messengerProfile';

const MAX_QUICK_REPLIES = 13;
const invalid = (message: string) => graphErrors.invalidParameter(message);

function parsed(value: JsonValue | undefined): JsonValue | undefined {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value) as JsonValue;
	} catch {
		return value;
	}
}

/** "Each Welcome Message will be validated … only accepted if the message type … is supported". */
function assertWelcomeMessage(value: JsonValue | undefined, field: string): JsonValue {
	if (!Array.isArray(value) || value.length === 0) throw invalid(`Param ${field} must be a non-empty array`);
	for (const entry of value) {
		const message = isJsonObject(entry) && isJsonObject(entry.message) ? entry.message : undefined;
		if (message === undefined || typeof message.text !== 'string' || message.text === '')
			throw invalid(`Param ${field}[].message.text is required`);
		const replies = message.quick_replies;
		if (!Array.isArray(replies) || replies.length === 0 || replies.length > MAX_QUICK_REPLIES)
			throw invalid(
				`Param ${field}[].message.quick_replies must hold 1 to ${MAX_QUICK_REPLIES} quick replies`,
			);
		for (const reply of replies) {
			if (
				!isJsonObject(reply) ||
				reply.content_type !== 'text' ||
				typeof reply.title !== 'string' ||
				reply.title === '' ||
				typeof reply.payload !== 'string' ||
				reply.payload === ''
			)
				throw invalid('Each quick reply needs content_type "text", a title and a payload');
		}
	}
	return value;
}

function assertPlatforms(ctx: GraphContext, value: JsonValue | undefined): string[] {
	const list = parsed(value);
	const allowed = ctx.account.flavour === 'instagram' ? ['instagram'] : ['instagram', 'messenger'];
	if (
		!Array.isArray(list) ||
		list.length === 0 ||
		list.some((p) => typeof p !== 'string' || !allowed.includes(p))
	)
		throw invalid(`Param eligible_platforms must be a non-empty subset of {${allowed.join(', ')}}`);
	return list as string[];
}

function flowOf(ctx: GraphContext, body: JsonObject): WelcomeFlow {
	const id = optString(body, 'flow_id');
	const flow = id === undefined ? undefined : ctx.services.state.welcomeFlows.get(ctx.account.igUserId, id);
	if (flow === undefined) throw invalid(`Invalid flow_id ${id ?? ''}`);
	return flow;
}

function usedInAd(change: string) {
	return invalid(`A flow that is currently connected to an advertisement cannot be ${change}`);
}

function listFlows(ctx: GraphContext, params_: Record<string, string>): HandlerResult {
	assertSelf(ctx, params_.id ?? '', 'GET');
	const body = params(ctx);
	const store = ctx.services.state.welcomeFlows;
	if (optString(body, 'flow_id') !== undefined)
		return { status: 200, json: flowView(flowOf(ctx, body), graphTime) };
	const limit = Number(optString(body, 'limit') ?? NaN);
	const flows = store.list(ctx.account.igUserId).map((flow) => flowView(flow, graphTime));
	return { status: 200, json: Number.isInteger(limit) && limit > 0 ? flows.slice(0, limit) : flows };
}

function postFlows(ctx: GraphContext, params_: Record<string, string>): HandlerResult {
	assertSelf(ctx, params_.id ?? '', 'POST');
	const body = params(ctx);
	const now = ctx.services.clock.now();
	const store = ctx.services.state.welcomeFlows;
	if (optString(body, 'flow_id') !== undefined) {
		const flow = flowOf(ctx, body);
		const name = optString(body, 'name');
		const message =
			body.welcome_message === undefined
				? undefined
				: assertWelcomeMessage(parsed(body.welcome_message), 'welcome_message');
		const platforms = body.platforms === undefined ? undefined : assertPlatforms(ctx, body.platforms);
		if (name === undefined && message === undefined && platforms === undefined)
			throw invalid('Set at least one of name, welcome_message, platforms');
		if (flow.isUsedInAd) throw usedInAd('updated');
		if (name !== undefined) flow.name = name;
		if (message !== undefined) flow.welcomeMessage = message;
		if (platforms !== undefined) flow.eligiblePlatforms = platforms;
		flow.lastUpdateTime = now;
		return { status: 200, json: { success: true } };
	}
	const name = optString(body, 'name');
	if (name === undefined || name === '') throw invalid('The parameter name is required');
	const eligiblePlatforms = assertPlatforms(ctx, body.eligible_platforms);
	const welcomeMessage = assertWelcomeMessage(parsed(body.welcome_message_flow), 'welcome_message_flow');
	const flow = store.create({
		accountId: ctx.account.igUserId,
		name,
		welcomeMessage,
		eligiblePlatforms,
		lastUpdateTime: now,
	});
	return { status: 200, json: { flow_id: flow.id } };
}

function deleteFlow(ctx: GraphContext, params_: Record<string, string>): HandlerResult {
	assertSelf(ctx, params_.id ?? '', 'DELETE');
	const flow = flowOf(ctx, params(ctx));
	if (flow.isUsedInAd) throw usedInAd('deleted');
	ctx.services.state.welcomeFlows.delete(flow.id);
	return { status: 200, json: { success: true } };
}

export const welcomeFlowRoutes: GraphRoute[] = [
	{ method: 'GET', path: '/:id/welcome_message_flows', handler: listFlows },
	{ method: 'POST', path: '/:id/welcome_message_flows', handler: postFlows },
	{ method: 'DELETE', path: '/:id/welcome_message_flows', handler: deleteFlow },
];
