/**
 * Once Per Person: a person's entry into a campaign decided in n8n's processed-data store, which
 * every queue-mode process shares (the in-memory store behaves as n8n's own: one row per workflow,
 * written without a lock, so another process's write can land over ours).
 */
import {
	ACCOUNT,
	asFreshProcess,
	callWebhook,
	instagramLoginCredentials,
	triggerNode,
	useProcessedDataStore,
} from '../harness';
import { callHook, signedPost, workflowFor } from './helpers';

const store = useProcessedDataStore();
const DAY = 86_400_000;
const JANE = '1111111111111111';
const JOE = '2222222222222222';
let commentSeq = 0;

function comment(from: string, text: string, at = Date.now() - 60_000) {
	commentSeq += 1;
	return {
		object: 'instagram',
		entry: [
			{
				id: ACCOUNT,
				time: at,
				changes: [
					{
						field: 'comments',
						value: {
							id: `1800000000000${String(commentSeq).padStart(4, '0')}`,
							from: { id: from, username: from === JANE ? 'jane' : 'joe' },
							text,
							timestamp: Math.floor(at / 1000),
							media: { id: '17900000000000002', media_product_type: 'REELS' },
						},
					},
				],
			},
		],
	};
}

function once(name: string, days?: number) {
	return { campaign: days === undefined ? { name, again: 'never' } : { name, again: 'days', days } };
}

/** A delivery reaching a process of its own (fresh memory and static data), the same workflow. */
async function deliver(body: unknown, oncePerPerson: unknown, executionId?: string) {
	asFreshProcess();
	const node = triggerNode({ events: ['comment', 'message'], options: { oncePerPerson } } as never);
	const workflow = workflowFor(node);
	workflow.id = 'campaigns';
	const { emitted } = await callWebhook({
		node,
		workflow,
		webhookName: 'default',
		request: signedPost(body),
		credentials: instagramLoginCredentials,
		executionId,
	});
	return (emitted ?? []).map((item) => item.json);
}

describe('Once Per Person', () => {
	afterEach(() => jest.restoreAllMocks());

	it('emits only the first entry of each person into a campaign, whatever process gets the next one', async () => {
		expect(await deliver(comment(JANE, 'GUIDE'), once('spring'))).toHaveLength(1);
		expect(await deliver(comment(JANE, 'GUIDE again'), once('spring'))).toEqual([]);
		expect(await deliver(comment(JOE, 'GUIDE'), once('spring'))).toHaveLength(1);
		// Another campaign counts on its own.
		expect(await deliver(comment(JANE, 'GUIDE'), once('summer'))).toHaveLength(1);
		// Three entries, a key and a claim each: the refused attempt left nothing behind.
		expect(store.rows.get('campaigns/')).toHaveLength(6);
	});

	it('two comments of one person at the same moment in two processes: one run', async () => {
		// The other process claimed Jane's entry at the same moment and its write landed after ours.
		const theirs = 'entry|spring|1111111111111111';
		store.loseNextWrites(1, [theirs, `${theirs}#their-execution`], 'campaigns/');
		expect(await deliver(comment(JANE, 'GUIDE'), once('spring'))).toEqual([]);
		// Theirs stands: a later comment is not an entry either.
		expect(await deliver(comment(JANE, 'GUIDE'), once('spring'))).toEqual([]);
	});

	it('two comments of one person in one delivery: the first is the entry', async () => {
		const body = comment(JANE, 'first');
		const second = comment(JANE, 'second');
		body.entry[0].changes.push(second.entry[0].changes[0]);
		const items = await deliver(body, once('spring'));
		expect(items.map((i) => i.text)).toEqual(['first']);
	});

	it('the same execution run again (its worker died) keeps its entry', async () => {
		const body = comment(JANE, 'GUIDE');
		expect(await deliver(body, once('spring'), 'exec-41')).toHaveLength(1);
		// The redelivered job of the same execution: the dedup of events is off in a fresh process
		// for a new mid, so deliver a new comment under the same execution id.
		expect(await deliver(comment(JANE, 'GUIDE'), once('spring'), 'exec-41')).toHaveLength(1);
	});

	it('Again After days: a person enters again once that many days passed since their last entry', async () => {
		const start = Date.now();
		const at = (days: number) => {
			jest.spyOn(Date, 'now').mockReturnValue(start + days * DAY);
			return start + days * DAY - 60_000;
		};
		expect(await deliver(comment(JANE, 'GUIDE', at(0)), once('weekly', 7))).toHaveLength(1);
		// The day's key and its claim stay; the earlier days checked leave nothing behind.
		expect(store.rows.get('campaigns/')).toHaveLength(2);
		expect(await deliver(comment(JANE, 'GUIDE', at(3)), once('weekly', 7))).toEqual([]);
		// The refused attempts do not push the next entry back.
		expect(await deliver(comment(JANE, 'GUIDE', at(5)), once('weekly', 7))).toEqual([]);
		expect(await deliver(comment(JANE, 'GUIDE', at(6)), once('weekly', 7))).toEqual([]);
		expect(store.rows.get('campaigns/')).toHaveLength(2);
		expect(await deliver(comment(JANE, 'GUIDE', at(7)), once('weekly', 7))).toHaveLength(1);
		expect(await deliver(comment(JANE, 'GUIDE', at(8)), once('weekly', 7))).toEqual([]);
	});

	it('activation refuses a campaign without a name, before any call to Meta', async () => {
		const node = triggerNode({
			verifyToken: 'a-long-chosen-verify-token',
			options: { oncePerPerson: { campaign: { name: ' ', again: 'never' } } },
		} as never);
		await expect(callHook('checkExists', { node, credentials: instagramLoginCredentials })).rejects.toThrow(
			'Once Per Person needs a campaign name',
		);
	});
});
