import { sleep, type IDataObject, type IWebhookFunctions } from 'n8n-workflow';

import { toItemJson, type InstagramEvent } from '../events';
import { droppedAfterSending, networkFailure } from '../transport/retry';
import { countReask, dropPendingText, pendingTextFor } from '../waits/pendingText';
import { ANSWER_SIGNATURE_HEADER, signAnswer } from '../waits/answerSignature';
import { decodeWaitReference, isResumePath, resumeParameter, type WaitReference } from '../waits/reference';
import { CHOICE_PARAMETER, isReaskedResponse, isResumedResponse, QUESTION_PARAMETER } from '../waits/resume';

/** A tap can arrive before n8n has saved the execution as waiting (n8n answers 409 until then). */
const RUNNING_RETRIES = 5;
const RUNNING_RETRY_MS = 1_000;
const FORWARD_TIMEOUT_MS = 5_000;
/** The one check after a call that timed out: short, so that Meta still gets its answer in time. */
const RECHECK_TIMEOUT_MS = 2_000;

/** A resume call whose effect stays unknown: counted as answered, so it never also starts a run. */
function unresolved(ctx: IWebhookFunctions, origin: string): Outcome {
	ctx.logger.warn(
		`Instagram Messaging Trigger: a call to n8n's waiting webhook at ${origin} timed out and n8n's state stayed unknown; the answer is taken as given (not emitted as an ordinary event).`,
	);
	return 'resumed';
}

export interface RoutedEvents {
	/** Events to emit as usual (taps with their own payload restored). */
	emit: InstagramEvent[];
	/** Events that resumed a waiting execution and are not emitted. */
	answered: InstagramEvent[];
	/** A waiting execution was still being saved: Meta should deliver again later. */
	retryLater: boolean;
}

/**
 * `reasked`: the answer did not fit the question's Expected Answer; it was asked again.
 * `unknown`: a free-text answer whose call dropped after sending: not posted again (the waiting
 * node may have asked again already), the question kept, the answer not emitted.
 */
type Outcome = 'resumed' | 'reasked' | 'unknown' | 'running' | 'gone';

/**
 * The tap's own payload in place of the reference, as the workflow would see a plain quick reply
 * (also in `raw`: the signed path is never handed to a workflow).
 */
function withPayload(event: InstagramEvent, payload: string): InstagramEvent {
	const raw: IDataObject = { ...event.raw };
	const message = raw.message as IDataObject | undefined;
	const quickReply = message?.quick_reply as IDataObject | undefined;
	if (message && quickReply) raw.message = { ...message, quick_reply: { ...quickReply, payload } };
	const postback = raw.postback as IDataObject | undefined;
	if (postback) raw.postback = { ...postback, payload };
	if (event.postback) return { ...event, raw, postback: { ...event.postback, payload } };
	return { ...event, raw, quickReplyPayload: payload };
}

function referenceOf(event: InstagramEvent): WaitReference | null {
	if (event.isEcho) return null;
	if (event.eventType === 'postback') return decodeWaitReference(event.postback?.payload);
	if (event.eventType === 'message') return decodeWaitReference(event.quickReplyPayload);
	return null;
}

function isFreeText(event: InstagramEvent): boolean {
	return event.eventType === 'message' && event.messageKind === 'text' && !event.isEcho && !!event.customerId;
}

/**
 * Whether the event could answer a waiting question: routed even when the trigger's event filter
 * would not start the workflow with it.
 */
export function mayBeAnswer(ctx: IWebhookFunctions, event: InstagramEvent): boolean {
	if (referenceOf(event)) return true;
	return (
		isFreeText(event) &&
		pendingTextFor(ctx.getWorkflowStaticData('global'), event.customerId ?? '', Date.now()) !== undefined
	);
}

/**
 * Calls n8n's waiting-webhook route on this trigger's own origin (never a host from a payload)
 * with the path n8n signed, and the event this trigger verified, signed with the app secret(s)
 * Meta's signature was checked with and bound to the question (`waits/answerSignature.ts`). n8n answers with our node's marker when the answer resumed the
 * execution, 409 while it is still running, and otherwise (timed out, answered already, deleted,
 * or a signature this n8n did not make) something else: the event is then emitted as usual.
 */
async function forward(
	ctx: IWebhookFunctions,
	resumePath: string,
	event: InstagramEvent,
	secrets: string[],
	reasks?: number,
): Promise<Outcome> {
	if (!isResumePath(resumePath)) return 'gone';
	const origin = new URL(ctx.getNodeWebhookUrl('default') ?? '').origin;
	const question = resumeParameter(resumePath, QUESTION_PARAMETER) ?? '';
	const answerTo = {
		question,
		choice: resumeParameter(resumePath, CHOICE_PARAMETER) ?? '',
		...(reasks === undefined ? {} : { reasks }),
	};
	const answer = JSON.stringify({ ...toItemJson(event, { includeRaw: false }), answerTo });
	// A call that timed out or dropped may have resumed the wait. It is resolved before anything
	// else happens with the answer: tried again once; a wait found running or over afterwards was
	// resumed by it; still unknown, the answer counts as answered (never also an ordinary run).
	let mayHaveResumed = false;
	for (let attempt = 0; ; attempt++) {
		try {
			const response = (await ctx.helpers.httpRequest({
				method: 'POST',
				url: origin + resumePath,
				body: { answer },
				headers: { [ANSWER_SIGNATURE_HEADER]: signAnswer(secrets, question, answer) },
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: mayHaveResumed ? RECHECK_TIMEOUT_MS : FORWARD_TIMEOUT_MS,
			})) as { statusCode: number; body: unknown };
			if (response.statusCode === 200 && isResumedResponse(response.body)) return 'resumed';
			if (response.statusCode === 200 && isReaskedResponse(response.body)) return 'reasked';
			ctx.logger.debug(
				`Instagram Messaging Trigger: n8n answered a waiting answer with ${response.statusCode}: ${String(JSON.stringify(response.body)).slice(0, 200)}`,
			);
			const running =
				response.statusCode === 409 && JSON.stringify(response.body ?? '').includes('is running');
			if (mayHaveResumed) {
				// Running or over: the earlier call resumed it. A server error: still unknown.
				if (response.statusCode < 500) return 'resumed';
				return unresolved(ctx, origin);
			}
			if (!running) {
				if (response.statusCode === 403) {
					ctx.logger.warn(
						`Instagram Messaging Trigger: a waiting Send and Wait for Response refused an answer (${String(JSON.stringify(response.body)).slice(0, 200)}); its credential's app secret must be the one Meta signs this app's webhooks with. The answer is emitted as an ordinary event.`,
					);
				}
				if (response.statusCode === 401) {
					ctx.logger.warn(
						'Instagram Messaging Trigger: n8n refused the signature of a waiting answer; give every n8n process the same N8N_ENCRYPTION_KEY (or N8N_HMAC_SIGNATURE_SECRET)',
					);
				}
				return 'gone';
			}
			if (attempt >= RUNNING_RETRIES) return 'running';
		} catch (error) {
			if (mayHaveResumed) return unresolved(ctx, origin);
			if (!droppedAfterSending(error)) {
				ctx.logger.warn(
					`Instagram Messaging Trigger could not reach n8n's waiting webhook at ${origin}: ${networkFailure(error).summary}. The answer is emitted as an ordinary event.`,
				);
				return 'gone';
			}
			if (reasks !== undefined) {
				ctx.logger.warn(
					`Instagram Messaging Trigger: a free-text answer's call to n8n's waiting webhook at ${origin} dropped after sending; it is not sent again (the question may have been asked again already) and the question keeps waiting.`,
				);
				return 'unknown';
			}
			mayHaveResumed = true;
			continue;
		}
		await sleep(RUNNING_RETRY_MS);
	}
}

/**
 * Answers to Message → Send and Wait for Response resume their execution instead of starting a
 * new one in this workflow: taps by the reference in their payload, free text by this workflow's
 * list of questions waiting for text. Anything that resumes nothing is emitted as usual, so no
 * message is lost.
 */
export async function routeAnswers(
	ctx: IWebhookFunctions,
	events: InstagramEvent[],
	secrets: string[],
): Promise<RoutedEvents> {
	const routed: RoutedEvents = { emit: [], answered: [], retryLater: false };
	const ownWorkflow = String(ctx.getWorkflow().id ?? '');
	let staticData: IDataObject | undefined;
	for (const event of events) {
		// Once one answer must wait for Meta's next delivery, the rest waits too (the whole delivery is
		// answered 503), so that Meta gets its answer in time.
		if (routed.retryLater) break;
		const reference = referenceOf(event);
		if (reference) {
			const restored = withPayload(event, reference.payload);
			const outcome = await forward(ctx, reference.resumePath, restored, secrets);
			if (outcome === 'running') routed.retryLater = true;
			const otherWorkflow = reference.workflowId !== ownWorkflow;
			// Nothing is lost: what resumed nothing is emitted. An emitted event gets its dedup key from
			// the execution it starts; only the others are recorded here.
			if (outcome === 'gone' || (otherWorkflow && reference.shareWithOtherWorkflows))
				routed.emit.push(restored);
			else if (outcome === 'resumed') routed.answered.push(restored);
			continue;
		}
		if (isFreeText(event)) {
			staticData ??= ctx.getWorkflowStaticData('global');
			const pending = pendingTextFor(staticData, event.customerId ?? '', Date.now());
			if (pending) {
				const outcome = await forward(ctx, pending.resumePath, event, secrets, pending.reasks ?? 0);
				if (outcome === 'running') {
					routed.retryLater = true;
					continue;
				}
				if (outcome === 'reasked' || outcome === 'unknown') {
					// The question is still waiting (asked again, or maybe): the next message answers it.
					if (outcome === 'reasked') countReask(staticData, event.customerId ?? '');
					routed.answered.push(event);
					continue;
				}
				dropPendingText(staticData, event.customerId ?? '');
				if (outcome === 'resumed') {
					routed.answered.push(event);
					continue;
				}
			}
		}
		routed.emit.push(event);
	}
	return routed;
}
