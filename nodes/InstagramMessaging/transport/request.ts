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
import { rereadWhenTokenDue } from './credentialCopy';
import { connectionFor, type GraphConnection } from './flavour';
import { isRunHalted, recordWrite, RunHaltedError } from './halt';
import {
	describeMetaError,
	explainMetaError,
	isMetaError,
	type ErrorExplanation,
	type MetaError,
} from './metaErrors';
import { redactSecrets } from './redact';
import { acquireSlot, slowDown, type RateClass, type Slot } from './rateLimit';
import {
	backoffDelayMs,
	MAX_ATTEMPTS,
	MAX_THROTTLED_ATTEMPTS,
	networkFailure,
	regainAccessMs,
} from './retry';

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
	/** What may have happened when a non-idempotent request gets an uncertain answer; default a delivered message. */
	uncertainOutcome?: string;
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
	const connection = connectionFor(credentialType, credentials);
	const ref = this.getNode().credentials?.[credentialType];
	if (typeof ref?.id === 'string' && ref.id !== '') {
		connection.credentials = { id: ref.id, name: ref.name, type: credentialType, data: credentials };
	}
	return connection;
}

function metaErrorOf(body: unknown): MetaError | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const error = (body as { error?: unknown }).error;
	return isMetaError(error) && typeof error.code === 'number' ? error : undefined;
}

const MAY_HAVE_BEEN_DELIVERED =
	'Do not resend blindly: look at the conversation first (the Instagram inbox, or Conversation → Get Messages). The request was not repeated, so that no message goes out twice.';

/**
 * Only the fields of Meta's error object, so that nothing else (headers, tokens) reaches the UI.
 * A request that must not happen twice and got an answer that does not rule out that Meta acted
 * says so, and carries `context.deliveryUncertain`.
 */
function apiError(
	ctx: GraphContext,
	error: MetaError,
	statusCode: number,
	request: GraphRequest,
	idempotent: boolean,
	explanation: ErrorExplanation,
): NodeApiError {
	const uncertain = !idempotent && explanation.mayHaveActed === true;
	const apiErrorObject = new NodeApiError(ctx.getNode(), { ...error } as JsonObject, {
		message: uncertain ? `${uncertainOutcome(request)} — ${explanation.message}` : explanation.message,
		description: uncertain
			? `${MAY_HAVE_BEEN_DELIVERED}\n\n${describeMetaError(error, explanation)}`
			: describeMetaError(error, explanation),
		httpCode: String(statusCode),
		itemIndex: request.itemIndex,
	});
	if (uncertain) apiErrorObject.context.deliveryUncertain = true;
	return apiErrorObject;
}

function uncertainOutcome(request: GraphRequest): string {
	return request.uncertainOutcome ?? 'The message may have been delivered';
}

function traceIdOf(headers: FullResponse['headers']): string | undefined {
	const raw = headers['x-fb-trace-id'];
	return Array.isArray(raw) ? raw[0] : raw;
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
		const slot: Slot | undefined = request.rateClass
			? await acquireSlot(connection.accountKey, request.rateClass)
			: undefined;
		if (isRunHalted(this)) throw new RunHaltedError();
		await rereadWhenTokenDue(this, connection);
		let response: FullResponse;
		try {
			// n8n ignores `credentialsDecrypted` for OAuth2 credentials (it reads their tokens itself).
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				connection.credentialType,
				{ ...options },
				connection.credentials ? { credentialsDecrypted: connection.credentials } : undefined,
			)) as FullResponse;
		} catch (error) {
			const failure = networkFailure(error);
			if (failure.retryable(idempotent) && attempt < MAX_ATTEMPTS) {
				await sleep(backoffDelayMs(attempt));
				continue;
			}
			const uncertain = !idempotent && failure.maybeSent;
			// Neither `code` in the error object nor the code in the message: NodeApiError would
			// replace the message of a known connection code with its own generic one.
			const what = failure.summary.replace(/ \(\w+\)$/, '');
			const networkError = new NodeApiError(
				this.getNode(),
				{ networkErrorCode: failure.code, message: what },
				{
					message: uncertain
						? `${uncertainOutcome(request)} — the connection to Meta at ${connection.baseUrl} failed midway (${what})`
						: `Could not reach Meta at ${connection.baseUrl}: ${what}`,
					description: `${
						uncertain
							? `${MAY_HAVE_BEEN_DELIVERED} Also check the network connection of the n8n server.`
							: 'Check the network connection of the n8n server (and the base URL, if the credential overrides it).'
					} (network error ${failure.code})`,
					itemIndex: request.itemIndex,
				},
			);
			if (uncertain) networkError.context.deliveryUncertain = true;
			throw networkError;
		}

		const { statusCode, body } = response;
		if (statusCode >= 200 && statusCode < 300) {
			if (!idempotent) recordWrite(this, request.itemIndex);
			return (typeof body === 'object' && body !== null ? body : { result: body }) as IDataObject;
		}

		const knownError = metaErrorOf(body);
		const traceId = traceIdOf(response.headers);
		const metaError: MetaError = knownError ?? {
			message: `HTTP ${statusCode}${typeof body === 'string' && body ? `: ${redactSecrets(body.slice(0, 200))}` : ''}`,
			...(traceId && { fbtrace_id: traceId }),
		};
		// A bare 5xx (no Meta error body) may hide an accepted request, like Meta's transient errors.
		const explanation: ErrorExplanation = knownError
			? { ...explainMetaError(knownError, connection.flavour) }
			: {
					message: `Meta answered HTTP ${statusCode} without an error description`,
					fix: "Meta or a proxy in between failed. Reads are retried automatically; if it persists, check Meta's status page.",
					retryable: statusCode >= 500,
					mayHaveActed: statusCode >= 500,
				};
		// A 5xx leaves open whether Meta acted, whatever its body says, unless it is throttling.
		const throttling = explanation.retryable && !explanation.mayHaveActed;
		if (statusCode >= 500 && !throttling) explanation.mayHaveActed = true;
		// Repeat only what is harmless to repeat, or what Meta certainly did not act on (throttling).
		const repeat = explanation.retryable && (idempotent || !explanation.mayHaveActed);
		const rateLimited = explanation.rateLimited === true;
		if (rateLimited && request.rateClass && slot) slowDown(connection.accountKey, request.rateClass, slot);
		if (repeat && attempt < (rateLimited ? MAX_THROTTLED_ATTEMPTS : MAX_ATTEMPTS)) {
			const regain = regainAccessMs(response.headers);
			if (regain === undefined || regain <= 60_000) {
				await sleep(regain ?? backoffDelayMs(attempt, rateLimited));
				continue;
			}
		}
		throw apiError(this, metaError, statusCode, request, idempotent, explanation);
	}
}
