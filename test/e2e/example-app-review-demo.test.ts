/**
 * `examples/app-review-demo.json`, imported as shipped (only credential ids bound) into a real n8n
 * 2.41.1, each branch driven once through the sandbox: ice breakers set up, the quick-reply menu,
 * a generic template, an image by URL, an ice breaker answered, an unsent message handled, and
 * the escalation to the Instagram Inbox.
 */
import axios from 'axios';
import { readFileSync } from 'fs';
import { join } from 'path';
import type { IDataObject } from 'n8n-workflow';

import { SANDBOX_DEFAULTS, envelopeFor, postbackEvent, type MetaSandbox } from '../../sandbox';
import { INSTAGRAM_INBOX_APP_ID } from '../../sandbox/state/threadOwnership';
import {
	nextExecutionWhere,
	nodeOutput,
	useScenario,
	type N8nExecution,
	type N8nServer,
	type WorkflowJson,
} from './harness';

const example = JSON.parse(
	readFileSync(join(__dirname, '..', '..', 'examples', 'app-review-demo.json'), 'utf8'),
) as WorkflowJson;
const WEBHOOK_PATH = 'instagram-app-review/webhook';
const SETUP_PATH = 'c3a9f1d2-6e4b-4a7c-8f05-9b2e7d1a6c43';
// The example's setup webhook requires a Header Auth credential (bound on import, as its note says).
const SETUP_HEADER = { name: 'X-Setup-Token', value: 'e2e-setup-token-7a6b5c4d3e2f1a0b' };
// The example's placeholder is refused at activation: set one, as the example's note says.
const VERIFY_TOKEN = 'e2e-verify-token-6f1d2c9a8b7e';
const DISCLOSURE = "You're chatting with an automated assistant.";
const TRIGGER = 'Instagram Messaging Trigger';
// The demo includes Conversation Routing, which Meta offers for Page-linked accounts only.
const account = SANDBOX_DEFAULTS.facebookPage;
const customer = SANDBOX_DEFAULTS.customer.id;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('examples/app-review-demo.json in a real n8n', () => {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let workflowId: string;
	const consumed = new Set<string>();

	const executionWhere = (match: (item: IDataObject) => boolean, timeoutMs?: number) =>
		nextExecutionWhere(server, workflowId, TRIGGER, consumed, match, timeoutMs);

	function ranNodes(execution: N8nExecution): string[] {
		return Object.keys(execution.data?.resultData.runData ?? {}).sort();
	}

	async function deliverEvent(event: IDataObject) {
		await sandbox.deliver(
			envelopeFor(account.igUserId, [
				{ sender: { id: customer }, recipient: { id: account.igUserId }, timestamp: sandbox.now(), ...event },
			]),
		);
	}

	useScenario(
		{
			name: 'example-app-review',
			shared: true,
			workflows: [example],
			webhookPaths: [WEBHOOK_PATH, SETUP_PATH],
			verifyToken: VERIFY_TOKEN,
			extraCredentials: [{ name: 'App Review setup header', type: 'httpHeaderAuth', data: SETUP_HEADER }],
		},
		(scenario) => {
			({ sandbox, server } = scenario);
			[workflowId] = scenario.workflowIds;
		},
	);

	it('the setup webhook refuses a caller without its header: 403, nothing changed at Meta', async () => {
		for (const headers of [{}, { [SETUP_HEADER.name]: 'guess' }]) {
			const res = await axios.post(
				server.webhookUrl(SETUP_PATH),
				{},
				{ validateStatus: () => true, headers },
			);
			expect(res.status).toBe(403);
		}
		expect(sandbox.state.messengerProfile(account.igUserId)).toEqual({});
		expect(sandbox.requests({ path: /messenger_profile/ })).toEqual([]);
	});

	it('sets the ice breakers through the Messenger Profile API (setup webhook)', async () => {
		const res = await axios.post(
			server.webhookUrl(SETUP_PATH),
			{},
			{ validateStatus: () => true, headers: { [SETUP_HEADER.name]: SETUP_HEADER.value } },
		);
		expect(res.status).toBe(200);
		expect(sandbox.state.messengerProfile(account.igUserId)).toEqual({
			ice_breakers: [
				{
					locale: 'default',
					call_to_actions: [
						{ question: 'Where is my order?', payload: 'IB_ORDER' },
						{ question: 'Do you ship abroad?', payload: 'IB_SHIPPING' },
					],
				},
			],
		});
		expect(sandbox.sent()).toEqual([]);
	});

	it('answers a first message with the quick-reply menu (and the disclosure)', async () => {
		await sandbox.customerSays({ account: 'facebookPage', text: 'hi' });
		const execution = await executionWhere((item) => item.text === 'hi');
		expect(nodeOutput(execution, 'Send Menu')).toEqual([
			expect.objectContaining({ disclosed: 'firstMessage' }),
		]);
		const [menu] = sandbox.sent();
		expect(menu.body.message).toEqual({
			text: `${DISCLOSURE}\n\nHi! What would you like to see?`,
			quick_replies: [
				{ content_type: 'text', title: 'Show a card', payload: 'SHOW_CARD' },
				{ content_type: 'text', title: 'Show a photo', payload: 'SHOW_PHOTO' },
				{ content_type: 'text', title: 'Talk to a person', payload: 'TALK_TO_HUMAN' },
			],
		});
	});

	it('a tapped "Show a card" quick reply gets a generic template', async () => {
		await deliverEvent({
			message: { mid: 'mid.demo.card', text: 'Show a card', quick_reply: { payload: 'SHOW_CARD' } },
		});
		const execution = await executionWhere((item) => item.mid === 'mid.demo.card');
		expect(ranNodes(execution)).toEqual(['Instagram Messaging Trigger', 'Route', 'Send Card']);
		const sent = sandbox.sent();
		expect(sent).toHaveLength(2);
		expect(sent[1].body.message).toEqual({
			attachment: {
				type: 'template',
				payload: {
					template_type: 'generic',
					elements: [
						{
							title: 'Blue tee',
							subtitle: 'Organic cotton, sizes S–XL',
							image_url: 'https://example.com/images/blue-tee.jpg',
							default_action: { type: 'web_url', url: 'https://example.com/products/blue-tee' },
							buttons: [
								{ type: 'web_url', title: 'View in shop', url: 'https://example.com/products/blue-tee' },
								{ type: 'postback', title: 'Talk to a person', payload: 'TALK_TO_HUMAN' },
							],
						},
					],
				},
			},
		});
	});

	it('"send me a photo" gets an image by URL', async () => {
		await sandbox.customerSays({ account: 'facebookPage', text: 'can you send me a photo?' });
		const execution = await executionWhere((item) => item.text === 'can you send me a photo?');
		expect(ranNodes(execution)).toEqual(['Instagram Messaging Trigger', 'Route', 'Send Photo']);
		const sent = sandbox.sent();
		expect(sent).toHaveLength(3);
		expect(sent[2].body.message).toEqual({
			attachment: { type: 'image', payload: { url: 'https://example.com/images/shop.jpg' } },
		});
	});

	it('a tapped ice breaker (postback) is answered', async () => {
		await sandbox.deliver(
			envelopeFor(account.igUserId, [
				postbackEvent({
					accountId: account.igUserId,
					customerId: customer,
					title: 'Do you ship abroad?',
					payload: 'IB_SHIPPING',
					mid: 'mid.demo.ib',
				}),
			]),
		);
		const execution = await executionWhere((item) => item.eventType === 'postback');
		expect(ranNodes(execution)).toEqual(['Answer Ice Breaker', 'Instagram Messaging Trigger', 'Route']);
		expect(
			sandbox
				.sent()
				.slice(3)
				.map((r) => r.text),
		).toEqual(['Yes, we ship to most countries: 3–7 days.']);
	});

	it('an unsent (deleted) message is logged as "message unsent" and acknowledged', async () => {
		await deliverEvent({ message: { mid: 'mid.demo.card', is_deleted: true } });
		const execution = await executionWhere((item) => item.eventType === 'message_deleted');
		expect(nodeOutput(execution, 'Log Unsent')).toEqual([
			expect.objectContaining({ log: 'message unsent', mid: 'mid.demo.card', customerId: customer }),
		]);
		expect(
			sandbox
				.sent()
				.slice(4)
				.map((r) => r.text),
		).toEqual(['You unsent a message, so we removed it from our records too.']);
	});

	it('"Talk to a person" hands the thread to the Instagram Inbox after the notice', async () => {
		await deliverEvent({
			message: { mid: 'mid.demo.human', text: 'Talk to a person', quick_reply: { payload: 'TALK_TO_HUMAN' } },
		});
		const execution = await executionWhere((item) => item.mid === 'mid.demo.human');
		expect(nodeOutput(execution, 'Pass To Human Inbox')).toEqual([
			expect.objectContaining({ success: true }),
		]);
		expect(sandbox.threadOwner(customer, 'facebookPage')).toBe(INSTAGRAM_INBOX_APP_ID);
		expect(
			sandbox
				.sent()
				.slice(5)
				.map((r) => r.text),
		).toEqual(['Connecting you with a person…']);
		expect(sandbox.rejected()).toEqual([]);
	});

	it('every execution succeeded and each was accounted for', async () => {
		await pause(500);
		const executions = await server.executions({ workflowId });
		expect(executions.map((e) => e.status)).toEqual(executions.map(() => 'success'));
		// the setup webhook run + the six events above (the handover webhook is not subscribed in Trigger On)
		expect(executions).toHaveLength(consumed.size + 1);
	});

	it('prints no token or secret in the n8n log', () => {
		const log = server.logs();
		expect(log).not.toContain(account.pageAccessToken);
		expect(log).not.toContain(account.metaAppSecret);
	});
});
