/**
 * `examples/ai-assistant.json`, imported as shipped (only credential ids bound) into a real n8n
 * 2.41.1: n8n's own AI Agent with its OpenAI Chat Model and Simple Memory, and this package's
 * nodes as the agent's tools. The model is a stand-in on loopback (`harness/chatModelStandIn.ts`)
 * that answers with scripted tool calls; Meta is the sandbox. A DM reaches the agent, the agent
 * calls our tools with `$fromAI` arguments, and what the tools send reaches the sandbox.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { SANDBOX_DEFAULTS, type MetaSandbox } from '../../sandbox';
import { INSTAGRAM_INBOX_APP_ID } from '../../sandbox/state/threadOwnership';

import {
	ChatModelStandIn,
	lastUserText,
	nextExecutionWhere,
	useScenario,
	type ChatCompletionRequest,
	type N8nServer,
	type WorkflowJson,
} from './harness';

const example = JSON.parse(
	readFileSync(join(__dirname, '..', '..', 'examples', 'ai-assistant.json'), 'utf8'),
) as WorkflowJson;
const WEBHOOK_PATH = 'instagram-ai-assistant/webhook';
const VERIFY_TOKEN = 'e2e-verify-token-ai-4c2b9e71d0a3';
const DISCLOSURE = "You're chatting with an automated assistant.";
const NOTICE = 'Connecting you with a person, one moment…';
const customer = SANDBOX_DEFAULTS.customer.id;
const account = SANDBOX_DEFAULTS.facebookPage;
const TRIGGER = 'Instagram Messaging Trigger';

/** The scripted model: one tool call per customer message, then "done" once the tool answered. */
function script(request: ChatCompletionRequest) {
	const text = lastUserText(request);
	if (text === null) return { text: 'done' };
	// Gated by n8n's human review (Ask the Customer First): the arguments are nested.
	if (/person/i.test(text))
		return { tool: 'Hand_Over_to_a_Person', arguments: { toolParameters: {}, hitlParameters: {} } };
	if (/options/i.test(text))
		return { tool: 'Offer_Choices', arguments: { text: 'What would you like to do?' } };
	return { tool: 'Reply_on_Instagram', arguments: { text: `Happy to help with: ${text}` } };
}

describe('examples/ai-assistant.json: n8n AI Agent with Instagram tools, in a real n8n', () => {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let workflowId: string;
	let model: ChatModelStandIn;
	const consumed = new Set<string>();

	beforeAll(async () => {
		model = await ChatModelStandIn.start(script);
	});
	afterAll(async () => {
		await model.stop();
	});

	useScenario(
		{
			name: 'example-ai-assistant',
			shared: true,
			workflows: [example],
			webhookPaths: [WEBHOOK_PATH],
			verifyToken: VERIFY_TOKEN,
			// `model` exists when this runs: Jest runs beforeAll hooks in order.
			extraCredentials: () => [
				{ name: 'OpenAI (stand-in)', type: 'openAiApi', data: { apiKey: 'sk-stand-in', url: model.url } },
			],
		},
		(scenario) => {
			({ sandbox, server } = scenario);
			[workflowId] = scenario.workflowIds;
		},
	);

	const says = async (text: string) => {
		const before = sandbox.sent().length;
		await sandbox.customerSays({ account: 'facebookPage', text });
		const execution = await nextExecutionWhere(
			server,
			workflowId,
			TRIGGER,
			consumed,
			(item) => item.text === text,
		);
		return { execution, sent: sandbox.sent().slice(before) };
	};

	it('answers a DM through the Reply tool, with the disclosure on the first automated message', async () => {
		const { execution, sent } = await says('do you ship to Spain?');
		expect(execution.status).toBe('success');
		expect(sent.map((s) => [s.recipientId, s.text])).toEqual([
			[customer, `${DISCLOSURE}\n\nHappy to help with: do you ship to Spain?`],
		]);
		// The agent offered our three tools with the descriptions written for a model.
		const tools = model.requests[0].tools ?? [];
		expect(tools.map((t) => t.function.name).sort()).toEqual([
			'Hand_Over_to_a_Person',
			'Offer_Choices',
			'Reply_on_Instagram',
		]);
		const reply = tools.find((t) => t.function.name === 'Reply_on_Instagram');
		expect(reply?.function.description).toContain('you never need an id');
		expect(Object.keys(reply?.function.parameters?.properties ?? {})).toEqual(['text']);
	});

	it('remembers the conversation (memory per account and customer) and does not disclose twice', async () => {
		const { sent } = await says('and how long does delivery take?');
		expect(sent.map((s) => s.text)).toEqual(['Happy to help with: and how long does delivery take?']);
		const last = model.requests.filter((r) => lastUserText(r) !== null).pop();
		const history = (last?.messages ?? []).map((m) => m.content);
		expect(history).toContain('do you ship to Spain?');
	});

	it('offers quick replies through the Offer Choices tool', async () => {
		const { sent } = await says('what are my options?');
		expect(sent).toHaveLength(1);
		expect(sent[0].body.message).toEqual({
			text: 'What would you like to do?',
			quick_replies: [
				{ content_type: 'text', title: 'Track my order', payload: 'TRACK_ORDER' },
				{ content_type: 'text', title: 'Opening hours', payload: 'OPENING_HOURS' },
				{ content_type: 'text', title: 'Talk to a person', payload: 'HUMAN' },
			],
		});
	});

	it('answers each customer of a batched delivery in their own conversation (recipient and memory)', async () => {
		const [first, second] = ['3333333333333333', '4444444444444444'];
		for (const id of [first, second]) {
			sandbox.addCustomer({ id }, 'facebookPage');
			// Opens the 24 h window; the agent never sees it.
			await sandbox.customerSays({ account: 'facebookPage', from: id, text: 'earlier', deliver: false });
		}
		const before = sandbox.sent().length;
		const asked = model.requests.length;
		const now = Date.now();
		const event = (from: string, k: number) => ({
			sender: { id: from },
			recipient: { id: account.igUserId },
			timestamp: now + k,
			message: { mid: `m-batch-${from}`, text: `batch question from ${from}` },
		});
		// Meta batches events of several customers into one POST: one execution, one item each.
		await sandbox.deliver(
			{
				object: 'instagram',
				entry: [{ id: account.igUserId, time: now, messaging: [event(first, 0), event(second, 1)] }],
			},
			{ account: 'facebookPage' },
		);
		await nextExecutionWhere(server, workflowId, TRIGGER, consumed, (item) => item.customerId === first);
		await sandbox.waitForSent({ since: before, count: 2, timeoutMs: 30_000 });
		const sent = sandbox.sent().slice(before);
		expect(sent.map((s) => [s.recipientId, s.text]).sort()).toEqual([
			[first, `${DISCLOSURE}\n\nHappy to help with: batch question from ${first}`],
			[second, `${DISCLOSURE}\n\nHappy to help with: batch question from ${second}`],
		]);
		// Each conversation's model call saw only its own customer.
		const questions = model.requests.slice(asked).filter((r) => lastUserText(r) !== null);
		for (const request of questions) {
			const texts = request.messages.map((m) => String(m.content ?? '')).join(' | ');
			expect(texts.includes(first) && texts.includes(second)).toBe(false);
		}
	});

	it('keeps the conversation when the customer answers No to the hand-over question', async () => {
		const before = sandbox.sent().length;
		await sandbox.customerSays({ account: 'facebookPage', text: 'maybe a person could help?' });
		const [question] = (await sandbox.waitForSent({ count: before + 1, timeoutMs: 30_000 })).slice(before);
		const replies = (question.body.message as { quick_replies: Array<{ title: string; payload: string }> })
			.quick_replies;
		const waiting = await waitForStatus(server, workflowId, 'waiting');
		await sandbox.customerSays({
			account: 'facebookPage',
			text: 'No, thanks',
			quickReplyPayload: replies[1].payload,
		});
		await waitForStatus(server, workflowId, 'success', (id) => id === waiting);
		await nextExecutionWhere(
			server,
			workflowId,
			TRIGGER,
			consumed,
			(item) => item.text === 'maybe a person could help?',
		);
		expect(
			sandbox
				.sent()
				.slice(before)
				.map((s) => s.text),
		).toEqual(['Shall I connect you with a person from our team?']);
		expect(sandbox.threadOwner(customer, 'facebookPage')).not.toBe(INSTAGRAM_INBOX_APP_ID);
	});

	it('asks the customer first (the ask-and-wait tool pauses the agent), and hands over on their Yes', async () => {
		const before = sandbox.sent().length;
		await sandbox.customerSays({ account: 'facebookPage', text: 'I want to talk to a person' });
		const [question] = (await sandbox.waitForSent({ count: before + 1, timeoutMs: 30_000 })).slice(before);
		expect(question.text).toBe('Shall I connect you with a person from our team?');
		const replies = (question.body.message as { quick_replies: Array<{ title: string; payload: string }> })
			.quick_replies;
		expect(replies.map((r) => r.title)).toEqual(['Yes, please', 'No, thanks']);
		// The execution waits for the customer; nothing is handed over yet.
		const waiting = await waitForStatus(server, workflowId, 'waiting');
		expect(sandbox.threadOwner(customer, 'facebookPage')).not.toBe(INSTAGRAM_INBOX_APP_ID);

		await sandbox.customerSays({
			account: 'facebookPage',
			text: 'Yes, please',
			quickReplyPayload: replies[0].payload,
		});
		await waitForStatus(server, workflowId, 'success', (id) => id === waiting);
		const execution = await nextExecutionWhere(
			server,
			workflowId,
			TRIGGER,
			consumed,
			(item) => item.text === 'I want to talk to a person',
		);
		expect(execution.id).toBe(waiting);
		expect(
			sandbox
				.sent()
				.slice(before)
				.map((s) => s.text),
		).toEqual(['Shall I connect you with a person from our team?', NOTICE]);
		expect(sandbox.threadOwner(customer, 'facebookPage')).toBe(INSTAGRAM_INBOX_APP_ID);
		// The tap resumed the waiting execution; it started no run of its own.
		const runs = await server.executions({ workflowId, includeData: true });
		expect(
			runs.filter(
				(r) => r.data?.resultData.runData[TRIGGER]?.[0]?.data?.main[0]?.[0]?.json.text === 'Yes, please',
			),
		).toEqual([]);
	});
});

/** The id of the workflow's first execution in `status` (and matching `which`), polled for up to 30 s. */
async function waitForStatus(
	server: N8nServer,
	workflowId: string,
	status: string,
	which: (id: string) => boolean = () => true,
): Promise<string> {
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		const found = (await server.executions({ workflowId })).find((e) => e.status === status && which(e.id));
		if (found) return found.id;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`no ${status} execution within 30 s`);
}
