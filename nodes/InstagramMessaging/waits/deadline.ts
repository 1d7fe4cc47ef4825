import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { HUMAN_AGENT_WINDOW_MS, STANDARD_WINDOW_MS } from '../transport/constants';
import { assertTime } from '../actions/validation';

export type WaitLimit = 'messagingWindow' | 'afterInterval' | 'atDateTime';

/** The Limit Wait Time fields of Send and Wait for Response, read by `requestedDeadline`. */
export const waitLimitProperties: INodeProperties[] = [
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
];

const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/** The time the user asked the wait to end at, or null for "when the messaging window closes". */
export function requestedDeadline(ctx: IExecuteFunctions, itemIndex: number, now: number): number | null {
	const limit = ctx.getNodeParameter('waitLimit', itemIndex, 'messagingWindow') as WaitLimit;
	if (limit === 'messagingWindow') return null;
	const deadline =
		limit === 'afterInterval'
			? now +
				(ctx.getNodeParameter('waitAmount', itemIndex, 1) as number) *
					(UNIT_MS[ctx.getNodeParameter('waitUnit', itemIndex, 'hours') as string] ?? UNIT_MS.hours)
			: assertTime(
					ctx,
					ctx.getNodeParameter('waitUntil', itemIndex, ''),
					itemIndex,
					'Wait Until',
					'Give a date and time such as 2026-12-24T18:00:00Z.',
				);
	if (!(deadline > now)) {
		throw new NodeOperationError(ctx.getNode(), 'The wait would end before it starts', {
			itemIndex,
			description: 'Choose a time in the future, or a positive amount of time to wait.',
		});
	}
	return deadline;
}

/**
 * When the wait ends: the requested time, or when the messaging window closes. A bot cannot
 * message the customer after the 24-hour window (a person: after 7 days with HUMAN_AGENT), so a
 * wait that would outlive it is refused with the time it may last, before the question is sent.
 */
export function waitDeadline(
	ctx: IExecuteFunctions,
	itemIndex: number,
	requested: number | null,
	window: { tag?: string; closesAt?: number },
	now: number,
): number {
	const closesAt = window.closesAt ?? now + (window.tag ? HUMAN_AGENT_WINDOW_MS : STANDARD_WINDOW_MS);
	if (requested === null) return closesAt;
	if (requested > closesAt) {
		throw new NodeOperationError(ctx.getNode(), "The wait would outlast the customer's messaging window", {
			itemIndex,
			description: `Meta's messaging window for this customer closes at ${new Date(
				closesAt,
			).toISOString()}; after that the workflow could not send the customer anything. Choose "Until the Messaging Window Closes", or a limit that ends by then.`,
		});
	}
	return requested;
}
