import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { parseWebhookPayload, toItemJson } from '../events';
import { mayBeAnswer, routeAnswers } from './answers';
import { escalationFields } from './escalation';
import { echoSourceOf, isWanted, keywordOf, readOptions } from './filters';
import { warnRefused } from './refusalLog';
import { answeredKeyItems, isPastRedeliveryWindow, recordAnswered, takeUnseen } from './seenEvents';
import { verifyWithSigningSecrets } from './secrets';
import { isValidSignature, isWellFormedSignatureHeader, safeEqual } from './signature';
import { isPlaceholderVerifyToken } from './verifyToken';

/** Refusals and the handshake are answered here, with exactly the status Meta expects. */
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
		!isPlaceholderVerifyToken(expected) &&
		safeEqual(token, expected)
	) {
		return answer(this, 200, challenge);
	}
	warnRefused(this, 'a verification request (GET) with a wrong verify token or mode');
	return answer(this, 403, 'Forbidden');
}

/**
 * POST: verify the signature over the raw bytes, then one item per wanted event not seen before.
 * When there are items, n8n answers Meta (200, node description) only after it has saved the
 * execution that holds them — in its database, or in the queue in queue mode — so an
 * acknowledged event cannot be lost with the process. The execution's first step
 * (`emit.ts`) stores the dedup keys and downloads attachments.
 */
export async function handleEvents(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	const rawBody = (req as { rawBody?: Buffer }).rawBody;
	const header = req.headers['x-hub-signature-256'];
	// Cheap refusals first: no HMAC and no credential read for what can never be valid.
	if (!Buffer.isBuffer(rawBody) || !isWellFormedSignatureHeader(header)) {
		warnRefused(this, 'missing or malformed X-Hub-Signature-256');
		return answer(this, 403, 'Forbidden');
	}
	const { valid, secrets } = await verifyWithSigningSecrets(this, (candidates) =>
		isValidSignature(rawBody, header, candidates),
	);
	if (secrets.length === 0) {
		warnRefused(this, 'the credential has no app secret to verify signatures with');
		return answer(this, 403, 'Forbidden');
	}
	if (!valid) {
		warnRefused(this, 'invalid X-Hub-Signature-256');
		return answer(this, 403, 'Forbidden');
	}

	const wanted = new Set(this.getNodeParameter('events', []) as string[]);
	const rawOptions = this.getNodeParameter('options', {}) as IDataObject;
	const options = readOptions(rawOptions);
	const { events } = parseWebhookPayload(this.getBodyData());
	const now = Date.now();
	const current = events.filter((event) => !isPastRedeliveryWindow(event, now));
	if (current.length < events.length) {
		warnRefused(this, `${events.length - current.length} event(s) older than Meta's 36 h redelivery window`);
	}
	// Answers to Send and Wait for Response are routed whatever the event filter says.
	const candidates = current.filter((event) => isWanted(event, wanted, options) || mayBeAnswer(this, event));
	if (candidates.length === 0) return answer(this, 200);
	const unseen = takeUnseen(this, candidates);
	if (unseen.kind === 'inFlight') {
		warnRefused(this, 'a redelivery arrived before n8n had saved the first delivery; Meta will retry it');
		return answer(this, 503, 'Retry later');
	}
	if (unseen.events.length === 0) return answer(this, 200);
	// Answers are signed only with the secret(s) Meta's signature matched: an attached credential's
	// secret someone else knows must not vouch for a delivery another secret verified.
	const matched = secrets.filter((secret) => isValidSignature(rawBody, header, [secret]));
	const routed = await routeAnswers(this, unseen.events, matched);
	if (routed.retryLater) {
		unseen.settle(503);
		recordAnswered(this, routed.answered);
		warnRefused(
			this,
			'an answer arrived while its execution was still being saved as waiting; Meta will retry it',
		);
		return answer(this, 503, 'Retry later');
	}
	recordAnswered(this, routed.answered);
	const fresh = routed.emit.filter((event) => isWanted(event, wanted, options));
	if (fresh.length === 0) {
		unseen.settle(200);
		return answer(this, 200);
	}
	// n8n answers after saving the execution; its answer settles the pending keys.
	const res = this.getResponseObject();
	res.once('close', () => unseen.settle(res.writableFinished ? res.statusCode : null));
	const items: INodeExecutionData[] = fresh.map((event) => {
		const json: IDataObject = toItemJson(event, { includeRaw: options.includeRaw });
		if (event.eventType === 'echo') Object.assign(json, echoSourceOf(event));
		json.matchedKeyword = keywordOf(event, options);
		Object.assign(json, escalationFields(event, rawOptions));
		return { json };
	});
	return { workflowData: [[...items, ...answeredKeyItems(routed.answered)]] };
}
