/**
 * Volume in a real n8n 2.41.1: 1,000 items from a Code node through Send Text, against the sandbox
 * with Meta's per-account Send API limit on (300 calls/s, instagram-api.md §7.4). 600 customers get
 * one message each, 4 customers get 100 each, interleaved with the others. Proven: 1,000 accepted
 * sends, no failure, no duplicate, every customer's messages in item order, each output item paired
 * with its input. A second run meets Meta's throttling error 613 on its first sends: the transport
 * retries them (Meta certainly did not accept them) and still sends each message exactly once, in
 * order. Wall times are printed, not asserted (compare perf-anchors.md P3: stock HTTP Request
 * 1.99 s concurrent, 58.3 s one at a time, for 1,000 items against a 50 ms mock).
 */
import { HOUR_MS, SANDBOX_DEFAULTS, type MetaSandbox } from '../../sandbox';
import {
	INSTALL_TIMEOUT_MS,
	nodeOutput,
	postAndWaitForExecution,
	throttleSends,
	useScenario,
	type N8nExecution,
	type N8nServer,
	type WorkflowJson,
} from './harness';
import { sendTextWorkflow } from './workflows/sendText';

const account = SANDBOX_DEFAULTS.instagram;
const WEBHOOK_PATH = 'volume-e2e';
const COF_PATH = 'volume-e2e-continue-on-fail';
const ITEMS = 1000;
const HOT = ['5100000000000001', '5100000000000002', '5100000000000003', '5100000000000004'];

interface Item {
	customerId: string;
	text: string;
	lastCustomerMessageAt: number;
}

/** Items i % 10 < 4 go to the 4 "hot" customers (100 each), the others to one customer each. */
function makeItems(run: string, lastCustomerMessageAt: number): Item[] {
	return Array.from({ length: ITEMS }, (_, i) => {
		const customerId = i % 10 < HOT.length ? HOT[i % 10]! : `52000000000${String(i).padStart(5, '0')}`;
		return { customerId, text: `${run} #${i} for ${customerId}`, lastCustomerMessageAt };
	});
}

const workflow = sendTextWorkflow({ name: 'Volume', path: WEBHOOK_PATH, idPrefix: '7c0c1a2b' });

/** The same workflow on its own path, with Send Text set to Continue (regular output) on error. */
function continueOnFail(base: WorkflowJson): WorkflowJson {
	const copy = structuredClone(base);
	copy.name = 'Volume (Continue On Fail)';
	for (const node of copy.nodes) {
		if (node.name === 'Webhook') {
			node.id = '7c0c1a2b-0000-4000-8000-000000000011';
			node.webhookId = '7c0c1a2b-0000-4000-8000-0000000000fe';
			node.parameters = { ...node.parameters, path: COF_PATH };
		} else node.id = node.id.replace(/0{3}(\d)$/, '01$1');
		if (node.name === 'Send Text') node.onError = 'continueRegularOutput';
	}
	return copy;
}

describe('1,000 items through Send Text in a real n8n', () => {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let workflowId: string;
	let cofWorkflowId: string;
	let executions = 0;

	useScenario(
		{
			name: 'volume',
			shared: true,
			workflows: [workflow, continueOnFail(workflow)],
			webhookPaths: [WEBHOOK_PATH, COF_PATH],
			setCallback: false,
		},
		(scenario) => {
			({ sandbox, server } = scenario);
			[workflowId, cofWorkflowId] = scenario.workflowIds;
		},
	);

	beforeAll(async () => {
		expect(sandbox.state.sendRateLimit).toEqual({ text: 300, audioVideo: 10 });
		// Every customer wrote an hour ago: the window is open.
		const at = Date.now() - HOUR_MS;
		for (const customerId of new Set(makeItems('setup', at).map((i) => i.customerId))) {
			await sandbox.customerSays({ from: customerId, text: 'hi', at, deliver: false });
		}
	}, INSTALL_TIMEOUT_MS);

	/** Posts the items, waits for the execution; prints the wall time. */
	async function send(items: Item[], label: string): Promise<{ execution: N8nExecution; since: number }> {
		const since = sandbox.state.nextSeq();
		const startedAt = Date.now();
		executions += 1;
		const { execution } = await postAndWaitForExecution(server, WEBHOOK_PATH, { items }, workflowId, {
			nth: executions,
			timeoutMs: 300_000,
		});
		const sendTask = execution.data?.resultData.runData['Send Text']?.[0];
		const lastSent = sandbox.sent({ since }).at(-1);
		console.info(
			`${label}: ${items.length} items; POST → last accepted send ${lastSent ? ((lastSent.at - startedAt) / 1000).toFixed(2) : '?'} s, ` +
				`execution ${((Date.parse(execution.stoppedAt ?? '') - Date.parse(execution.startedAt ?? '')) / 1000).toFixed(2)} s, ` +
				`Send Text node ${((sendTask?.executionTime ?? NaN) / 1000).toFixed(2)} s; ` +
				`sandbox: ${sandbox.sent({ since }).length} sent, ${sandbox.rejected({ since }).length} rejected`,
		);
		return { execution, since };
	}

	/** Each item sent exactly once, in order per customer, refusals only Meta's throttling; output paired. */
	function expectExactlyOnceInOrder(items: Item[], execution: N8nExecution, since: number): void {
		expect(execution.status).toBe('success');
		const sent = sandbox.sent({ since });
		const texts = sent.map((r) => r.text);
		expect(new Set(texts).size).toBe(texts.length); // no duplicate
		expect([...texts].sort()).toEqual(items.map((i) => i.text).sort()); // none missing, none extra
		for (const record of sent) {
			expect(record.body).toEqual({
				recipient: { id: record.recipientId },
				messaging_type: 'RESPONSE',
				message: { text: record.text },
			});
		}

		for (const customerId of HOT) {
			const expected = items.filter((i) => i.customerId === customerId).map((i) => i.text);
			expect(expected).toHaveLength(ITEMS / 10);
			expect(sandbox.sent({ since, recipientId: customerId }).map((r) => r.text)).toEqual(expected);
		}

		// Refused sends: only throttling, each retried into exactly one accepted send.
		const rejected = sandbox.rejected({ since });
		expect(rejected.filter((r) => r.error.code !== 613)).toEqual([]);
		const sentTexts = new Set(texts);
		for (const r of rejected) expect(sentTexts.has((r.body.message as { text: string }).text)).toBe(true);
		// Every call reached the Send API once per attempt; no other Graph call was needed.
		expect(sandbox.requests({ since, path: /\/messages$/, method: 'POST' })).toHaveLength(
			sent.length + rejected.length,
		);
		expect(sandbox.requests({ since }).filter((r) => !/\/messages$/.test(r.path))).toEqual([]);

		// Output: one item per input, in input order, with the message id Meta returned for it.
		const midByText = new Map(sent.map((r) => [r.text, r.messageId]));
		const output = nodeOutput(execution, 'Send Text');
		expect(output).toHaveLength(items.length);
		output.forEach((json, i) => {
			expect(json).toEqual({
				recipientId: items[i]!.customerId,
				messageId: midByText.get(items[i]!.text),
				writtenBy: 'bot',
				tag: null,
			});
		});
	}

	it('sends 1,000 items under the 300/s limit: no failure, no duplicate, per-customer order', async () => {
		const items = makeItems('Volume', Date.now() - HOUR_MS);
		const { execution, since } = await send(items, 'default limits');
		expectExactlyOnceInOrder(items, execution, since);
		// The node's own spacing keeps under Meta's cap: Meta never had to throttle.
		expect(sandbox.rejected({ since })).toEqual([]);
	}, 360_000);

	it("retries Meta's throttling (613) without sending anything twice or out of order", async () => {
		const items = makeItems('Throttled', Date.now() - HOUR_MS);
		// The next 3 sends are throttled, as when another process uses the same account's budget (more
		// only lengthen the pace's recovery, which test/unit/transport/rateLimit.test.ts covers).
		throttleSends(sandbox, 3);

		const { execution, since } = await send(items, 'first 3 sends throttled');
		expectExactlyOnceInOrder(items, execution, since);
		const rejected = sandbox.rejected({ since });
		expect(rejected).toHaveLength(3);
		expect(rejected.every((r) => r.fault === true && r.status === 400)).toBe(true);
	}, 360_000);

	/** Every 10th Send API call is delivered and then answered with Meta's documented 1357046 error. */
	function injectDeliveredThenError(): void {
		sandbox.injectFault({
			method: 'POST',
			path: '/messages$',
			status: 500,
			error: {
				code: 1,
				error_subcode: 1357046,
				type: 'OAuthException',
				message: 'An unknown error has occurred.',
			},
			afterHandling: true,
			everyNth: 10,
			times: Infinity,
		});
	}

	it('10 % "delivered, then an error" with Continue On Fail: each message delivered once, each such item reported', async () => {
		const items = makeItems('Uncertain', Date.now() - HOUR_MS);
		injectDeliveredThenError();
		const since = sandbox.state.nextSeq();
		try {
			const { execution } = await postAndWaitForExecution(server, COF_PATH, { items }, cofWorkflowId, {
				nth: 1,
				timeoutMs: 300_000,
			});
			const sent = sandbox.sent({ since });
			const texts = sent.map((r) => r.text);
			expect(new Set(texts).size).toBe(texts.length); // 0 duplicates
			expect(texts).toHaveLength(ITEMS); // every message delivered exactly once
			const errored = sandbox.rejected({ since });
			expect(errored).toHaveLength(ITEMS / 10);
			const output = nodeOutput(execution, 'Send Text');
			expect(output).toHaveLength(ITEMS);
			const uncertain = output.filter((json) => typeof json.error === 'string');
			expect(uncertain).toHaveLength(ITEMS / 10);
			for (const json of uncertain) expect(json.error).toMatch(/^The message may have been delivered — /);
			expect(output.filter((json) => typeof json.messageId === 'string')).toHaveLength(ITEMS - ITEMS / 10);
		} finally {
			sandbox.clearFaults();
		}
	}, 360_000);

	it('10 % "delivered, then an error" without Continue On Fail: the run stops, nothing twice, every item accounted for', async () => {
		const items = makeItems('Stopped', Date.now() - HOUR_MS);
		injectDeliveredThenError();
		const since = sandbox.state.nextSeq();
		try {
			executions += 1;
			const { execution } = await postAndWaitForExecution(server, WEBHOOK_PATH, { items }, workflowId, {
				nth: executions,
				timeoutMs: 300_000,
			});
			expect(execution.status).toBe('error');
			const texts = sandbox.sent({ since }).map((r) => r.text);
			expect(new Set(texts).size).toBe(texts.length); // 0 duplicates
			const error = execution.data?.resultData.error as
				{ message?: string; description?: string } | undefined;
			expect(error?.message).toMatch(/^The message may have been delivered — /);
			const notRun = /Not run: items ([^.]+)\./.exec(error?.description ?? '')?.[1] ?? '';
			const notRunCount = notRun.split(', ').reduce((n, part) => {
				const [from, to = from] = part.split('–').map(Number);
				return n + (to - from + 1);
			}, 0);
			// What reached Meta and what the error lists as not run add up to all items.
			expect(texts.length + notRunCount).toBe(ITEMS);
			expect(texts.length).toBeLessThan(ITEMS);
		} finally {
			sandbox.clearFaults();
		}
	}, 360_000);

	it('prints no token or secret in the n8n log', () => {
		const log = server.logs();
		expect(log).not.toContain(account.accessToken);
		expect(log).not.toContain(account.instagramAppSecret);
	});
});
