/**
 * The foundation's vertical slice, proven in a real n8n 2.41.1: the shipped example
 * `examples/auto-reply.json` (only credential ids bound) answers a signed DM from the sandbox,
 * and a forged one gets nowhere.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { SANDBOX_DEFAULTS, type MetaSandbox } from '../../sandbox';
import {
	BAD_SIGNATURES,
	expectHandshakeOnlyWith,
	expectRefused,
	nodeOutput,
	useScenario,
	type N8nServer,
	type WorkflowJson,
} from './harness';

const example = JSON.parse(
	readFileSync(join(__dirname, '..', '..', 'examples', 'auto-reply.json'), 'utf8'),
) as WorkflowJson;
const WEBHOOK_PATH = 'instagram-auto-reply/webhook';
// The example's placeholder is refused at activation: set one, as the example's note says.
const VERIFY_TOKEN = 'e2e-verify-token-6f1d2c9a8b7e';
const REPLY = "Thanks for your message! We'll get back to you shortly.";
const DISCLOSURE = "You're chatting with an automated assistant.";
const account = SANDBOX_DEFAULTS.instagram;
const customer = SANDBOX_DEFAULTS.customer.id;

describe('examples/auto-reply.json in a real n8n', () => {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let workflowId: string;

	useScenario(
		{
			name: 'auto-reply',
			workflows: [example],
			webhookPaths: [WEBHOOK_PATH],
			verifyToken: VERIFY_TOKEN,
		},
		(scenario) => {
			({ sandbox, server } = scenario);
			[workflowId] = scenario.workflowIds;
		},
	);

	it("passes Meta's verification handshake only with the right verify token", async () => {
		await expectHandshakeOnlyWith(sandbox, server, WEBHOOK_PATH, VERIFY_TOKEN);
	});

	it('answers one signed DM with exactly one reply to the sender', async () => {
		const { delivery } = await sandbox.customerSays({ text: 'hello, is the blue tee in stock? 👕' });
		expect(delivery?.status).toBe(200);
		expect(delivery?.body).toBe('');

		const [execution] = await server.waitForExecutions(workflowId, 1);
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'Instagram Messaging Trigger')).toEqual([
			expect.objectContaining({
				eventType: 'message',
				customerId: customer,
				accountId: account.igUserId,
				text: 'hello, is the blue tee in stock? 👕',
			}),
		]);

		const sent = await sandbox.waitForSent({ count: 1 });
		expect(sent).toHaveLength(1);
		// The first automated message of the conversation says that it is automated.
		expect(sent[0]).toMatchObject({
			recipientId: customer,
			accountId: account.igUserId,
			text: `${DISCLOSURE}\n\n${REPLY}`,
		});
		expect(sent[0].tag ?? null).toBeNull();
		expect(nodeOutput(execution, 'Reply')).toEqual([
			{
				recipientId: customer,
				messageId: sent[0].messageId,
				writtenBy: 'bot',
				tag: null,
				disclosed: 'firstMessage',
			},
		]);
	});

	it('discloses only once: the next reply in the conversation, even after an n8n restart, is plain', async () => {
		await sandbox.customerSays({ text: 'and in size M?' });
		await server.waitForExecutions(workflowId, 2);
		const [, second] = await sandbox.waitForSent({ count: 2 });
		expect(second.text).toBe(REPLY);

		await server.restart();
		await server.waitForWebhook(WEBHOOK_PATH, 'POST');
		await sandbox.customerSays({ text: 'thanks!' });
		const executions = await server.waitForExecutions(workflowId, 3);
		expect(executions.map((e) => e.status)).toEqual(['success', 'success', 'success']);
		const sent = await sandbox.waitForSent({ count: 3 });
		expect(sent).toHaveLength(3);
		expect(sent[2].text).toBe(REPLY);
	});

	it.each(BAD_SIGNATURES)('refuses a %s signature with 403: no execution, no reply', async (signature) => {
		const before = sandbox.sent().length;
		const { delivery } = await sandbox.customerSays({ text: `${signature} message`, signature });
		// Give n8n the time it would need to run an execution, then make sure none happened.
		await expectRefused(server, workflowId, delivery?.status, 3);
		expect(sandbox.sent()).toHaveLength(before);
	});

	it('prints no token or secret in the n8n log', () => {
		const log = server.logs();
		expect(log).not.toContain(account.accessToken);
		expect(log).not.toContain(account.instagramAppSecret);
		expect(log).toContain('refused a webhook');
	});
});
