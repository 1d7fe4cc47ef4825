/** `thread_control` in a Send API body: checked before the message goes out, applied after. */
import { graphErrors, threadErrors } from '../errors';
import { isJsonObject, optString } from '../http';
import { appIdOf } from '../state';
import type { JsonObject } from '../types';
import type { GraphContext } from './context';

export type ThreadControlInSend = { appId: string; controlType: 'pass' | 'release' };

/**
 * `thread_control` in the Send API ("Conversation Control APIs", Jul 2026): `{ app_id,
 * control_type: pass | release }`, "only available when conversation routing is enabled", on the
 * Page; checked before anything is sent (the refusal's code is assumed).
 */
export function threadControlOf(
	ctx: GraphContext,
	body: JsonObject,
	customerId: string,
): ThreadControlInSend | undefined {
	const value = body.thread_control;
	if (value === undefined) return undefined;
	if (!isJsonObject(value)) throw graphErrors.invalidParameter('Param thread_control must be a JSON object');
	if (ctx.account.flavour === 'instagram')
		throw graphErrors.invalidParameter('Param thread_control is not supported for this account');
	if (!ctx.services.state.threads.routingEnabled(ctx.account))
		throw graphErrors.invalidParameter(
			'Param thread_control is only available when Conversation Routing is enabled',
		);
	const controlType = optString(value, 'control_type');
	if (controlType !== 'pass' && controlType !== 'release')
		throw graphErrors.invalidParameter('Param thread_control[control_type] must be one of {pass, release}');
	const appId = optString(value, 'app_id') ?? '';
	const { threads } = ctx.services.state;
	const self = appIdOf(ctx.account);
	if (controlType === 'pass' && (!threads.knownApps(ctx.account).includes(appId) || appId === self))
		throw graphErrors.invalidParameter(
			`Param thread_control[app_id] must be another app connected to this account (got ${appId})`,
		);
	if (controlType === 'release' && threads.owner(ctx.account, customerId) !== self)
		throw threadErrors.notOwner('release');
	return { appId, controlType };
}

/** After the message went out: pass the thread, or release it ("release: … No webhook is sent"). */
export function applyThreadControl(
	ctx: GraphContext,
	customerId: string,
	control: ThreadControlInSend,
	at: number,
): void {
	const { threads } = ctx.services.state;
	const self = appIdOf(ctx.account);
	if (control.controlType === 'pass')
		threads.pass(ctx.account, customerId, self, control.appId, undefined, at);
	else threads.release(ctx.account, customerId, self, undefined, at);
}
