/**
 * `examples/helpdesk-reply.json`, imported as shipped (only credential ids bound) into a real n8n
 * 2.41.1: a helpdesk posts `{ customerId, text, agentName }`, the reply goes out as written by a
 * person — untagged inside 24 h, HUMAN_AGENT up to 7 days, refused after that with an explanation
 * in the webhook response and nothing sent.
 */
import axios from 'axios';
import { readFileSync } from 'fs';
import { join } from 'path';

import { DAY_MS, HOUR_MS, MetaSandbox, SANDBOX_DEFAULTS } from '../../sandbox';
import { nodeOutput, useScenario, type N8nServer, type WorkflowJson } from './harness';

const example = JSON.parse(
	readFileSync(join(__dirname, '..', '..', 'examples', 'helpdesk-reply.json'), 'utf8'),
) as WorkflowJson;
const WEBHOOK_PATH = '5b0e7c2a-8d41-4f6e-9a37-2c1d9e6f4b80';
// The example's webhook requires a Header Auth credential (bound on import, as the note says).
const HEADER = { name: 'X-Helpdesk-Token', value: 'e2e-helpdesk-token-0d9c8b7a6f5e4d3c' };
const account = SANDBOX_DEFAULTS.instagram;

describe('examples/helpdesk-reply.json in a real n8n', () => {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let workflowId: string;

	useScenario(
		{
			name: 'example-helpdesk',
			shared: true,
			workflows: [example],
			webhookPaths: [WEBHOOK_PATH],
			setCallback: false,
			extraCredentials: [{ name: 'Helpdesk webhook header', type: 'httpHeaderAuth', data: HEADER }],
		},
		(scenario) => {
			({ sandbox, server } = scenario);
			[workflowId] = scenario.workflowIds;
		},
	);

	async function helpdeskSends(customerId: string, text: string, headers = { [HEADER.name]: HEADER.value }) {
		return await axios.post(
			server.webhookUrl(WEBHOOK_PATH),
			{ customerId, text, agentName: 'Anna' },
			{ validateStatus: () => true, headers },
		);
	}

	it.each([
		['no header', {}],
		['a wrong value', { [HEADER.name]: 'guess' }],
	])(
		'a caller without the header (%s) gets 403, no execution, nothing sent, nothing revealed',
		async (_name, headers) => {
			const customer = '3000000000000009';
			await sandbox.customerSays({
				from: customer,
				text: 'hi',
				at: sandbox.now() - 3 * 24 * HOUR_MS,
				deliver: false,
			});
			const before = (await server.executions({ workflowId })).length;
			const res = await helpdeskSends(customer, 'Injected reply', headers);
			expect(res.status).toBe(403);
			expect(JSON.stringify(res.data)).not.toMatch(/customer|window|HUMAN_AGENT|hours|days/i);
			expect(sandbox.sent({ recipientId: customer })).toEqual([]);
			expect((await server.executions({ workflowId })).length).toBe(before);
		},
	);

	it('customer wrote 2 h ago: sent untagged, signed by the agent', async () => {
		const customer = '3000000000000001';
		await sandbox.customerSays({
			from: customer,
			text: 'where is my parcel?',
			at: sandbox.now() - 2 * HOUR_MS,
			deliver: false,
		});
		const res = await helpdeskSends(customer, 'It left our warehouse today.');
		const sent = sandbox.sent();
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({
			recipientId: customer,
			text: 'It left our warehouse today.\n\n— Anna',
			messagingType: 'RESPONSE',
		});
		expect(sent[0].tag).toBeUndefined();
		expect(res.status).toBe(200);
		expect(res.data).toEqual({ ok: true, messageId: sent[0].messageId, tag: null });
	});

	it('customer wrote 3 days ago: sent with the HUMAN_AGENT tag', async () => {
		const customer = '3000000000000002';
		await sandbox.customerSays({
			from: customer,
			text: 'any news?',
			at: sandbox.now() - 3 * DAY_MS,
			deliver: false,
		});
		const res = await helpdeskSends(customer, 'Sorry for the wait: your refund is on its way.');
		const sent = sandbox.sent({ recipientId: customer });
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({
			text: 'Sorry for the wait: your refund is on its way.\n\n— Anna',
			messagingType: 'MESSAGE_TAG',
			tag: 'HUMAN_AGENT',
		});
		expect(res.status).toBe(200);
		expect(res.data).toEqual({ ok: true, messageId: sent[0].messageId, tag: 'HUMAN_AGENT' });
	});

	it('customer wrote 8 days ago: refused with the explanation in the response, nothing sent', async () => {
		const customer = '3000000000000003';
		await sandbox.customerSays({
			from: customer,
			text: 'hello?',
			at: sandbox.now() - 8 * DAY_MS,
			deliver: false,
		});
		const before = sandbox.sent().length;
		const res = await helpdeskSends(customer, 'Hi, still need help?');
		expect(res.status).toBe(422);
		expect(res.data).toEqual({ ok: false, error: expect.any(String), description: expect.any(String) });
		expect(`${res.data.error} ${res.data.description}`).toMatch(/7 days/);
		expect(sandbox.sent()).toHaveLength(before);
		expect(
			sandbox
				.requests({ method: 'POST', path: /\/messages$/ })
				.filter((r) => JSON.stringify(r.body ?? {}).includes(customer)),
		).toHaveLength(0);
	});

	it('every call ran one successful execution (the refusal continued to the "not sent" answer)', async () => {
		const executions = await server.waitForExecutions(workflowId, 3);
		expect(executions.map((e) => e.status)).toEqual(['success', 'success', 'success']);
		expect(nodeOutput(executions[2], 'Send Agent Reply')).toEqual([
			{ error: expect.stringMatching(/.+/), details: expect.stringMatching(/7 days/) },
		]);
		expect(nodeOutput(executions[2], 'Respond Not Sent')).toHaveLength(1);
		expect(executions[2].data?.resultData.runData['Respond Sent']).toBeUndefined();
		expect(nodeOutput(executions[0], 'Respond Sent')).toHaveLength(1);
	});

	it('prints no token or secret in the n8n log', () => {
		const log = server.logs();
		expect(log).not.toContain(account.accessToken);
		expect(log).not.toContain(account.instagramAppSecret);
	});
});
