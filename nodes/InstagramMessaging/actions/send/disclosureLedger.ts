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
	// Two entries per claim and each send claims as itself: the oldest of about 20,000 bot sends
	// go first, and a conversation whose claim went is disclosed once more.
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

/** A bot message's disclosure as decided in the ledger, with the keys this send claimed first. */
export interface LedgerDecision {
	reason: DisclosureReason | null;
	/** Released if the send fails, so that the next message makes the disclosure. */
	owed: string[];
}

/**
 * Whether this bot message discloses, decided with every other process, or undefined when n8n's
 * store is not there (the static-data record decides alone).
 *
 * A record without any automated message is a new conversation, or one the static data no longer
 * holds (it keeps the most recent 5,000, and another execution's save can drop one): the keys
 * `…|fresh:<lapse period>` of this period and the one before then stand for "disclosed lately",
 * so a conversation the record forgot is disclosed again after one to two lapse periods instead
 * of never, and a burst across a period's boundary still makes one disclosure.
 */
export async function ledgerReason(
	ctx: IExecuteFunctions,
	input: LedgerInput,
): Promise<LedgerDecision | undefined> {
	const held = heldKey(input.thread);
	const { lastBotAt, disclosedAt } = input.record;
	const lastAutomated = Math.max(lastBotAt ?? 0, disclosedAt ?? 0);
	const lapse =
		lastAutomated > 0 && input.now - lastAutomated > input.lapseMs
			? `${held}|lapse:${lastAutomated}`
			: undefined;
	const period = input.lapseMs > 0 ? Math.floor(input.now / input.lapseMs) : input.now;
	const fresh = lastAutomated === 0 ? [`${held}|fresh:${period}`, `${held}|fresh:${period - 1}`] : [];
	const handBack = input.handBack === undefined ? undefined : `${held}|handBack:${input.handBack}`;
	const { humanAt, humanNotReleased } = input.record;
	const unreleasedTurn =
		humanNotReleased === true && (humanAt ?? 0) > lastAutomated ? `${held}|human:${humanAt}` : undefined;
	const keys = [held, lapse, ...fresh, handBack, unreleasedTurn].filter(
		(key): key is string => key !== undefined,
	);
	// Each send claims as itself: the same execution sends again after a wait, or in a loop.
	const elsewhere = await claimedElsewhere(ctx, keys, LEDGER, randomUUID());
	if (elsewhere === null) return undefined;
	const won = keys.filter((key) => !elsewhere.has(key));
	// A hand-back's disclosure that did not go out is owed by the conversation, not by its event.
	const owed = handBack !== undefined && won.includes(handBack) ? [...new Set([...won, held])] : won;
	const reason = (): DisclosureReason | null => {
		if (handBack !== undefined && !elsewhere.has(handBack)) return 'afterHuman';
		if (!elsewhere.has(held)) return disclosedAt === undefined ? 'firstMessage' : 'afterHuman';
		if (unreleasedTurn !== undefined && !elsewhere.has(unreleasedTurn)) return 'afterHuman';
		if (lapse !== undefined && !elsewhere.has(lapse)) return 'afterLapse';
		if (fresh.length > 0 && fresh.every((key) => !elsewhere.has(key))) return 'afterLapse';
		return null;
	};
	return { reason: reason(), owed };
}

/** The send did not go out: its claims are released, so the next message makes the disclosure. */
export async function giveBackClaims(ctx: IExecuteFunctions, decision: LedgerDecision): Promise<void> {
	if (decision.owed.length > 0) await releaseClaims(ctx, decision.owed, LEDGER);
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
	const release = await releaseClaims(ctx, [heldKey(thread)], LEDGER);
	// Not released (the store failed): the static data asks the next bot message to claim this turn.
	disclosureStore(ctx).recordHuman(thread, Date.now(), release !== 'failed');
}
