import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { GRAPH_API_VERSION } from './constants';
import { connectionFor, type GraphConnection } from './flavour';
import { describeMetaError, explainMetaError, isMetaError, type MetaError } from './metaErrors';
import { acquireSlot, type RateClass } from './rateLimit';
import { backoffDelayMs, MAX_ATTEMPTS, networkFailure, regainAccessMs } from './retry';

export type GraphContext = IExecuteFunctions | IWebhookFunctions | IHookFunctions | ILoadOptionsFunctions;

export interface GraphRequest {
	method: IHttpRequestMethods;
	/** Path below the version, e.g. `/me/messages`. */
	path: string;
	qs?: IDataObject;
	/** A JSON object, or the raw bytes of a multipart body (then set its Content-Type in `headers`). */
	body?: IDataObject | Buffer;
	/** Extra request headers, e.g. the multipart Content-Type of an attachment upload. */
	headers?: IDataObject;
	/**
	 * Whether sending the same request twice is harmless. Non-idempotent requests (a message send)
	 * are retried only when Meta certainly did not act on them: an explicit throttling or temporary
	 * error, or a connection that was never made. Defaults to true for GET and DELETE.
	 */
	idempotent?: boolean;
	/** Meta's per-account cap this call counts against; calls are spaced to stay under it. */
	rateClass?: RateClass;
	itemIndex?: number;
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

export async function getConnection(this: GraphContext, credentialType: string): Promise<GraphConnection> {
	const credentials = await this.getCredentials(credentialType);
	return connectionFor(credentialType, credentials);
}

function metaErrorOf(body: unknown): MetaError | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const error = (body as { error?: unknown }).error;
	return isMetaError(error) ? error : undefined;
}

/** Only the fields of Meta's error object, so that nothing else (headers, tokens) reaches the UI. */
function apiError(
	ctx: GraphContext,
	error: MetaError,
	statusCode: number,
	itemIndex: number | undefined,
): NodeApiError {
	const explanation = explainMetaError(error);
	return new NodeApiError(ctx.getNode(), { ...error } as JsonObject, {
		message: explanation.message,
		description: describeMetaError(error, explanation),
		httpCode: String(statusCode),
		itemIndex,
	});
}

/**
 * The one way this package talks to Meta: every call goes through the credential's
 * authentication, with Meta's errors turned into messages that say what happened and how to fix
 * it, and transient failures retried with backoff.
 */
export async function graphRequest(
	this: GraphContext,
	connection: GraphConnection,
	request: GraphRequest,
): Promise<IDataObject> {
	const idempotent = request.idempotent ?? (request.method === 'GET' || request.method === 'DELETE');
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${connection.baseUrl}/${GRAPH_API_VERSION}${request.path}`,
		qs: request.qs,
		body: request.body,
		...(request.headers ? { headers: request.headers } : {}),
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};

	for (let attempt = 1; ; attempt++) {
		if (request.rateClass) await acquireSlot(connection.accountKey, request.rateClass);
		let response: FullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(this, connection.credentialType, {
				...options,
			})) as FullResponse;
		} catch (error) {
			const failure = networkFailure(error);
			if (failure.retryable(idempotent) && attempt < MAX_ATTEMPTS) {
				await sleep(backoffDelayMs(attempt));
				continue;
			}
			throw new NodeApiError(
				this.getNode(),
				{ code: failure.code, message: failure.summary },
				{
					message: `Could not reach Meta at ${connection.baseUrl}: ${failure.summary}`,
					description: idempotent
						? 'Check the network connection of the n8n server (and the base URL, if the credential overrides it).'
						: 'Check the network connection of the n8n server. The request was not retried because Meta may already have received it; check the conversation before sending again.',
					itemIndex: request.itemIndex,
				},
			);
		}

		const { statusCode, body } = response;
		if (statusCode >= 200 && statusCode < 300) {
			return (typeof body === 'object' && body !== null ? body : { result: body }) as IDataObject;
		}

		const metaError = metaErrorOf(body) ?? {
			message: `HTTP ${statusCode}${typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : ''}`,
		};
		const explanation = explainMetaError(metaError);
		// A Meta error body means the request was processed and refused: safe to repeat when the
		// refusal is transient. A bare 5xx could hide an accepted send, so only idempotent calls retry it.
		const retryable = metaErrorOf(body) ? explanation.retryable : statusCode >= 500 && idempotent;
		if (retryable && attempt < MAX_ATTEMPTS) {
			const regain = regainAccessMs(response.headers);
			if (regain === undefined || regain <= 60_000) {
				await sleep(regain ?? backoffDelayMs(attempt));
				continue;
			}
		}
		throw apiError(this, metaError, statusCode, request.itemIndex);
	}
}
