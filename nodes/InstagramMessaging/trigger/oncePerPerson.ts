import { randomUUID } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { claimedElsewhere, releaseClaims, type ClaimRow } from '../sharedClaims';

const DAY_MS = 86_400_000;
/** Again After days: at most a year (each entry checks that many days). */
const MAX_DAYS = 365;
/** People remembered per workflow (each entry is one claim: two entries of n8n's row). */
export const ONCE_PER_PERSON_LIMIT = 10_000;

/** Who has entered, in n8n's processed-data store: every queue-mode process sees the same row. */
export const ENTRY_CLAIMS: ClaimRow = {
	scope: 'workflow',
	maxEntries: 2 * ONCE_PER_PERSON_LIMIT,
	reassert: true,
	skippedNotice:
		"Instagram Messaging Trigger emits every entry: Once Per Person needs n8n's processed-data store",
};

export const oncePerPersonOption: INodeProperties = {
	displayName: 'Once Per Person',
	name: 'oncePerPerson',
	type: 'fixedCollection',
	placeholder: 'Add Campaign',
	default: {},
	description:
		'Emit only the first entry of each person into a campaign (for example the first comment with the keyword), decided in a store every n8n process shares',
	options: [
		{
			displayName: 'Campaign',
			name: 'campaign',
			values: [
				{
					displayName: 'Campaign Name',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: 'spring-guide',
					description:
						'Entries are counted per person and campaign; triggers of this workflow with the same name share them',
				},
				{
					displayName: 'Again After',
					name: 'again',
					type: 'options',
					options: [
						{ name: 'Never', value: 'never', description: 'One entry per person for ever' },
						{
							name: 'A Number of Days',
							value: 'days',
							description: 'One entry per person within that many days',
						},
					],
					default: 'never',
				},
				{
					displayName: 'Days',
					name: 'days',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 365 },
					default: 30,
					description:
						'A person enters again once this many calendar days (UTC) have passed since their last entry',
					displayOptions: { show: { again: ['days'] } },
				},
			],
		},
	],
};

export interface OncePerPerson {
	campaign: string;
	/** null: for ever. */
	days: number | null;
}

export function oncePerPersonOf(options: IDataObject): OncePerPerson | null {
	const campaign = (options.oncePerPerson as IDataObject | undefined)?.campaign as IDataObject | undefined;
	if (campaign === undefined) return null;
	const asked = Math.floor(Number(campaign.days));
	const days =
		campaign.again === 'days' ? Math.min(MAX_DAYS, Math.max(1, Number.isFinite(asked) ? asked : 1)) : null;
	return { campaign: String(campaign.name ?? '').trim(), days };
}

/** The key of a person's entry on one UTC day (or for ever). */
function keyOf(rule: OncePerPerson, customerId: string, day: number | null): string {
	return `entry|${rule.campaign}|${customerId}${day === null ? '' : `|${day}`}`;
}

interface Entry {
	index: number;
	customerId: string;
	day: number;
}

function entriesOf(items: INodeExecutionData[]): Entry[] {
	const firstOfPerson = new Set<string>();
	const entries: Entry[] = [];
	items.forEach((item, index) => {
		const { customerId, entryPoint, timestampMs } = item.json;
		if (
			typeof customerId !== 'string' ||
			customerId === '' ||
			entryPoint === null ||
			entryPoint === undefined
		)
			return;
		if (firstOfPerson.has(customerId)) return;
		firstOfPerson.add(customerId);
		const at = Math.max(typeof timestampMs === 'number' ? timestampMs : 0, Date.now());
		entries.push({ index, customerId, day: Math.floor(at / DAY_MS) });
	});
	return entries;
}

/**
 * Keeps a person's entry only when it is their first into the campaign (or the first within the
 * days). Each person's entry claims its day's key in n8n's processed-data store (`sharedClaims.ts`:
 * the claim that two processes write at once goes to one of them). With days, only the winner then
 * checks the earlier days of the period, by claiming their keys too (so two attempts of one person
 * at the same moment never see each other's checks): a key already there is an entry; the keys it
 * wrote only to check are taken out again with their claims, and so is its own day's key when an
 * earlier entry is found. The day is the later of the event's and today's (a late redelivery
 * counts today). Items of the same person after the first in one delivery, and items without a
 * customer entry, follow the first: dropped, or kept.
 */
export async function keepFirstEntries(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	rule: OncePerPerson,
): Promise<INodeExecutionData[]> {
	const entries = entriesOf(items);
	if (entries.length === 0) return items;
	const claimant = ctx.getExecutionId() || randomUUID();
	const claimOf = (key: string) => `${key}#${claimant}`;
	const todayKeys = entries.map((e) => keyOf(rule, e.customerId, rule.days === null ? null : e.day));
	const taken = await claimedElsewhere(ctx, todayKeys, ENTRY_CLAIMS, claimant);
	if (taken === null) return items;
	const refused = new Set<string>();
	// What this run wrote that holds no entry of its own: taken out again, so that refused
	// attempts and checks do not fill the row (the store keeps its newest entries).
	const release: string[] = [];
	entries.forEach((entry, i) => {
		if (!taken.has(todayKeys[i])) return;
		refused.add(entry.customerId);
		release.push(claimOf(todayKeys[i]));
	});
	if (rule.days !== null && rule.days > 1) {
		const days = rule.days;
		const before = (entry: Entry) =>
			Array.from({ length: days - 1 }, (_, k) => keyOf(rule, entry.customerId, entry.day - 1 - k));
		const winners = entries.filter((e) => !refused.has(e.customerId));
		const earlier = winners.flatMap(before);
		const found = (await claimedElsewhere(ctx, earlier, ENTRY_CLAIMS, claimant)) ?? new Set<string>();
		for (const key of earlier) release.push(...(found.has(key) ? [claimOf(key)] : [key, claimOf(key)]));
		for (const entry of winners) {
			if (!before(entry).some((key) => found.has(key))) continue;
			refused.add(entry.customerId);
			const today = keyOf(rule, entry.customerId, entry.day);
			release.push(today, claimOf(today));
		}
	}
	if (release.length > 0) await releaseClaims(ctx, release, ENTRY_CLAIMS);
	const seenPerson = new Set<string>();
	return items.filter((item) => {
		const customerId = item.json.customerId;
		if (typeof customerId !== 'string' || item.json.entryPoint === null || item.json.entryPoint === undefined)
			return true;
		const first = !seenPerson.has(customerId);
		seenPerson.add(customerId);
		return first && !refused.has(customerId);
	});
}
