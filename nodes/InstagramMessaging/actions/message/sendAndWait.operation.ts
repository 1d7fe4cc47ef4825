import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { GraphConnection } from '../../transport';
import { requestedDeadline, waitDeadline, waitLimitProperties } from '../../waits/deadline';
import { isPlainTool, markInputTimedOut } from '../../waits/waitingRun';
import { recordPendingText } from '../../waits/pendingText';
import { encodeWaitReference, resumePathOf } from '../../waits/reference';
import {
	APPROVE_CHOICE,
	CHOICE_PARAMETER,
	CUSTOMER_PARAMETER,
	DECLINE_CHOICE,
	QUESTION_KEY,
	QUESTION_PARAMETER,
	TEXT_CHOICE,
} from '../../waits/resume';
import { newQuestionId } from '../../waits/answerSignature';
import { assertCanVerifyAnswers, assertWaitable } from '../../waits/preconditions';
import { sendPolicyProperties, sendToInstagram } from '../send';
import { assertCharacters, assertCount, assertTextFits, recipientIdParameter } from '../validation';
import { MAX_BUTTONS } from './buttons';
import { expectedAnswerOf, expectedAnswerProperties, reaskMessageOf } from '../../waits/expectedAnswer';
import {
	choiceFields,
	choiceOf,
	MAX_BUTTON_TITLE,
	MAX_QUICK_REPLIES,
	MAX_QUICK_REPLY_TITLE,
	recipientIdProperty,
} from './common';

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
	...expectedAnswerProperties,
	...waitLimitProperties,
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
	const limits = { title: buttons ? MAX_BUTTON_TITLE : MAX_QUICK_REPLY_TITLE, payload: MAX_CHOICE_PAYLOAD };
	return given.map((choice, index) => ({
		...choiceOf(ctx, itemIndex, choice, `Choice ${index + 1}`, limits),
		signedAs: String(index),
	}));
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
	if (isPlainTool(this)) {
		throw new NodeOperationError(
			this.getNode(),
			'Send and Wait for Response cannot be a plain AI Agent tool',
			{
				itemIndex,
				description:
					"n8n's AI Agent does not resume a plain tool that waits. Attach Instagram Messaging under the agent's human review instead (it asks the customer Yes or No before another tool runs), or use this operation in the workflow after the agent.",
			},
		);
	}
	const recipientId = recipientIdParameter(this, itemIndex);
	const text = this.getNodeParameter('message', itemIndex) as string;
	assertTextFits(this, text, itemIndex, 'Message');
	const responseType = this.getNodeParameter('responseType', itemIndex, 'quickReplies') as ResponseType;
	const choices = choicesOf(this, itemIndex, responseType);
	if (responseType === 'freeText') {
		const expected = expectedAnswerOf(this.getNodeParameter('expectedAnswer', itemIndex, 'any'));
		// The re-ask goes out when an answer does not fit: it must fit Instagram's limit too.
		if (expected !== 'any') {
			assertTextFits(
				this,
				reaskMessageOf(expected, this.getNodeParameter('reaskMessage', itemIndex, '')),
				itemIndex,
				'Re-Ask Message',
			);
		}
	}
	const now = Date.now();
	const requested = requestedDeadline(this, itemIndex, now);
	const workflowId = String(this.getWorkflow().id ?? '');
	const shareWithOtherWorkflows = this.getNodeParameter('shareAnswer', itemIndex, false) as boolean;
	await assertCanVerifyAnswers(this, itemIndex, connection);
	// A new id per question: an answer to an earlier or a replaced question resumes nothing.
	const questionId = newQuestionId(now);
	const signedPath = (value: string) =>
		resumePathOf(
			this.getSignedResumeUrl({
				[CHOICE_PARAMETER]: value,
				[CUSTOMER_PARAMETER]: recipientId,
				[QUESTION_PARAMETER]: questionId,
			}),
		);
	const payloads = choices.map((choice): [Choice, string] => {
		const resumePath = signedPath(choice.signedAs);
		const payload = encodeWaitReference({
			workflowId,
			shareWithOtherWorkflows,
			resumePath,
			payload: choice.payload,
		});
		assertCharacters(this, payload, itemIndex, `${choice.title}: Payload`, MAX_PAYLOAD);
		return [choice, payload];
	});

	// Minted before the question goes out: nothing that can fail comes after the send.
	const textPath = responseType === 'freeText' ? signedPath(TEXT_CHOICE) : undefined;
	this.customData.set(QUESTION_KEY, questionId);
	assertWaitable(this, itemIndex, questionId, [...payloads.map(([, payload]) => payload), textPath]);
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
	if (textPath !== undefined) {
		recordPendingText(
			this.getWorkflowStaticData('global'),
			recipientId,
			{ resumePath: textPath, until: deadline },
			Date.now(),
		);
	}
	await this.putExecutionToWait(new Date(deadline));
	markInputTimedOut(this);
	return { ...result, waitingUntil: new Date(deadline).toISOString() };
}
