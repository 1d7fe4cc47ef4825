import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { requestedDeadline, waitDeadline } from '../../waits/deadline';
import { recordPendingText } from '../../waits/pendingText';
import { encodeWaitReference, resumePathOf } from '../../waits/reference';
import { APPROVE_CHOICE, CHOICE_PARAMETER, DECLINE_CHOICE, TEXT_CHOICE } from '../../waits/resume';
import { sendPolicyProperties, sendToInstagram } from '../send';
import { assertCharacters, assertCount, assertTextFits, recipientIdParameter } from '../validation';
import { MAX_BUTTONS } from './buttons';
import { choiceFields, MAX_BUTTON_TITLE, recipientIdProperty } from './common';
import { MAX_QUICK_REPLIES, MAX_QUICK_REPLY_TITLE } from './sendQuickReplies.operation';

/** Meta's limit for a quick-reply or postback payload; the reference to the wait takes ~200. */
const MAX_PAYLOAD = 1000;
const MAX_CHOICE_PAYLOAD = 600;

type ResponseType = 'quickReplies' | 'buttons' | 'freeText' | 'approval';

const properties: INodeProperties[] = [
	recipientIdProperty,
	{
		// `message`, as in n8n's own send-and-wait nodes: n8n's human-review tool replaces it.
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		description: 'The question, at most 1000 UTF-8 bytes',
	},
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		options: [
			{
				name: 'Approval (Yes or No)',
				value: 'approval',
				description: 'Two quick replies; the output has approved: true or false',
			},
			{
				name: 'Buttons',
				value: 'buttons',
				description: 'Up to 3 postback buttons under the question (button template)',
			},
			{
				name: 'Free Text',
				value: 'freeText',
				description:
					"The customer's next message in the thread is the answer. Recognised by this workflow's Instagram Messaging Trigger.",
			},
			{
				name: 'Quick Replies',
				value: 'quickReplies',
				description: 'Up to 13 tappable choices under the question',
			},
		],
		default: 'quickReplies',
	},
	{
		displayName: 'Choices',
		name: 'choices',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Choice',
		default: {},
		displayOptions: { show: { responseType: ['quickReplies', 'buttons'] } },
		description: 'Up to 13 quick replies or 3 buttons (not shown on Instagram web)',
		options: [
			{
				displayName: 'Choice',
				name: 'choice',
				values: choiceFields('What the output carries when the customer taps it. Empty: the title.'),
			},
		],
	},
	{
		displayName: 'Approval Labels',
		name: 'approvalLabels',
		type: 'collection',
		placeholder: 'Add Label',
		default: {},
		displayOptions: { show: { responseType: ['approval'] } },
		options: [
			{ displayName: 'Yes Label', name: 'yes', type: 'string', default: 'Yes' },
			{ displayName: 'No Label', name: 'no', type: 'string', default: 'No' },
		],
	},
	{
		displayName: 'Limit Wait Time',
		name: 'waitLimit',
		type: 'options',
		options: [
			{
				name: 'Until the Messaging Window Closes',
				value: 'messagingWindow',
				description:
					"24 hours after the customer's last message (7 days for a person with HUMAN_AGENT): after that nothing can be sent to them",
			},
			{ name: 'After a Time Interval', value: 'afterInterval' },
			{ name: 'At a Date and Time', value: 'atDateTime' },
		],
		default: 'messagingWindow',
		description:
			"When to stop waiting; then the output is this node's input with status 'timedOut'. n8n checks waits every minute, so a wait may end up to a minute late. A limit after the messaging window closes is refused.",
	},
	{
		displayName: 'Amount',
		name: 'waitAmount',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		displayOptions: { show: { waitLimit: ['afterInterval'] } },
	},
	{
		displayName: 'Unit',
		name: 'waitUnit',
		type: 'options',
		options: [
			{ name: 'Minutes', value: 'minutes' },
			{ name: 'Hours', value: 'hours' },
			{ name: 'Days', value: 'days' },
		],
		default: 'hours',
		displayOptions: { show: { waitLimit: ['afterInterval'] } },
	},
	{
		displayName: 'Wait Until',
		name: 'waitUntil',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { waitLimit: ['atDateTime'] } },
	},
	{
		displayName: 'Let Other Workflows See the Answer',
		name: 'shareAnswer',
		type: 'boolean',
		default: false,
		displayOptions: { show: { responseType: ['quickReplies', 'buttons', 'approval'] } },
		description:
			"Whether an Instagram Messaging Trigger in another workflow that receives the tap still emits it as an ordinary event. This workflow's trigger never does: the answer resumes this execution instead.",
	},
	...sendPolicyProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendAndWait'] } },
	properties,
);

interface Choice {
	title: string;
	payload: string;
	/** The value signed into this choice's resume URL. */
	signedAs: string;
}

function choicesOf(ctx: IExecuteFunctions, itemIndex: number, responseType: ResponseType): Choice[] {
	if (responseType === 'freeText') return [];
	if (responseType === 'approval') {
		const labels = ctx.getNodeParameter('approvalLabels', itemIndex, {}) as { yes?: string; no?: string };
		return [
			{ title: labels.yes ?? 'Yes', payload: 'yes', signedAs: APPROVE_CHOICE },
			{ title: labels.no ?? 'No', payload: 'no', signedAs: DECLINE_CHOICE },
		].map((choice, index) => ({
			...choice,
			title: assertCharacters(
				ctx,
				choice.title,
				itemIndex,
				`Approval Label ${index + 1}`,
				MAX_QUICK_REPLY_TITLE,
			),
		}));
	}
	const given =
		(
			ctx.getNodeParameter('choices', itemIndex, {}) as {
				choice?: Array<{ title?: string; payload?: string }>;
			}
		).choice ?? [];
	const buttons = responseType === 'buttons';
	assertCount(ctx, given.length, itemIndex, 'Choices', buttons ? MAX_BUTTONS : MAX_QUICK_REPLIES);
	return given.map((choice, index) => {
		const field = `Choice ${index + 1}`;
		const max = buttons ? MAX_BUTTON_TITLE : MAX_QUICK_REPLY_TITLE;
		const title = assertCharacters(ctx, choice.title ?? '', itemIndex, `${field}: Title`, max);
		const payload = String(choice.payload ?? '') === '' ? title : String(choice.payload);
		assertCharacters(ctx, payload, itemIndex, `${field}: Payload`, MAX_CHOICE_PAYLOAD);
		return { title, payload, signedAs: String(index) };
	});
}

function questionMessage(
	text: string,
	responseType: ResponseType,
	payloads: Array<[Choice, string]>,
): IDataObject {
	if (responseType === 'freeText') return { text };
	if (responseType === 'buttons') {
		const buttons = payloads.map(([choice, payload]) => ({ type: 'postback', title: choice.title, payload }));
		return { attachment: { type: 'template', payload: { template_type: 'button', text, buttons } } };
	}
	const quickReplies = payloads.map(([choice, payload]) => ({
		content_type: 'text',
		title: choice.title,
		payload,
	}));
	return { text, quick_replies: quickReplies };
}

/**
 * When the deadline passes, n8n disables the waiting node and passes its input on
 * (`handleDisabledNode` in n8n-core's workflow-execute). This run's input is replaced by copies
 * marked `status: 'timedOut'`, so the output says what happened; the previous node's output is
 * another array and stays as it was. An answer replaces the output anyway (`waits/resume.ts`).
 */
function markInputTimedOut(ctx: IExecuteFunctions): void {
	const input = ctx.getExecuteData().data;
	const items = input.main?.[0];
	if (!input.main || !Array.isArray(items)) return;
	input.main[0] = items.map((item) => ({ ...item, json: { ...item.json, status: 'timedOut' } }));
}

/**
 * Sends the question, then puts the execution to wait through n8n's own mechanism (stored in
 * n8n's database: it survives restarts and works in queue mode). Each choice's payload carries
 * the URL n8n signed for it (`waits/reference.ts`); a free-text question is written down for this
 * workflow's trigger (`waits/pendingText.ts`). The answer comes back through `waits/resume.ts`.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	if (this.getInputData().length > 1) {
		throw new NodeOperationError(
			this.getNode(),
			'Send and Wait for Response handles one item per execution',
			{
				itemIndex,
				description:
					'An execution waits for one answer. Put a Loop Over Items node (batch size 1) before this node to ask several customers one after the other, or start one execution per customer.',
			},
		);
	}
	const recipientId = recipientIdParameter(this, itemIndex);
	const text = this.getNodeParameter('message', itemIndex) as string;
	assertTextFits(this, text, itemIndex, 'Message');
	const responseType = this.getNodeParameter('responseType', itemIndex, 'quickReplies') as ResponseType;
	const choices = choicesOf(this, itemIndex, responseType);
	const now = Date.now();
	const requested = requestedDeadline(this, itemIndex, now);
	const workflowId = String(this.getWorkflow().id ?? '');
	const shareWithOtherWorkflows = this.getNodeParameter('shareAnswer', itemIndex, false) as boolean;
	const payloads = choices.map((choice): [Choice, string] => {
		const resumePath = resumePathOf(this.getSignedResumeUrl({ [CHOICE_PARAMETER]: choice.signedAs }));
		const payload = encodeWaitReference({
			workflowId,
			shareWithOtherWorkflows,
			resumePath,
			payload: choice.payload,
		});
		assertCharacters(this, payload, itemIndex, `${choice.title}: Payload`, MAX_PAYLOAD);
		return [choice, payload];
	});

	let deadline = now;
	const result = await sendToInstagram.call(
		this,
		itemIndex,
		connection,
		{ recipient: { id: recipientId }, message: questionMessage(text, responseType, payloads) },
		{
			policy: true,
			checkWindow: (window) => (deadline = waitDeadline(this, itemIndex, requested, window, now)),
		},
	);
	if (responseType === 'freeText') {
		const resumePath = resumePathOf(this.getSignedResumeUrl({ [CHOICE_PARAMETER]: TEXT_CHOICE }));
		recordPendingText(
			this.getWorkflowStaticData('global'),
			recipientId,
			{ resumePath, until: deadline },
			Date.now(),
		);
	}
	await this.putExecutionToWait(new Date(deadline));
	markInputTimedOut(this);
	return { ...result, waitingUntil: new Date(deadline).toISOString() };
}
