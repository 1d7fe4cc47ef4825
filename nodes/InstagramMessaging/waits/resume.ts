import type { IDataObject, IWebhookDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { signingSecretOf } from '../trigger/secrets';
import { getConnection, graphRequest } from '../transport';
import { ANSWER_SIGNATURE_HEADER, askedAtOf, isSignedAnswer } from './answerSignature';
import { utf8Bytes } from '../actions/validation';
import { MAX_TEXT_BYTES } from '../transport/constants';
import { checkAnswer, DEFAULT_REASKS, expectedAnswerOf, MAX_REASKS, reaskMessageOf } from './expectedAnswer';

/**
 * Message → Send and Wait for Response: n8n routes the resume URLs it signed
 * (`/webhook-waiting/<execution>/<node id>`) to this webhook of the waiting node. A restart
 * webhook is never registered anywhere (n8n ignores it on activation), as in nodes-base's own
 * send-and-wait nodes.
 */
export const resumeWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path: '={{ $nodeId }}',
		restartWebhook: true,
		isFullPath: true,
	},
];

/** The query parameter n8n signs into each choice's resume URL. */
export const CHOICE_PARAMETER = 'choice';
/** The customer the question went to, signed with the choice: only their answer resumes the wait. */
export const CUSTOMER_PARAMETER = 'customer';
/** The question's one-time id (`answerSignature.newQuestionId`), signed with the choice. */
export const QUESTION_PARAMETER = 'question';
/** Where the waiting execution keeps the id of the question it waits for (its custom data). */
export const QUESTION_KEY = 'instagramWaitQuestion';
export const TEXT_CHOICE = 'text';
export const APPROVE_CHOICE = 'yes';
export const DECLINE_CHOICE = 'no';

/** How the waiting node tells the trigger that the answer resumed it (n8n's own pages are HTML). */
export const RESUMED_RESPONSE = { instagramAnswer: 'resumed' } as const;
/** The answer did not fit the Expected Answer: the question was asked again, the wait goes on. */
export const REASKED_RESPONSE = { instagramAnswer: 'reasked' } as const;

export function isResumedResponse(body: unknown): boolean {
	return (
		typeof body === 'object' &&
		body !== null &&
		(body as IDataObject).instagramAnswer === RESUMED_RESPONSE.instagramAnswer
	);
}

export function isReaskedResponse(body: unknown): boolean {
	return (
		typeof body === 'object' &&
		body !== null &&
		(body as IDataObject).instagramAnswer === REASKED_RESPONSE.instagramAnswer
	);
}

function refuse(ctx: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	ctx.logger.debug(`Send and Wait for Response refused a resume call: ${message}`);
	ctx.getResponseObject().status(status).json({ error: message });
	return { noWebhookResponse: true };
}

/** Meta's clock and n8n's may differ a little; an answer is never much older than its question. */
const CLOCK_SKEW_MS = 60_000;

/** The answer the trigger signed: the item of the event it verified, and what it answers. */
interface SignedAnswer extends IDataObject {
	customerId: string;
	/** `reasks`: how often a free-text question was asked again (kept by the trigger). */
	answerTo: { question: string; choice: string; reasks?: number };
}

function parseAnswer(text: unknown): SignedAnswer | null {
	if (typeof text !== 'string' || text.length > 100_000) return null;
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return null;
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
	const answer = value as IDataObject;
	const answerTo = answer.answerTo as IDataObject | undefined;
	if (typeof answer.customerId !== 'string' || typeof answerTo !== 'object' || answerTo === null) return null;
	if (typeof answerTo.question !== 'string' || typeof answerTo.choice !== 'string') return null;
	return answer as SignedAnswer;
}

async function ownSigningSecrets(ctx: IWebhookFunctions): Promise<string[]> {
	const credentialType = ctx.getNodeParameter('authentication', 'instagramLoginApi') as string;
	try {
		const secret = signingSecretOf(credentialType, await ctx.getCredentials(credentialType));
		return secret === null ? [] : [secret];
	} catch {
		return [];
	}
}

/** What the customer chose, as Meta reported it in the verified event. */
function choiceOfAnswer(answer: SignedAnswer): IDataObject {
	const postback = answer.postback as IDataObject | undefined;
	if (answer.eventType === 'postback' && postback)
		return { title: postback.title, payload: postback.payload };
	return { title: answer.text, payload: answer.quickReplyPayload };
}

/** A setting of the waiting node, read again in the webhook: its fallback when the expression fails. */
function setting(ctx: IWebhookFunctions, name: string, fallback: string | number): unknown {
	try {
		return ctx.getNodeParameter(name, fallback);
	} catch {
		return fallback;
	}
}

/**
 * Expected Answer: the answer's value when it fits; when it does not, the text to ask again with
 * while re-asks are left (the wait goes on), else `valid: false`. Max Re-Asks is kept within
 * 0–5 whatever an expression gives, and a Re-Ask Message that does not fit Instagram's limit is
 * replaced by the sentence for the expected answer.
 */
function checkExpectedAnswer(ctx: IWebhookFunctions, answer: SignedAnswer): IDataObject | { reask: string } {
	const expected = expectedAnswerOf(setting(ctx, 'expectedAnswer', 'any'));
	if (expected === 'any') return {};
	const value = checkAnswer(expected, answer.text);
	const reasks = typeof answer.answerTo.reasks === 'number' ? answer.answerTo.reasks : 0;
	if (value !== null) return { value, valid: true, reasks };
	const asked = Math.floor(Number(setting(ctx, 'maxReasks', DEFAULT_REASKS)));
	const maxReasks = Number.isFinite(asked) ? Math.min(MAX_REASKS, Math.max(0, asked)) : DEFAULT_REASKS;
	if (reasks >= maxReasks) return { value: null, valid: false, reasks };
	const text = reaskMessageOf(expected, setting(ctx, 'reaskMessage', ''));
	return { reask: utf8Bytes(text) <= MAX_TEXT_BYTES ? text : reaskMessageOf(expected, '') };
}

/**
 * The re-ask, sent after the trigger has its answer (so that its call never waits for Meta and is
 * never repeated): a bot reply in the window the customer's message just opened, once. A failure
 * is logged; the wait goes on, and the customer's next message still answers it.
 */
async function sendReask(ctx: IWebhookFunctions, customerId: string, text: string): Promise<void> {
	const credentialType = ctx.getNodeParameter('authentication', 'instagramLoginApi') as string;
	try {
		const connection = await getConnection.call(ctx, credentialType);
		await graphRequest.call(ctx, connection, {
			method: 'POST',
			path: `/${connection.selfId}/messages`,
			body: { recipient: { id: customerId }, messaging_type: 'RESPONSE', message: { text } },
			idempotent: false,
			rateClass: 'send',
		});
	} catch (error) {
		ctx.logger.warn(
			`Send and Wait for Response could not ask again (${(error as Error).message}); it keeps waiting for the answer`,
		);
	}
}

/**
 * The waiting Send and Wait for Response node, called by the Instagram Messaging Trigger through
 * the URL n8n signed for one choice (n8n checked that signature before calling this). Nothing of
 * the body is believed unless the trigger signed it with the app secret of this node's credential,
 * for this very question (`answerSignature.ts`); the question must be the one this execution waits
 * for now (its one-time id, kept in the execution's custom data), the answer must come from the
 * customer the question went to, after it was asked, and answer the signed choice. The output is
 * that verified event with `status: 'answered'`; anything else is refused and the execution keeps
 * waiting (the trigger then emits the message as an ordinary event).
 */
export async function resumeWithAnswer(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const query = this.getQueryData() as IDataObject;
	const choice = query[CHOICE_PARAMETER];
	const customer = query[CUSTOMER_PARAMETER];
	const question = query[QUESTION_PARAMETER];
	if (typeof choice !== 'string' || typeof customer !== 'string' || typeof question !== 'string')
		return refuse(this, 400, 'The resume URL names no choice, customer or question');
	if (this.customData.get(QUESTION_KEY) !== question)
		return refuse(this, 409, 'This question was answered or replaced by a newer one');
	const body = this.getBodyData();
	const secrets = await ownSigningSecrets(this);
	const header = this.getHeaderData()[ANSWER_SIGNATURE_HEADER];
	if (secrets.length === 0 || !isSignedAnswer(header, secrets, question, String(body.answer)))
		return refuse(
			this,
			403,
			'The answer is not signed by an Instagram Messaging Trigger with this app secret',
		);
	const answer = parseAnswer(body.answer);
	if (answer === null) return refuse(this, 400, 'The body has no answer item');
	if (answer.answerTo.question !== question || answer.answerTo.choice !== choice)
		return refuse(this, 403, 'The answer is for another question or choice');
	// One node can wait for several customers in turn (a loop): a late answer to an earlier
	// question must not resume the wait for someone else; the trigger then emits it as usual.
	if (answer.customerId !== customer)
		return refuse(this, 403, 'The answer is not from the customer this wait is for');
	const answeredAt = Number(answer.timestampMs);
	if (
		answer.isEcho === true ||
		!Number.isFinite(answeredAt) ||
		answeredAt < askedAtOf(question) - CLOCK_SKEW_MS
	)
		return refuse(this, 403, 'The answer is older than the question');
	const json: IDataObject = { ...answer, status: 'answered' };
	delete json.answerTo;
	if (choice === TEXT_CHOICE) {
		json.answeredWith = 'text';
		const checked = checkExpectedAnswer(this, answer);
		if ('reask' in checked) {
			this.getResponseObject().status(200).json(REASKED_RESPONSE);
			await sendReask(this, answer.customerId, String(checked.reask));
			return { noWebhookResponse: true };
		}
		Object.assign(json, checked);
	} else {
		json.answeredWith = answer.eventType === 'postback' ? 'button' : 'quickReply';
		json.choice = choiceOfAnswer(answer);
	}
	if (choice === APPROVE_CHOICE || choice === DECLINE_CHOICE) json.approved = choice === APPROVE_CHOICE;
	// Answered here: with responseMode onReceived n8n would send its own default body instead.
	this.getResponseObject().status(200).json(RESUMED_RESPONSE);
	return { noWebhookResponse: true, workflowData: [[{ json }]] };
}
