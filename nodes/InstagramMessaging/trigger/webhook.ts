import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { parseWebhookPayload, toItemJson } from '../events';
import { isValidSignature, safeEqual } from './signature';

/**
 * n8n answers for us only when we let it; the trigger answers itself so that the status is exactly
 * what Meta expects and so that static data is saved before the execution starts
 * (n8n-harness.md §B.8).
 */
function answer(ctx: IWebhookFunctions, status: number, body?: string): IWebhookResponseData {
	const res = ctx.getResponseObject();
	res.status(status);
	if (body === undefined) res.end();
	else res.type('text/plain').send(body);
	return { noWebhookResponse: true };
}

/** GET handshake (instagram-api.md §2.2): echo the challenge only for the right verify token. */
export async function handleSetup(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const query = this.getQueryData() as IDataObject;
	const mode = query['hub.mode'];
	const token = query['hub.verify_token'];
	const challenge = query['hub.challenge'];
	const expected = this.getNodeParameter('verifyToken', '') as string;
	if (
		mode === 'subscribe' &&
		typeof token === 'string' &&
		typeof challenge === 'string' &&
		expected !== '' &&
		safeEqual(token, expected)
	) {
		return answer(this, 200, challenge);
	}
	this.logger.warn('Instagram Messaging Trigger refused a verification request: wrong verify token or mode');
	return answer(this, 403, 'Forbidden');
}

async function signingSecrets(ctx: IWebhookFunctions): Promise<string[]> {
	const credentialType = ctx.getNodeParameter('authentication', 'instagramLoginApi') as string;
	const credentials = await ctx.getCredentials(credentialType);
	return [credentials.appSecret].filter((s): s is string => typeof s === 'string' && s !== '');
}

/** POST: verify the signature over the raw bytes, then emit one item per wanted event. */
export async function handleEvents(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	const rawBody = (req as { rawBody?: Buffer }).rawBody;
	const secrets = await signingSecrets(this);
	if (secrets.length === 0) {
		this.logger.warn(
			'Instagram Messaging Trigger refused a webhook: the credential has no app secret to verify signatures with',
		);
		return answer(this, 403, 'Forbidden');
	}
	if (!rawBody || !isValidSignature(rawBody, req.headers['x-hub-signature-256'], secrets)) {
		this.logger.warn('Instagram Messaging Trigger refused a webhook: missing or invalid X-Hub-Signature-256');
		return answer(this, 403, 'Forbidden');
	}

	const wanted = new Set(this.getNodeParameter('events', []) as string[]);
	const options = this.getNodeParameter('options', {}) as { includeRaw?: boolean };
	const { events } = parseWebhookPayload(this.getBodyData());
	const items: INodeExecutionData[] = events
		.filter((event) => wanted.has(event.eventType))
		.map((event) => ({ json: toItemJson(event, { includeRaw: options.includeRaw === true }) }));

	answer(this, 200);
	if (items.length === 0) return { noWebhookResponse: true };
	return { noWebhookResponse: true, workflowData: [items] };
}
