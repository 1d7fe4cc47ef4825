/**
 * `examples/dm-to-crm.json`, imported as shipped (only credential ids bound) into a real n8n
 * 2.41.1. The two data tables are created through n8n's public API first, as the example's note
 * tells users to do. Two DMs from a customer → one contact with the profile fields, two messages.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { IDataObject } from 'n8n-workflow';

import { SANDBOX_DEFAULTS, type MetaSandbox } from '../../sandbox';
import { nodeOutput, useScenario, type N8nServer, type WorkflowJson } from './harness';

const example = JSON.parse(
	readFileSync(join(__dirname, '..', '..', 'examples', 'dm-to-crm.json'), 'utf8'),
) as WorkflowJson;
const WEBHOOK_PATH = 'instagram-dm-to-crm/webhook';
// The example's placeholder is refused at activation: set one, as the example's note says.
const VERIFY_TOKEN = 'e2e-verify-token-6f1d2c9a8b7e';
const account = SANDBOX_DEFAULTS.instagram;
const customer = { id: '4000000000000001', username: 'ana.customer', name: 'Ana Customer' };

const TABLES = {
	instagram_messages: ['igsid', 'mid', 'text', 'kind', 'received_at'].map((name) => ({
		name,
		type: 'string',
	})),
	instagram_contacts: [
		...['igsid', 'username', 'name', 'profile_pic', 'first_contact_at'].map((name) => ({
			name,
			type: 'string',
		})),
		{ name: 'follower_count', type: 'number' },
		{ name: 'follows_business', type: 'boolean' },
	],
};

describe('examples/dm-to-crm.json in a real n8n', () => {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let workflowId: string;
	const tableIds: Record<string, string> = {};

	async function rows(table: keyof typeof TABLES): Promise<IDataObject[]> {
		const res = await server.api.get<{ data: IDataObject[] }>(`/data-tables/${tableIds[table]}/rows`);
		return res.data.data;
	}

	useScenario(
		{
			name: 'example-dm-to-crm',
			shared: true,
			workflows: [example],
			webhookPaths: [WEBHOOK_PATH],
			verifyToken: VERIFY_TOKEN,
			prepareSandbox: (meta) => {
				meta.addCustomer(customer);
				meta.state.setProfile(account.igUserId, customer.id, {
					profilePic: 'https://cdn.example/ana.jpg',
					followerCount: 321,
					isUserFollowBusiness: true,
				});
			},
			// The step the example's note asks for: create the two data tables (here through the public API).
			beforeActivate: async (n8n) => {
				for (const [name, columns] of Object.entries(TABLES)) {
					const res = await n8n.api.post<{ id: string }>('/data-tables', { name, columns });
					tableIds[name] = res.data.id;
				}
			},
		},
		(scenario) => {
			({ sandbox, server } = scenario);
			[workflowId] = scenario.workflowIds;
		},
	);

	it('two DMs from a new customer → one contact with the profile fields, two logged messages', async () => {
		const first = await sandbox.customerSays({
			from: customer.id,
			text: 'Hi! Do you have the blue tee in M?',
		});
		const [one] = await server.waitForExecutions(workflowId, 1);
		const second = await sandbox.customerSays({ from: customer.id, text: 'And in L?' });
		const executions = await server.waitForExecutions(workflowId, 2);
		expect(executions.map((e) => e.status)).toEqual(['success', 'success']);

		// The profile is fetched for the first DM only.
		expect(nodeOutput(one, 'Get Profile')).toEqual([
			expect.objectContaining({ id: customer.id, username: customer.username, followerCount: 321 }),
		]);
		expect(executions[1].data?.resultData.runData['Get Profile']).toBeUndefined();
		expect(sandbox.requests({ method: 'GET', path: new RegExp(`/${customer.id}$`) })).toHaveLength(1);

		const contacts = await rows('instagram_contacts');
		expect(contacts).toHaveLength(1);
		expect(contacts[0]).toMatchObject({
			igsid: customer.id,
			username: customer.username,
			name: customer.name,
			profile_pic: 'https://cdn.example/ana.jpg',
			follower_count: 321,
			follows_business: true,
			first_contact_at: new Date(first.event.timestamp).toISOString(),
		});

		const messages = await rows('instagram_messages');
		expect(messages.map((m) => [m.igsid, m.mid, m.text, m.kind])).toEqual([
			[customer.id, first.event.message?.mid, 'Hi! Do you have the blue tee in M?', 'text'],
			[customer.id, second.event.message?.mid, 'And in L?', 'text'],
		]);
		expect(sandbox.sent()).toEqual([]);
	});

	it('prints no token or secret in the n8n log', () => {
		const log = server.logs();
		expect(log).not.toContain(account.accessToken);
		expect(log).not.toContain(account.instagramAppSecret);
	});
});
