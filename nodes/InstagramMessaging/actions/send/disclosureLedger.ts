import { randomUUID } from 'crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

import { type DisclosureReason, type ThreadDisclosure } from '../../policy/disclosure';
import { claimedElsewhere, releaseClaims, type ClaimRow } from '../../sharedClaims';
import type { GraphConnection } from '../../transport';
import { disclosureStore, threadKey } from './disclosure';

/**
 * The disclosure decision shared by every n8n process: claims in n8n's processed-data store, one
 * row per workflow. The workflow's static data cannot carry it — n8n saves it whole at the end of
 * each execution, so two executions at once (two workers, or one worker running several) each
 * save the copy they loaded, and the last one drops what the other recorded.
 *
 * Per conversation, the key `disclosure|thread` means "disclosed since the conversation began or
 * a person last held it": a bot message claims it (new → disclose), a person's turn releases it.
 * A lapse is claimed under the time of the last automated message the execution knows, a hand-back
 * under its event, so that executions deciding from the same facts make one disclosure.
 */
const LEDGER: ClaimRow = {
	scope: 'workflow',
	// Two entries per claim, a few claims per conversation: thousands of conversations.
	maxEntries: 40_000,
	reassert: false,
	skippedNotice:
		"Instagram Messaging decides the automation disclosure from the workflow's static data, which executions running at the same time can overwrite",
};

const heldKey = (thread: string) => `disclosure|${thread}`;

export interface LedgerInput {
	thread: string;
	/** The workflow's static-data record of the conversation (a hint: it may be out of date). */
	record: ThreadDisclosure;
	/** The event in the item that gave the conversation back from a person, if any. */
	handBack: string | undefined;
	now: number;
	lapseMs: number;
}

/**
 * Whether this bot message discloses, decided with every other process: the reason, null for
 * none, or undefined when n8n's store is not there (the static-data record decides alone).
 */
export async function ledgerReason(
	ctx: IExecuteFunctions,
	input: LedgerInput,
): Promise<DisclosureReason | null | undefined> {
	const held = heldKey(input.thread);
	const { lastBotAt, disclosedAt } = input.record;
	const lastAutomated = Math.max(lastBotAt ?? 0, disclosedAt ?? 0);
	const lapse =
		lastAutomated > 0 && input.now - lastAutomated > input.lapseMs
			? `${held}|lapse:${lastAutomated}`
			: undefined;
	const handBack = input.handBack === undefined ? undefined : `${held}|handBack:${input.handBack}`;
	const keys = [held, lapse, handBack].filter((key): key is string => key !== undefined);
	// Each send claims as itself: the same execution sends again after a wait, or in a loop.
	const elsewhere = await claimedElsewhere(ctx, keys, LEDGER, randomUUID());
	if (elsewhere === null) return undefined;
	if (handBack !== undefined && !elsewhere.has(handBack)) return 'afterHuman';
	if (!elsewhere.has(held)) return disclosedAt === undefined ? 'firstMessage' : 'afterHuman';
	if (lapse !== undefined && !elsewhere.has(lapse)) return 'afterLapse';
	return null;
}

/**
 * A person wrote in or took the conversation: the next automated message discloses again. Kept in
 * the static-data record (for n8n without the store) and released in the shared ledger.
 */
export async function recordPersonHeld(
	ctx: IExecuteFunctions,
	connection: GraphConnection,
	customerId: string,
): Promise<void> {
	const thread = threadKey(connection, customerId);
	disclosureStore(ctx).recordHuman(thread, Date.now());
	await releaseClaims(ctx, [heldKey(thread)], LEDGER);
}
