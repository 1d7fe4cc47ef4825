import { NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';

import { graphRequest } from '../transport';
import { accountFieldsFor } from './fields';
import {
	accountTarget,
	conflictError,
	isAutomatic,
	isOwnUrl,
	isRecord,
	isTestUrl,
	metaApp,
	ownCallbackUrl,
	postAppSubscription,
	readAccountSubscription,
	readAppSubscription,
	sameFields,
	SUBSCRIPTION_OBJECT,
	wantedFields,
} from './metaSubscriptions';
import { assertEntryOptions, assertOwnMedia } from './entryOptions';
import { isPlaceholderVerifyToken } from './verifyToken';

/**
 * The subscription lifecycle in automatic mode (instagram-api.md §2.5): the Meta app's webhook for
 * object `instagram` (`/{app-id}/subscriptions`, app token) and the account's subscription to the
 * app (`/me/subscribed_apps` on Instagram Login, `/{page-id}/subscribed_apps` on a Page).
 *
 * Meta keeps one callback URL per app and object, so:
 * - a callback that belongs to another URL is never taken over: activation fails with an error
 *   naming the URL;
 * - this node's own URLs (production `…/webhook/<webhookId>/webhook` and test
 *   `…/webhook-test/<webhookId>/webhook`) may replace each other: listening for a test event
 *   remembers the production subscription and puts it back when the test ends;
 * - deactivation removes only what this node added (its own callback; the account subscription
 *   only when it can prove the account was not subscribed before: no entry in `subscribed_apps`
 *   that is, or might be, this app's).
 * Meta documents the Subscriptions edge with the Meta app's id and app token, on both setups
 * (docs/meta-fidelity.md); which app id graph.instagram.com lists in `subscribed_apps` is not
 * documented, so there an entry counts as this app's unless its id proves otherwise.
 * What is needed for that lives in the node's static data under `subscription`.
 */

export const SUBSCRIPTION_STATE_KEY = 'subscription';

export interface SubscriptionState {
	role: 'production' | 'test';
	appId: string;
	callbackUrl: string;
	fields: string[];
	/** The production subscription a test subscription replaced; put back when the test ends. */
	previous: { callbackUrl: string; fields: string[] } | null;
	/** Whether this node subscribed the account to the app (so deactivation unsubscribes it). */
	accountSubscribedByUs: boolean;
	/** The account edge it subscribed (`/me/subscribed_apps` or `/{page-id}/subscribed_apps`). */
	accountPath?: string;
}
function storedState(ctx: IHookFunctions): SubscriptionState | null {
	const value = ctx.getWorkflowStaticData('node')[SUBSCRIPTION_STATE_KEY];
	return isRecord(value) ? (value as unknown as SubscriptionState) : null;
}

/** n8n: true when nothing needs to be created. Runs on every activation, Manual mode too. */
export async function checkExists(ctx: IHookFunctions): Promise<boolean> {
	assertChosenVerifyToken(ctx);
	assertEntryOptions(ctx);
	await assertOwnMedia(ctx);
	if (!isAutomatic(ctx)) return true;
	const app = await metaApp(ctx);
	const own = ownCallbackUrl(ctx);
	const current = await readAppSubscription(ctx, app);
	if (current === null) return false;
	if (current.callbackUrl !== own) {
		if (!isOwnUrl(ctx, current.callbackUrl)) throw conflictError(ctx, app.appId, current.callbackUrl);
		return false;
	}
	const target = await accountTarget(ctx, app.appId);
	if (!sameFields(current.fields, wantedFields(ctx, target.flavour))) return false;
	const account = await readAccountSubscription(ctx, target);
	return (
		account.subscribed &&
		accountFieldsFor(current.fields, target.flavour).every((f) => account.fields.includes(f))
	);
}

export async function create(ctx: IHookFunctions): Promise<boolean> {
	if (!isAutomatic(ctx)) return true;
	const app = await metaApp(ctx);
	const own = ownCallbackUrl(ctx);
	const role: SubscriptionState['role'] =
		ctx.getMode() === 'manual' || isTestUrl(own) ? 'test' : 'production';
	const target = await accountTarget(ctx, app.appId);
	const fields = wantedFields(ctx, target.flavour);
	const earlier = storedState(ctx);

	const current = await readAppSubscription(ctx, app);
	let previous: SubscriptionState['previous'] = null;
	if (current !== null && current.callbackUrl !== own) {
		if (!isOwnUrl(ctx, current.callbackUrl)) throw conflictError(ctx, app.appId, current.callbackUrl);
		// Our own production URL while testing: remember it to put it back when the test ends.
		if (role === 'test' && !isTestUrl(current.callbackUrl)) previous = { ...current };
	} else if (current !== null && role === 'test' && earlier?.previous) {
		previous = earlier.previous;
	}
	await postAppSubscription(ctx, app, own, fields);

	const before = await readAccountSubscription(ctx, target);
	const accountFields = accountFieldsFor(fields, target.flavour);
	if (!before.subscribed || !accountFields.every((field) => before.fields.includes(field))) {
		const merged = [...new Set([...before.fields, ...accountFields])].sort();
		await graphRequest.call(ctx, target.connection, {
			method: 'POST',
			path: target.path,
			qs: { subscribed_fields: merged.join(',') },
			idempotent: true,
		});
	}

	const state: SubscriptionState = {
		role,
		appId: app.appId,
		callbackUrl: own,
		fields,
		previous,
		accountSubscribedByUs:
			before.provablyAbsent ||
			(earlier !== null &&
				earlier.appId === app.appId &&
				earlier.accountPath === target.path &&
				earlier.accountSubscribedByUs),
		accountPath: target.path,
	};
	ctx.getWorkflowStaticData('node')[SUBSCRIPTION_STATE_KEY] = state as unknown as IDataObject;
	ctx.logger.info(
		`Instagram Messaging Trigger subscribed Meta app ${app.appId} (object instagram: ${fields.join(', ')}) to ${own}`,
	);
	return true;
}

export async function remove(ctx: IHookFunctions): Promise<boolean> {
	if (!isAutomatic(ctx)) return true;
	const staticData = ctx.getWorkflowStaticData('node');
	const state = storedState(ctx);
	try {
		const app = await metaApp(ctx);
		const own = ownCallbackUrl(ctx);
		const current = await readAppSubscription(ctx, app);
		let restored = false;
		if (current !== null && current.callbackUrl === own) {
			if (state?.previous && state.appId === app.appId) {
				try {
					await postAppSubscription(ctx, app, state.previous.callbackUrl, state.previous.fields);
					restored = true;
					ctx.logger.info(
						`Instagram Messaging Trigger put the Meta app ${app.appId} webhook back to ${state.previous.callbackUrl}`,
					);
				} catch (error) {
					ctx.logger.warn(
						`Instagram Messaging Trigger could not put the production webhook back (${(error as Error).message}); removing the test subscription`,
					);
				}
			}
			if (!restored) {
				await graphRequest.call(ctx, app.connection, {
					method: 'DELETE',
					path: `/${app.appId}/subscriptions`,
					qs: { object: SUBSCRIPTION_OBJECT },
				});
			}
		} else if (current !== null) {
			ctx.logger.info(
				`Instagram Messaging Trigger left the Meta app ${app.appId} webhook in place: it points to another URL now`,
			);
		}
		if (state?.accountSubscribedByUs === true && state.appId === app.appId && !restored) {
			const target = await accountTarget(ctx, app.appId);
			if (state.accountPath !== undefined && state.accountPath !== target.path) return true;
			await graphRequest.call(ctx, target.connection, { method: 'DELETE', path: target.path });
		}
		return true;
	} catch (error) {
		ctx.logger.warn(
			`Instagram Messaging Trigger could not remove its Meta subscription: ${(error as Error).message}`,
		);
		return false;
	} finally {
		delete staticData[SUBSCRIPTION_STATE_KEY];
	}
}

/**
 * The shipped examples carry a placeholder verify token; a workflow imported as it is must not go
 * live with a token anyone can read on the internet.
 */
function assertChosenVerifyToken(ctx: IHookFunctions): void {
	const token = ctx.getNodeParameter('verifyToken', '') as string;
	if (!isPlaceholderVerifyToken(token)) return;
	throw new NodeOperationError(ctx.getNode(), 'The Verify Token is still the placeholder from the example', {
		description:
			"Open the trigger and set Verify Token to a long random string of your own (for example from a password generator), then enter the same string in the Meta app's webhook settings. The placeholder is public, so it is refused.",
	});
}
