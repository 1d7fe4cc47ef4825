import type { IDataObject, IWebhookDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

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
export const TEXT_CHOICE = 'text';
export const APPROVE_CHOICE = 'yes';
export const DECLINE_CHOICE = 'no';

/** How the waiting node tells the trigger that the answer resumed it (n8n's own pages are HTML). */
export const RESUMED_RESPONSE = { instagramAnswer: 'resumed' } as const;

export function isResumedResponse(body: unknown): boolean {
	return (
		typeof body === 'object' &&
		body !== null &&
		(body as IDataObject).instagramAnswer === RESUMED_RESPONSE.instagramAnswer
	);
}

function refuse(ctx: IWebhookFunctions, message: string): IWebhookResponseData {
	const res = ctx.getResponseObject();
	res.status(400).json({ error: message });
	return { noWebhookResponse: true };
}

/**
 * The waiting Send and Wait for Response node, called by the Instagram Messaging Trigger through
 * the URL n8n signed for one choice (n8n checked the signature before calling this). Its output
 * is the trigger's item of the answer, with `status: 'answered'`; a malformed call is refused and
 * the execution keeps waiting.
 */
export async function resumeWithAnswer(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const choice = (this.getQueryData() as IDataObject)[CHOICE_PARAMETER];
	const body = this.getBodyData();
	const answer = body.answer;
	if (typeof choice !== 'string' || choice === '') return refuse(this, 'The resume URL names no choice');
	if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
		return refuse(this, 'The body has no answer item');
	}
	const item = answer as IDataObject;
	if (typeof item.customerId !== 'string' || item.customerId === '') {
		return refuse(this, 'The answer item has no customerId');
	}
	// One node can wait for several customers in turn (a loop): a late answer to an earlier
	// question must not resume the wait for someone else; the trigger then emits it as usual.
	const customer = (this.getQueryData() as IDataObject)[CUSTOMER_PARAMETER];
	if (customer !== item.customerId)
		return refuse(this, 'The answer is not from the customer this wait is for');
	const json: IDataObject = { ...item, status: 'answered' };
	if (choice === TEXT_CHOICE) json.answeredWith = 'text';
	else json.answeredWith = item.eventType === 'postback' ? 'button' : 'quickReply';
	if (choice === APPROVE_CHOICE || choice === DECLINE_CHOICE) json.approved = choice === APPROVE_CHOICE;
	// Answered here: with responseMode onReceived n8n would send its own default body instead.
	this.getResponseObject().status(200).json(RESUMED_RESPONSE);
	return { noWebhookResponse: true, workflowData: [[{ json }]] };
}
