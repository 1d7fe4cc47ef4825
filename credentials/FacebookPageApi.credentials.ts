import { createHmac } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	apiBaseUrl,
	apiBaseUrlExpression,
	apiBaseUrlProperty,
	GRAPH_API_VERSION,
} from '../nodes/InstagramMessaging/transport/graphApi';
import { instagramTestRules } from './common/credentialTests';
import { fingerprint } from '../nodes/InstagramMessaging/transport/fingerprint';

/** appsecret_proof = HMAC-SHA256 of the access token keyed with the app secret (instagram-api.md §8.5). */
export function appSecretProof(token: string, appSecret: string): string {
	return createHmac('sha256', appSecret).update(token).digest('hex');
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

/** Identifies what the derived data was derived from (the pasted token and the Page ID), one-way. */
function sourceKey(credentials: ICredentialDataDecryptedObject): string {
	return fingerprint(
		`${text(credentials.loginType) || 'page'}|${text(credentials.accessToken)}|${text(credentials.pageId)}`,
	);
}

/** The token calls are made with: the Page token derived from a user token, or the pasted Page token. */
export function pageTokenOf(credentials: ICredentialDataDecryptedObject): string {
	const derived = text(credentials.pageAccessToken);
	if (
		credentials.loginType === 'user' &&
		derived !== '' &&
		credentials.derivedFrom === sourceKey(credentials)
	)
		return derived;
	return text(credentials.accessToken);
}

async function graphGet(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	token: string,
	path: string,
	fields: string,
): Promise<IDataObject | undefined> {
	const qs: IDataObject = { fields };
	if (credentials.addProof === true && text(credentials.appSecret) !== '') {
		qs.appsecret_proof = appSecretProof(token, text(credentials.appSecret));
	}
	try {
		const response = (await helpers.helpers.httpRequest({
			method: 'GET',
			url: `${apiBaseUrl('facebookPage', credentials)}/${GRAPH_API_VERSION}${path}`,
			qs,
			headers: { Authorization: `Bearer ${token}` },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode?: number; body?: unknown };
		const ok = (response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 300;
		return ok && typeof response.body === 'object' && response.body !== null
			? (response.body as IDataObject)
			: undefined;
	} catch {
		// Never surface the request (its headers hold the token); the call itself will report Meta's error.
		return undefined;
	}
}

function linkedAccountId(page: IDataObject | undefined): string {
	const linked = page?.instagram_business_account as IDataObject | undefined;
	return text(linked?.id);
}

export class FacebookPageApi implements ICredentialType {
	name = 'facebookPageApi';

	displayName = 'Instagram via Facebook Page API';

	icon = {
		light: 'file:../nodes/InstagramMessaging/instagramMessaging.svg',
		dark: 'file:../nodes/InstagramMessaging/instagramMessaging.dark.svg',
	} as const;

	documentationUrl = 'https://developers.facebook.com/docs/messenger-platform/instagram/overview';

	properties: INodeProperties[] = [
		{
			displayName: 'Login Type',
			name: 'loginType',
			type: 'options',
			options: [
				{ name: 'Page Access Token', value: 'page' },
				{ name: 'User Access Token (Derive the Page Token)', value: 'user' },
			],
			default: 'page',
			description:
				'A Page token is used as is. A long-lived user token of someone with tasks on the Page is turned into the Page token on first use (a Page token derived from a long-lived user token does not expire).',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Facebook token (EAA…) with instagram_basic, instagram_manage_messages, pages_manage_metadata and pages_show_list: the Page token, or the user token when Login Type is User',
		},
		{
			displayName: 'Page ID',
			name: 'pageId',
			type: 'string',
			default: '',
			description:
				'ID of the Facebook Page linked to the Instagram account. With a user token it may stay empty: the first Page with a linked Instagram account is used.',
		},
		{
			displayName: 'Instagram Account ID',
			name: 'instagramAccountId',
			type: 'string',
			default: '',
			description:
				'ID of the Instagram professional account (the ID in webhooks). Found through the Page and saved here on first use when left empty.',
		},
		{
			displayName: 'Meta App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'App secret from App settings → Basic of the Meta app. The trigger uses it to verify webhook signatures; it also signs calls with appsecret_proof when enabled.',
		},
		{
			displayName: 'Add Proof to Calls (appsecret_proof)',
			name: 'addProof',
			type: 'boolean',
			default: false,
			description:
				'Whether to add appsecret_proof to every call, required when the Meta app has "Require App Secret" turned on',
		},
		apiBaseUrlProperty('facebookPage'),
		{
			displayName: 'Refresh Check',
			name: 'refreshCheck',
			type: 'hidden',
			typeOptions: { expirable: true },
			default: '',
		},
		{
			displayName: 'Derived Page Token',
			name: 'pageAccessToken',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Derived From', name: 'derivedFrom', type: 'hidden', default: '' },
		{ displayName: 'Account Lookup Done For', name: 'lookupDoneFor', type: 'hidden', default: '' },
	];

	/**
	 * Runs before every request (the hidden `refreshCheck` field is expirable and always empty) and
	 * costs nothing once done: derives the Page token from a user token, and finds the Page and
	 * the linked Instagram account when their IDs are empty. n8n saves what it returns.
	 */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const key = sourceKey(credentials);
		if (credentials.lookupDoneFor === key) return {};
		const out: IDataObject = { refreshCheck: '', lookupDoneFor: key };
		let pageId = text(credentials.pageId);
		let igId = text(credentials.instagramAccountId);
		const pasted = text(credentials.accessToken);
		if (pasted === '') return {};
		if (credentials.loginType === 'user') {
			let page: IDataObject | undefined;
			if (pageId !== '') {
				page = await graphGet(
					this,
					credentials,
					pasted,
					`/${pageId}`,
					'id,access_token,instagram_business_account',
				);
			} else {
				const accounts = await graphGet(
					this,
					credentials,
					pasted,
					'/me/accounts',
					'id,name,access_token,instagram_business_account',
				);
				const pages = Array.isArray(accounts?.data) ? (accounts.data as IDataObject[]) : [];
				page = pages.find((p) => linkedAccountId(p) !== '') ?? pages[0];
			}
			const pageToken = text(page?.access_token);
			// Nothing derived: leave the credential as it is; the call reports Meta's error.
			if (!page || pageToken === '') return {};
			if (pageId === '') pageId = text(page.id);
			if (igId === '') igId = linkedAccountId(page);
			out.pageAccessToken = pageToken;
			out.derivedFrom = fingerprint(`user|${pasted}|${pageId}`);
		} else if (igId === '') {
			const page = await graphGet(
				this,
				credentials,
				pasted,
				`/${pageId || 'me'}`,
				'id,instagram_business_account',
			);
			if (!page) return {};
			if (pageId === '') pageId = text(page.id);
			igId = linkedAccountId(page);
		}
		if (pageId !== text(credentials.pageId)) out.pageId = pageId;
		if (igId !== text(credentials.instagramAccountId)) out.instagramAccountId = igId;
		out.lookupDoneFor = fingerprint(`${text(credentials.loginType) || 'page'}|${pasted}|${pageId}`);
		return out;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token = pageTokenOf(credentials);
		const headers = { ...requestOptions.headers, Authorization: `Bearer ${token}` };
		if (credentials.addProof !== true || !credentials.appSecret) {
			return { ...requestOptions, headers };
		}
		const proof = appSecretProof(token, String(credentials.appSecret));
		return { ...requestOptions, headers, qs: { ...requestOptions.qs, appsecret_proof: proof } };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{${apiBaseUrlExpression('facebookPage', '$credentials')}}}`,
			url: `=/${GRAPH_API_VERSION}/{{$credentials.pageId || "me"}}`,
			qs: { fields: 'id,name,instagram_business_account' },
			ignoreHttpStatusErrors: true,
		},
		rules: instagramTestRules('facebookPage'),
	};
}
