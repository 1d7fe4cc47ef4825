import { createHash } from 'crypto';
import { NodeApiError, NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';

import {
	explainAppTokenError,
	flavourOf,
	getConnection,
	graphRequest,
	pageData,
	type Flavour,
	type GraphConnection,
} from '../transport';
import { apiBaseUrl } from '../transport/graphApi';
import { webhookFieldsFor } from './fields';

/**
 * Meta's two subscription objects as the Automatic lifecycle (`subscriptions.ts`) reads and writes
 * them: the Meta app's webhook for object `instagram` (`/{app-id}/subscriptions`, app token) and
 * the account's subscription to the app (`subscribed_apps`).
 */

export const SUBSCRIPTION_OBJECT = 'instagram';

export interface AppSubscription {
	callbackUrl: string;
	fields: string[];
}

export interface MetaApp {
	appId: string;
	connection: GraphConnection;
}

export interface AccountTarget {
	connection: GraphConnection;
	path: string;
	flavour: Flavour;
	/** App ids that are certainly this app's in `subscribed_apps`; others may be too (Instagram Login). */
	ownAppIds: string[];
}

export function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function fieldNames(value: unknown): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	const names = list
		.map((field) => (isRecord(field) ? field.name : field))
		.filter((n): n is string => typeof n === 'string');
	return [...new Set(names.map((n) => n.trim()).filter((n) => n !== ''))].sort();
}

export function sameFields(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every((field) => b.includes(field));
}

export function isAutomatic(ctx: IHookFunctions): boolean {
	return ctx.getNodeParameter('subscription', 'manual') === 'automatic';
}

export async function metaApp(ctx: IHookFunctions): Promise<MetaApp> {
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

export async function accountTarget(ctx: IHookFunctions, metaAppId: string): Promise<AccountTarget> {
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

export function ownCallbackUrl(ctx: IHookFunctions): string {
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

export function isTestUrl(url: string): boolean {
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

export async function readAppSubscription(
	ctx: IHookFunctions,
	app: MetaApp,
): Promise<AppSubscription | null> {
	let response: IDataObject;
	try {
		response = await graphRequest.call(ctx, app.connection, {
			method: 'GET',
			path: `/${app.appId}/subscriptions`,
		});
	} catch (error) {
		throw explainAppError(ctx, app.appId, error);
	}
	for (const entry of pageData(response)) {
		if (!isRecord(entry) || entry.object !== SUBSCRIPTION_OBJECT || entry.active === false) continue;
		const callbackUrl = typeof entry.callback_url === 'string' ? entry.callback_url : '';
		if (callbackUrl !== '') return { callbackUrl, fields: fieldNames(entry.fields) };
	}
	return null;
}

export function conflictError(ctx: IHookFunctions, appId: string, heldBy: string): NodeOperationError {
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

export interface AccountSubscription {
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
export async function readAccountSubscription(
	ctx: IHookFunctions,
	target: AccountTarget,
): Promise<AccountSubscription> {
	const response = await graphRequest.call(ctx, target.connection, { method: 'GET', path: target.path });
	const data = pageData(response).filter(isRecord);
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

export function wantedFields(ctx: IHookFunctions, flavour: Flavour): string[] {
	const events = ctx.getNodeParameter('events', []) as string[];
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return webhookFieldsFor(events, flavour, { standby: options.includeStandby === true });
}

export async function postAppSubscription(
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
