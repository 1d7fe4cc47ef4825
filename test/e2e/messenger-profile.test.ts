/**
 * Messenger Profile (instagram-api.md §5) in a real n8n 2.41.1 against the sandbox: Set Ice
 * Breakers (from the fields, two locales), Set Persistent Menu (from JSON), Get, Delete (the ice
 * breakers), Get again — one chain, started by an n8n Webhook node. Proven on both sides: what the
 * sandbox stored and what each node output.
 */
import axios from 'axios';
import type { INode } from 'n8n-workflow';

import { SANDBOX_DEFAULTS, type MetaSandbox } from '../../sandbox';
import { nodeOutput, useScenario, type N8nServer, type WorkflowJson } from './harness';

const account = SANDBOX_DEFAULTS.instagram;
const WEBHOOK_PATH = 'messenger-profile-e2e';
const credentialRef = { instagramLoginApi: { id: 'REPLACE', name: 'Instagram account' } };

const ICE_BREAKERS = [
	{
		locale: 'default',
		call_to_actions: [
			{ question: 'Where is my order?', payload: 'IB_ORDER' },
			{ question: 'Do you ship abroad?', payload: 'IB_SHIPPING' },
		],
	},
	{ locale: 'de_DE', call_to_actions: [{ question: 'Wo ist meine Bestellung?', payload: 'IB_ORDER' }] },
];
const MENU = [
	{
		locale: 'default',
		call_to_actions: [
			{ type: 'postback', title: 'Talk to an agent', payload: 'CARE_HELP' },
			{ type: 'web_url', title: 'Shop now', url: 'https://shop.example.com' },
		],
	},
];

let position = 0;
function op(name: string, parameters: Record<string, unknown>): INode {
	position += 220;
	return {
		id: `7d0c1a2b-0000-4000-8000-${String(position).padStart(12, '0')}`,
		name,
		type: 'n8n-nodes-instagram-messaging.instagramMessaging',
		typeVersion: 1,
		position: [position, 0],
		parameters: { authentication: 'instagramLoginApi', resource: 'messengerProfile', ...parameters },
		credentials: credentialRef,
	} as INode;
}

const chain: INode[] = [
	op('Set Ice Breakers', {
		operation: 'setIceBreakers',
		defineUsing: 'fields',
		iceBreakers: {
			question: [
				{ locale: 'default', question: 'Where is my order?', payload: 'IB_ORDER' },
				{ locale: 'de_DE', question: 'Wo ist meine Bestellung?', payload: 'IB_ORDER' },
				{ locale: 'default', question: 'Do you ship abroad?', payload: 'IB_SHIPPING' },
			],
		},
	}),
	op('Set Persistent Menu', {
		operation: 'setPersistentMenu',
		defineUsing: 'json',
		persistentMenuJson: JSON.stringify(MENU),
	}),
	op('Get', { operation: 'get', fields: ['ice_breakers', 'persistent_menu'] }),
	op('Delete', { operation: 'delete', fields: ['ice_breakers'] }),
	op('Get After Delete', { operation: 'get', fields: ['ice_breakers', 'persistent_menu'] }),
];

const workflow: WorkflowJson = {
	name: 'Messenger Profile',
	nodes: [
		{
			id: '7d0c1a2b-0000-4000-8000-000000000001',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '7d0c1a2b-0000-4000-8000-0000000000ff',
			parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, options: {} },
		} as INode,
		...chain,
	],
	connections: {
		Webhook: { main: [[{ node: chain[0]!.name, type: 'main', index: 0 }]] },
		...Object.fromEntries(
			chain
				.slice(0, -1)
				.map((node, i) => [node.name, { main: [[{ node: chain[i + 1]!.name, type: 'main', index: 0 }]] }]),
		),
	},
	settings: { executionOrder: 'v1' },
};

describe('Messenger Profile operations in a real n8n', () => {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let workflowId: string;

	useScenario(
		{
			name: 'messenger-profile',
			shared: true,
			workflows: [workflow],
			webhookPaths: [WEBHOOK_PATH],
			setCallback: false,
		},
		(scenario) => {
			({ sandbox, server } = scenario);
			[workflowId] = scenario.workflowIds;
		},
	);

	it('sets ice breakers and the menu, reads them, deletes the ice breakers, reads again', async () => {
		expect((await axios.post(server.webhookUrl(WEBHOOK_PATH), {})).status).toBe(200);
		const [execution] = await server.waitForExecutions(workflowId, 1);
		if (execution?.status !== 'success')
			throw new Error(`execution failed: ${JSON.stringify(execution?.data?.resultData.error)}`);

		// What reached Meta, in order
		const calls = sandbox.requests({ path: /\/messenger_profile$/ });
		expect(
			calls.map((r) => [r.method, r.status, r.query.fields ?? null, r.query.platform ?? r.body?.platform]),
		).toEqual([
			['POST', 200, null, 'instagram'],
			['POST', 200, null, 'instagram'],
			['GET', 200, 'ice_breakers', 'instagram'],
			['GET', 200, 'persistent_menu', 'instagram'],
			['DELETE', 200, null, 'instagram'],
			['GET', 200, 'ice_breakers', 'instagram'],
			['GET', 200, 'persistent_menu', 'instagram'],
		]);
		expect(calls[0]?.body).toEqual({ platform: 'instagram', ice_breakers: ICE_BREAKERS });
		expect(calls[1]?.body).toEqual({ platform: 'instagram', persistent_menu: MENU });
		expect(calls[4]?.body).toEqual({ platform: 'instagram', fields: ['ice_breakers'] });
		// What Meta keeps now
		expect(sandbox.state.messengerProfile(account.igUserId)).toEqual({ persistent_menu: MENU });

		// What each node output
		expect(nodeOutput(execution, 'Set Ice Breakers')).toEqual([
			{ field: 'ice_breakers', success: true, locales: ['default', 'de_DE'], iceBreakers: ICE_BREAKERS },
		]);
		expect(nodeOutput(execution, 'Set Persistent Menu')).toEqual([
			{ field: 'persistent_menu', success: true, locales: ['default'], persistentMenu: MENU },
		]);
		expect(nodeOutput(execution, 'Get')).toEqual([{ iceBreakers: ICE_BREAKERS, persistentMenu: MENU }]);
		expect(nodeOutput(execution, 'Delete')).toEqual([{ deleted: ['ice_breakers'], success: true }]);
		expect(nodeOutput(execution, 'Get After Delete')).toEqual([{ iceBreakers: [], persistentMenu: MENU }]);
		expect(sandbox.rejected()).toEqual([]);
	});

	it('prints no token or secret in the n8n log', () => {
		const log = server.logs();
		expect(log).not.toContain(account.accessToken);
		expect(log).not.toContain(account.instagramAppSecret);
	});
});
