/**
 * The trigger's dedup across n8n processes (queue mode): keys claimed in n8n's processed-data
 * store, which n8n-core reaches through `DataDeduplicationService`. The store here behaves as
 * n8n's own (packages/cli deduplication-helper.ts): per workflow and node one row of md5 entries,
 * read, extended and written back without a lock — so a concurrent writer can overwrite a write.
 */

import { storedDedupKey } from '../../../nodes/InstagramMessaging/events';
import { MAX_CHECKS, STORE_TIMEOUT_MS } from '../../../nodes/InstagramMessaging/sharedClaims';
import {
	ACCOUNT,
	asFreshProcess,
	callWebhook,
	CUSTOMER,
	instagramLoginCredentials,
	runWorkflow,
	useProcessedDataStore,
	triggerNode,
} from '../harness';
import { RECENT_MS, signedPost, workflowFor } from './helpers';

/** The key the trigger stores for a message of CUSTOMER to ACCOUNT. */
const keyOf = (mid: string) =>
	storedDedupKey(
		{ dedupKey: `message:${mid}`, isTest: false, accountId: ACCOUNT, senderId: CUSTOMER, mid },
		Date.now(),
	);

const store = useProcessedDataStore();

function envelope(mid: string) {
	return {
		object: 'instagram',
		entry: [
			{
				id: ACCOUNT,
				time: RECENT_MS,
				messaging: [
					{
						sender: { id: CUSTOMER },
						recipient: { id: ACCOUNT },
						timestamp: RECENT_MS,
						message: { mid, text: 'hi' },
					},
				],
			},
		],
	};
}

/** A delivery reaching a process of its own: fresh static data, nothing in process memory. */
async function deliverToAnotherProcess(mid: string, workflowId = 'shared', executionId?: string) {
	asFreshProcess();
	return await deliverHere(mid, workflowId, executionId);
}

/** A delivery reaching this process (fresh static data: as if another execution had saved last). */
async function deliverHere(mid: string, workflowId = 'shared', executionId?: string) {
	const node = triggerNode();
	const workflow = workflowFor(node);
	workflow.id = workflowId;
	return await callWebhook({
		node,
		workflow,
		webhookName: 'default',
		request: signedPost(envelope(mid)),
		credentials: instagramLoginCredentials,
		executionId,
	});
}

describe('dedup across n8n processes (queue mode)', () => {
	it('a redelivery that reaches another webhook processor and worker is not emitted again', async () => {
		const first = await deliverToAnotherProcess('mid.shared.1');
		expect(first.emitted).toHaveLength(1);
		const again = await deliverToAnotherProcess('mid.shared.1');
		expect(again.sent.status).toBe(200);
		expect(again.emitted).toEqual([]);
		expect(store.has('shared', keyOf('mid.shared.1'))).toBe(true);
	});

	it('a claim overwritten by a concurrent writer is written again, so a later redelivery is still dropped', async () => {
		store.loseNextWrites(1);
		const first = await deliverToAnotherProcess('mid.shared.2');
		expect(first.emitted).toHaveLength(1);
		expect(store.has('shared', keyOf('mid.shared.2'))).toBe(true);
		expect(store.writes).toBe(3); // claim (overwritten), check (both gone: written again), check (ours)
		const again = await deliverToAnotherProcess('mid.shared.2');
		expect(again.emitted).toEqual([]);
	});

	it('the same event claimed at the same moment by another process whose write landed last: emitted there only', async () => {
		const key = keyOf('mid.shared.3');
		// Their claim: the key and a claim id of theirs, written over ours.
		store.loseNextWrites(1, [key, `${key}#their-claim`]);
		const ours = await deliverToAnotherProcess('mid.shared.3');
		expect(ours.emitted).toEqual([]);
		expect(store.writes).toBe(2); // claim, check
	});

	it("keys removed by another process's stale write after their claim was confirmed are put back by this process's next write", async () => {
		await deliverToAnotherProcess('mid.shared.6');
		for (const data of store.rows.values()) data.splice(0); // the other writer read before our claim
		await deliverHere('mid.shared.7');
		expect(store.has('shared', keyOf('mid.shared.6'))).toBe(true);
		expect((await deliverToAnotherProcess('mid.shared.6')).emitted).toEqual([]);
	});

	it(`a claim still overwritten after ${MAX_CHECKS} checks is emitted: a duplicate can be recovered, a lost message not`, async () => {
		store.loseNextWrites(1 + MAX_CHECKS);
		const first = await deliverToAnotherProcess('mid.shared.4');
		expect(first.emitted).toHaveLength(1);
		expect(store.writes).toBe(1 + MAX_CHECKS);
	});

	it('the same execution run again (its worker died mid-run, another picked the job up) emits its events again', async () => {
		const first = await deliverToAnotherProcess('mid.shared.8', 'shared', 'execution-41');
		expect(first.emitted).toHaveLength(1);
		const rerun = await deliverToAnotherProcess('mid.shared.8', 'shared', 'execution-41');
		expect(rerun.emitted).toHaveLength(1);
		// Another execution of the same event is still a duplicate.
		expect((await deliverToAnotherProcess('mid.shared.8', 'shared', 'execution-42')).emitted).toEqual([]);
	});

	it("a claim that is still open is not re-asserted: it cannot put itself back over the winner's write", async () => {
		const key = keyOf('mid.shared.9');
		// Their claim lands over our first write; while ours waits for its check, another of our
		// writes goes out.
		store.delayMs = 100;
		store.loseNextWrites(1, [key, `${key}#their-claim`]);
		const landed = store.nextWriteLanded();
		const ours = deliverToAnotherProcess('mid.shared.9', 'shared', 'execution-ours');
		await landed;
		await deliverHere('mid.shared.10');
		expect((await ours).emitted).toEqual([]);
	});

	it(`a store that does not answer within ${STORE_TIMEOUT_MS / 1000} s is skipped: the event is emitted without waiting for it`, async () => {
		store.delayMs = STORE_TIMEOUT_MS + 2_000;
		const { emitted } = await deliverToAnotherProcess('mid.shared.11');
		expect(emitted).toHaveLength(1);
		expect(store.writes).toBe(0); // still under way
		await new Promise((resolve) => setTimeout(resolve, 2_500)); // the write that went on alone
		expect(store.writes).toBe(1);
	}, 20_000);

	it('the same event twice in one execution: emitted once', async () => {
		const [event] = (await deliverToAnotherProcess('mid.shared.12', 'first-workflow')).emitted;
		asFreshProcess();
		const node = triggerNode();
		const { output } = await runWorkflow({
			nodes: [node],
			input: [{ json: event!.json }, { json: event!.json }],
			mode: 'webhook',
			workflowId: 'second-workflow',
			executionId: 'execution-twice',
			credentials: instagramLoginCredentials,
		});
		expect(output(node.name).map((item) => item.json.mid)).toEqual(['mid.shared.12']);
	});

	it('manual (test) executions leave the shared store alone', async () => {
		const node = triggerNode();
		const { emitted } = await callWebhook({
			node,
			workflow: workflowFor(node),
			webhookName: 'default',
			executionMode: 'manual',
			request: signedPost(envelope('mid.shared.5')),
			credentials: instagramLoginCredentials,
		});
		expect(emitted).toHaveLength(1);
		expect(store.writes).toBe(0);
	});
});
