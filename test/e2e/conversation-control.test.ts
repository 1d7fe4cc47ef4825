/**
 * Escalation to a person, proven in a real n8n 2.41.1 against the sandbox: a DM triggers
 * Conversation Control → Pass to Human Inbox (notice first, then the pass), the customer's next
 * messages go to standby (no execution), and after a person in the inbox hands the thread back,
 * the bot handles the conversation again.
 */
import { SANDBOX_DEFAULTS, type MetaSandbox } from '../../sandbox';
import { INSTAGRAM_INBOX_APP_ID } from '../../sandbox/state/threadOwnership';
import { nodeOutput, useScenario, type N8nServer, type WorkflowJson } from './harness';

const WEBHOOK_ID = 'instagram-escalate';
const WEBHOOK_PATH = `${WEBHOOK_ID}/webhook`;
const VERIFY_TOKEN = 'escalate-verify-token';
const NOTICE = 'Connecting you with a person, one moment…';
// The notice is an automated message: the first one in a conversation, and the first after a person
// held it, says that it is automated.
const DISCLOSED_NOTICE = `You're chatting with an automated assistant.\n\n${NOTICE}`;
// Conversation Routing is offered for Instagram accounts linked to a Facebook Page only.
const account = SANDBOX_DEFAULTS.facebookPage;
const customer = SANDBOX_DEFAULTS.customer.id;
const credentialRef = { facebookPageApi: { id: 'REPLACE', name: 'Instagram via Facebook Page' } };

const workflow: WorkflowJson = {
	name: 'Escalate every DM to a person',
	nodes: [
		{
			id: '6f0c1a2b-0000-4000-8000-000000000001',
			name: 'Instagram Messaging Trigger',
			type: 'n8n-nodes-instagram-messaging.instagramMessagingTrigger',
			typeVersion: 2,
			position: [0, 0],
			webhookId: WEBHOOK_ID,
			parameters: {
				authentication: 'facebookPageApi',
				verifyToken: VERIFY_TOKEN,
				events: ['message'],
				options: {},
			},
			credentials: credentialRef,
		},
		{
			id: '6f0c1a2b-0000-4000-8000-000000000002',
			name: 'Hand To Human',
			type: 'n8n-nodes-instagram-messaging.instagramMessaging',
			typeVersion: 1,
			position: [260, 0],
			parameters: {
				authentication: 'facebookPageApi',
				resource: 'conversationControl',
				operation: 'passToHumanInbox',
				customerId: '={{ $json.customerId }}',
				target: 'instagramInbox',
				options: { notice: NOTICE, metadata: 'escalated by bot' },
			},
			credentials: credentialRef,
		},
	],
	connections: {
		'Instagram Messaging Trigger': { main: [[{ node: 'Hand To Human', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Conversation Control in a real n8n', () => {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let workflowId: string;

	useScenario(
		{
			name: 'conversation-control',
			shared: true,
			workflows: [workflow],
			webhookPaths: [WEBHOOK_PATH],
			verifyToken: VERIFY_TOKEN,
		},
		(scenario) => {
			({ sandbox, server } = scenario);
			[workflowId] = scenario.workflowIds;
		},
	);

	it('a DM is answered with the notice, then the thread goes to the Instagram Inbox', async () => {
		const { delivery } = await sandbox.customerSays({
			account: 'facebookPage',
			text: 'I want to talk to a person',
		});
		expect(delivery?.status).toBe(200);
		const [execution] = await server.waitForExecutions(workflowId, 1);
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'Hand To Human')).toEqual([
			{
				customerId: customer,
				action: 'pass',
				success: true,
				targetAppId: INSTAGRAM_INBOX_APP_ID,
				toInstagramInbox: true,
				noticeMessageId: sandbox.sent()[0]?.messageId,
			},
		]);
		expect(sandbox.sent().map((r) => [r.recipientId, r.text])).toEqual([[customer, DISCLOSED_NOTICE]]);
		expect(sandbox.threadOwner(customer, 'facebookPage')).toBe(INSTAGRAM_INBOX_APP_ID);
		const calls = sandbox
			.requests({ method: 'POST', path: /\/(messages|[a-z]+_thread_control)$/ })
			.map((r) => r.path.replace(/^\/v\d+\.0\/me\//, ''));
		expect(calls).toEqual(['messages', 'pass_thread_control']);
		// the handover webhook went to n8n (the trigger listens to messages only)
		await sandbox.flush();
		const handover = sandbox.deliveries().filter((d) => d.body?.includes('pass_thread_control'));
		expect(handover).toHaveLength(1);
		expect(handover[0]?.status).toBe(200);
	});

	it("while a person holds the thread, the customer's messages arrive as standby and start nothing", async () => {
		const { payload, delivery } = await sandbox.customerSays({
			account: 'facebookPage',
			text: 'hello? anyone?',
		});
		expect(payload.entry[0]?.standby).toHaveLength(1);
		expect(payload.entry[0]?.messaging).toBeUndefined();
		expect(delivery?.status).toBe(200);
		await pause(1500);
		expect(await server.executions({ workflowId })).toHaveLength(1);
		expect(sandbox.sent()).toHaveLength(1);
	});

	it('after the inbox hands the thread back, the next DM runs the workflow again', async () => {
		await sandbox.inboxReleases({ account: 'facebookPage', metadata: 'resolved' });
		expect(sandbox.threadOwner(customer, 'facebookPage')).toBe(account.metaAppId);
		await sandbox.customerSays({ account: 'facebookPage', text: 'one more question' });
		const executions = await server.waitForExecutions(workflowId, 2);
		expect(executions.map((e) => e.status)).toEqual(['success', 'success']);
		expect(sandbox.sent().map((r) => r.text)).toEqual([DISCLOSED_NOTICE, DISCLOSED_NOTICE]);
		expect(sandbox.threadOwner(customer, 'facebookPage')).toBe(INSTAGRAM_INBOX_APP_ID);
		expect(sandbox.rejected()).toEqual([]);
	});

	it('prints no token or secret in the n8n log', () => {
		const log = server.logs();
		expect(log).not.toContain(account.pageAccessToken);
		expect(log).not.toContain(account.metaAppSecret);
	});
});
