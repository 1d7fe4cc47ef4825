import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { parseWebhookPayload, RecentKeys, storedDedupKeys, toItemJson, type InstagramEvent } from '../events';
import { downloadAttachments, hasDownloadableAttachment, newDownloadBudget } from './download';
import { escalationFields } from './escalation';
import { echoSourceOf, isWanted, readOptions } from './filters';
import { forgetRefusalWarnings, warnRefused } from './refusalLog';
import { forgetSigningSecrets, verifyWithSigningSecrets } from './secrets';
import { isValidSignature, isWellFormedSignatureHeader, safeEqual } from './signature';
import { isPlaceholderVerifyToken } from './verifyToken';

/** Dedup window: the most recent keys kept in the workflow's static data. */
export const DEDUP_LIMIT = 10_000;

/**
 * Keys seen by this n8n process, per workflow, node and mode. n8n saves static data only after
 * webhook() returns, while Meta already has its 200: a redelivery arriving in that window would
 * read the previous static data. This process-wide copy closes that window; static data keeps the
 * keys across restarts. (Several webhook processes in queue mode share only the static data.)
 */
const seenInProcess = new Map<string, RecentKeys>();

/**
 * Forgets everything the trigger keeps in this process — seen keys, kept signing secrets and the
 * refusal-warning rate limit (tests simulate separate processes or restarts with it).
 */
export function forgetKeysSeenInProcess(): void {
	seenInProcess.clear();
	forgetSigningSecrets();
	forgetRefusalWarnings();
}

function takeUnseen(ctx: IWebhookFunctions, events: InstagramEvent[]): InstagramEvent[] {
	const scope = `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}:${ctx.getMode()}`;
	let inProcess = seenInProcess.get(scope);
	if (inProcess === undefined) {
		inProcess = new RecentKeys({ keys: [], next: 0 }, DEDUP_LIMIT);
		seenInProcess.set(scope, inProcess);
	}
	const stored = RecentKeys.in(ctx.getWorkflowStaticData('node'), { limit: DEDUP_LIMIT });
	const now = Date.now();
	return events.filter((event) => {
		const { current, previous } = storedDedupKeys(event, now);
		if (previous !== undefined && (inProcess.has(previous) || stored.has(previous))) return false;
		const newInProcess = inProcess.add(current);
		const newInStore = stored.add(current);
		return newInProcess && newInStore;
	});
}

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
		!isPlaceholderVerifyToken(expected) &&
		safeEqual(token, expected)
	) {
		return answer(this, 200, challenge);
	}
	this.logger.warn('Instagram Messaging Trigger refused a verification request: wrong verify token or mode');
	return answer(this, 403, 'Forbidden');
}

/**
 * POST: verify the signature over the raw bytes, answer 200 at once, then emit one item per wanted
 * event not seen before (dedup keys in the workflow's static data, bounded to DEDUP_LIMIT).
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
	const candidates = events.filter((event) => isWanted(event, wanted, options));
	const fresh = candidates.length === 0 ? [] : takeUnseen(this, candidates);

	// Meta wants a fast 200 (instagram-api.md §2.4); downloads happen after the answer.
	answer(this, 200);
	if (fresh.length === 0) return { noWebhookResponse: true };

	const items: INodeExecutionData[] = [];
	const budget = newDownloadBudget();
	for (const event of fresh) {
		const json: IDataObject = toItemJson(event, { includeRaw: options.includeRaw });
		if (event.eventType === 'echo') Object.assign(json, echoSourceOf(event));
		Object.assign(json, escalationFields(event, rawOptions));
		const item: INodeExecutionData = { json };
		if (options.downloadAttachments && hasDownloadableAttachment(event)) {
			const { binary, downloadError } = await downloadAttachments(
				this,
				event,
				options.maxAttachmentBytes,
				budget,
			);
			json.downloadError = downloadError;
			if (Object.keys(binary).length > 0) item.binary = binary;
		}
		items.push(item);
	}
	return { noWebhookResponse: true, workflowData: [items] };
}
