import { createHash } from 'crypto';
import { NodeApiError, NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';

import {
	flavourOf,
	getConnection,
	explainAppTokenError,
	graphRequest,
	type Flavour,
	type GraphConnection,
} from '../transport';
import { apiBaseUrl } from '../transport/graphApi';
import { accountFieldsFor, webhookFieldsFor } from './fields';
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

export const SUBSCRIPTION_OBJECT = 'instagram';
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

interface AppSubscription {
	callbackUrl: string;
	fields: string[];
}

interface MetaApp {
	appId: string;
	connection: GraphConnection;
}

interface AccountTarget {
	connection: GraphConnection;
	path: string;
	flavour: Flavour;
	/** App ids that are certainly this app's in `subscribed_apps`; others may be too (Instagram Login). */
	ownAppIds: string[];
}

function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldNames(value: unknown): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	const names = list
		.map((field) => (isRecord(field) ? field.name : field))
		.filter((n): n is string => typeof n === 'string');
	return [...new Set(names.map((n) => n.trim()).filter((n) => n !== ''))].sort();
}

function sameFields(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every((field) => b.includes(field));
}

export function isAutomatic(ctx: IHookFunctions): boolean {
	return ctx.getNodeParameter('subscription', 'manual') === 'automatic';
}

async function metaApp(ctx: IHookFunctions): Promise<MetaApp> {
	const credentials = await ctx.getCredentials('metaAppApi');
	const appId = String(credentials.appId ?? '').trim();
	if (appId === '') {
		throw new NodeOperationError(ctx.getNode(), 'The Meta App credential has no App ID', {
			description: 'Enter the ID of the Meta app (App settings → Basic) in the Meta App credential.',
		});
	}
	const baseUrl = apiBaseUrl('facebookPage', credentials);
	const accountKey = createHash('sha256').update(`${baseUrl}|app|${appId}`).digest('hex').slice(0, 16);
	return {
		appId,
		connection: { credentialType: 'metaAppApi', flavour: 'facebookPage', baseUrl, selfId: appId, accountKey },
	};
}

async function accountTarget(ctx: IHookFunctions, metaAppId: string): Promise<AccountTarget> {
	const credentialType = ctx.getNodeParameter('authentication', 'instagramLoginApi') as string;
	const flavour = flavourOf(credentialType);
	const connection = await getConnection.call(ctx, credentialType);
	const ownAppIds = [metaAppId];
	if (flavour === 'facebookPage') {
		const credentials = await ctx.getCredentials(credentialType);
		const pageId = String(credentials.pageId ?? '').trim();
		if (pageId === '') {
			throw new NodeOperationError(ctx.getNode(), 'The Facebook Page credential has no Page ID', {
				description: 'Enter the ID of the Facebook Page linked to the Instagram account in the credential.',
			});
		}
		return { connection, flavour, path: `/${pageId}/subscribed_apps`, ownAppIds };
	}
	// The OAuth2 credential knows the Instagram app id (its client id); a pasted token does not.
	if (credentialType === 'instagramLoginOAuth2Api') {
		const credentials = await ctx.getCredentials(credentialType);
		const clientId = String(credentials.clientId ?? '').trim();
		if (clientId !== '') ownAppIds.push(clientId);
	}
	return { connection, flavour, path: `/${connection.selfId}/subscribed_apps`, ownAppIds };
}

function ownCallbackUrl(ctx: IHookFunctions): string {
	const url = ctx.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(ctx.getNode(), 'n8n did not provide a webhook URL for this trigger');
	return url;
}

/** Whether a callback URL is one of this node's own URLs (production or test). */
export function isOwnUrl(ctx: IHookFunctions, url: string): boolean {
	const webhookId = ctx.getNode().webhookId;
	if (!webhookId) return false;
	try {
		return new URL(url).pathname.endsWith(`/${webhookId}/webhook`);
	} catch {
		return false;
	}
}

function isTestUrl(url: string): boolean {
	try {
		return new URL(url).pathname.includes('/webhook-test/');
	} catch {
		return false;
	}
}

/**
 * Meta answers "object does not exist" (100 / 33) for an app the Subscriptions edge does not know:
 * usually the Instagram app id entered instead of the Meta app's.
 */
function explainAppError(
	ctx: IHookFunctions,
	appId: string,
	error: unknown,
): NodeApiError | NodeOperationError {
	const response =
		error instanceof NodeApiError ? (error.errorResponse as IDataObject | undefined) : undefined;
	if (response?.code === 100 && response.error_subcode === 33) {
		const explanation = explainAppTokenError({ code: 100, error_subcode: 33 }, appId);
		return new NodeOperationError(ctx.getNode(), explanation?.message ?? String(response.message), {
			description: explanation?.fix,
		});
	}
	return error instanceof NodeApiError ? error : new NodeOperationError(ctx.getNode(), error as Error);
}

async function readAppSubscription(ctx: IHookFunctions, app: MetaApp): Promise<AppSubscription | null> {
	let response: IDataObject;
	try {
		response = await graphRequest.call(ctx, app.connection, {
			method: 'GET',
			path: `/${app.appId}/subscriptions`,
		});
	} catch (error) {
		throw explainAppError(ctx, app.appId, error);
	}
	const data = Array.isArray(response.data) ? response.data : [];
	for (const entry of data) {
		if (!isRecord(entry) || entry.object !== SUBSCRIPTION_OBJECT || entry.active === false) continue;
		const callbackUrl = typeof entry.callback_url === 'string' ? entry.callback_url : '';
		if (callbackUrl !== '') return { callbackUrl, fields: fieldNames(entry.fields) };
	}
	return null;
}

function conflictError(ctx: IHookFunctions, appId: string, heldBy: string): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`The Meta app ${appId} already sends its Instagram webhooks to ${heldBy}`,
		{
			description:
				'Meta allows one callback URL per app, and this trigger does not take over a callback that belongs to something else. ' +
				'Deactivate the workflow (or tool) that uses that URL, or remove the webhook in the Meta app dashboard; ' +
				"or set this trigger's Subscription to Manual; or use another Meta app.",
		},
	);
}

interface AccountSubscription {
	/** This app's entry is there (certainly, or an entry that may be this app's). */
	subscribed: boolean;
	fields: string[];
	/** No entry at all could be this app's: subscribing now is provably this node's doing. */
	provablyAbsent: boolean;
}

/**
 * A Page lists each app with its id (Meta's sample); on Instagram Login the listed id is not
 * documented (an Instagram app id, as far as production code shows), so an entry whose id is not
 * one of this app's known ids, or that has none, may still be this app's.
 */
async function readAccountSubscription(
	ctx: IHookFunctions,
	target: AccountTarget,
): Promise<AccountSubscription> {
	const response = await graphRequest.call(ctx, target.connection, { method: 'GET', path: target.path });
	const data = Array.isArray(response.data) ? response.data.filter(isRecord) : [];
	const isOwn = (app: IDataObject) => app.id !== undefined && target.ownAppIds.includes(String(app.id));
	const mayBeOwn = (app: IDataObject) =>
		isOwn(app) || app.id === undefined || target.flavour === 'instagramLogin';
	const entry = data.find(isOwn) ?? data.find(mayBeOwn);
	return {
		subscribed: entry !== undefined,
		fields: entry === undefined ? [] : fieldNames(entry.subscribed_fields),
		// The token may belong to another app than the Meta App credential's: only an account with
		// no app subscribed at all proves that the subscription made now is this node's.
		provablyAbsent: data.length === 0,
	};
}

function wantedFields(ctx: IHookFunctions, flavour: Flavour): string[] {
	const events = ctx.getNodeParameter('events', []) as string[];
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return webhookFieldsFor(events, flavour, { standby: options.includeStandby === true });
}

async function postAppSubscription(
	ctx: IHookFunctions,
	app: MetaApp,
	callbackUrl: string,
	fields: readonly string[],
): Promise<void> {
	await graphRequest.call(ctx, app.connection, {
		method: 'POST',
		path: `/${app.appId}/subscriptions`,
		body: {
			object: SUBSCRIPTION_OBJECT,
			callback_url: callbackUrl,
			verify_token: ctx.getNodeParameter('verifyToken', '') as string,
			fields: fields.join(','),
			include_values: 'true',
		},
		idempotent: true,
	});
}

function storedState(ctx: IHookFunctions): SubscriptionState | null {
	const value = ctx.getWorkflowStaticData('node')[SUBSCRIPTION_STATE_KEY];
	return isRecord(value) ? (value as unknown as SubscriptionState) : null;
}

/** n8n: true when nothing needs to be created. Runs on every activation, Manual mode too. */
export async function checkExists(ctx: IHookFunctions): Promise<boolean> {
	assertChosenVerifyToken(ctx);
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
