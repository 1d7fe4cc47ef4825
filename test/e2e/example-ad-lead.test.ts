/**
 * `examples/ad-lead.json`, imported as shipped (credential ids bound, a verify token chosen, and
 * the data table its note asks for created through n8n's public API) into a real n8n 2.41.1: a
 * person writes after a Click-to-Direct ad, answers the email question with something that is no
 * email (asked again), then with an email, then a phone number; one row lands in the data table
 * and the person is thanked. A DM that did not come from an ad starts nothing.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { IDataObject } from 'n8n-workflow';

import { type MetaSandbox } from '../../sandbox';
import { useScenario, type N8nExecution, type N8nServer, type WorkflowJson } from './harness';

const example = JSON.parse(
	readFileSync(join(__dirname, '..', '..', 'examples', 'ad-lead.json'), 'utf8'),
) as WorkflowJson;
const WEBHOOK_PATH = 'instagram-ad-lead/webhook';
const VERIFY_TOKEN = 'e2e-verify-token-6f1d2c9a8b7e';
const DISCLOSURE = "You're chatting with an automated assistant.";
const LEAD = '4200000000000001';
const COLUMNS = ['igsid', 'ad_id', 'ad_title', 'email', 'phone', 'valid', 'created_at'].map((name) => ({
	name,
	type: 'string',
}));

describe('examples/ad-lead.json in a real n8n', () => {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let workflowId: string;
	let tableId = '';

	useScenario(
		{
			name: 'example-ad-lead',
			shared: true,
			workflows: [example],
			webhookPaths: [WEBHOOK_PATH],
			verifyToken: VERIFY_TOKEN,
			beforeActivate: async (n8n) => {
				const res = await n8n.api.post<{ id: string }>('/data-tables', {
					name: 'instagram_leads',
					columns: COLUMNS,
				});
				tableId = res.data.id;
			},
		},
		(scenario) => {
			({ sandbox, server } = scenario);
			[workflowId] = scenario.workflowIds;
		},
	);

	const callbackUrl = () => server.webhookUrl(WEBHOOK_PATH);

	async function waitingExecution(): Promise<N8nExecution> {
		const deadline = Date.now() + 30_000;
		while (Date.now() < deadline) {
			const found = (await server.executions({ workflowId })).find((e) => e.status === 'waiting');
			if (found) return found;
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		throw new Error('no waiting execution');
	}

	/** The next message the business sends to the lead, once the execution waits again. */
	async function nextQuestion(count: number, waits = true): Promise<string> {
		const sent = await sandbox.waitForSent({ recipientId: LEAD, count });
		if (waits) await waitingExecution();
		return String(sent[count - 1].text);
	}

	const says = async (text: string) => {
		const { delivery } = await sandbox.customerSays({ from: LEAD, text, callbackUrl: callbackUrl() });
		expect(delivery?.status).toBe(200);
	};

	it('asks for the email (again when the answer is none), then the phone, and saves one lead row', async () => {
		const { delivery } = await sandbox.customerEnters({
			via: 'ad',
			from: LEAD,
			text: 'Hi! Is the spring offer still on?',
			adId: '120200000000000042',
			adTitle: 'Spring offer',
			callbackUrl: callbackUrl(),
		});
		expect(delivery.status).toBe(200);
		expect(await nextQuestion(1)).toBe(
			`${DISCLOSURE}\n\nThanks for your interest in Spring offer! What's your email address?`,
		);
		await says('hmm, why?');
		expect(await nextQuestion(2)).toMatch(/^Sorry, that doesn't look like an email address/);
		await says('sure: Jane.Lead@Example.COM');
		expect(await nextQuestion(3)).toBe('And a phone number we can reach you on?');
		await says('+44 20 7946 0958');
		expect(await nextQuestion(4, false)).toBe('Thank you! Someone from our team will be in touch soon.');

		const rows = (await server.api.get<{ data: IDataObject[] }>(`/data-tables/${tableId}/rows`)).data.data;
		expect(rows).toEqual([
			expect.objectContaining({
				igsid: LEAD,
				ad_id: '120200000000000042',
				ad_title: 'Spring offer',
				email: 'Jane.Lead@example.com',
				phone: '+442079460958',
				valid: 'true',
			}),
		]);
		const executions = await server.executions({ workflowId });
		expect(executions.map((e) => e.status)).toEqual(['success']);
	});

	it('a DM that did not come from an ad starts nothing', async () => {
		await says('just browsing');
		await sandbox.customerSays({ from: '4200000000000002', text: 'hello', callbackUrl: callbackUrl() });
		expect(sandbox.sent({ recipientId: '4200000000000002' })).toEqual([]);
		expect((await server.executions({ workflowId })).length).toBe(1);
	});
});
