import type { INode } from 'n8n-workflow';

import type { WorkflowJson } from '../harness';
import { webhookStart } from './webhookStart';

/**
 * Webhook (POST `{ items: [{ customerId, text, lastCustomerMessageAt }] }`) → one item per entry →
 * Send Text. `idPrefix` (8 hex digits) keeps node and webhook ids apart between workflows.
 */
export function sendTextWorkflow(options: { name: string; path: string; idPrefix: string }): WorkflowJson {
	const id = (suffix: string) => `${options.idPrefix}-0000-4000-8000-0000000000${suffix}`;
	return {
		name: options.name,
		nodes: [
			...webhookStart(id, options.path, {
				name: 'Make Items',
				jsCode: 'return $input.first().json.body.items.map((json) => ({ json }));',
			}),
			{
				id: id('03'),
				name: 'Send Text',
				type: 'n8n-nodes-instagram-messaging.instagramMessaging',
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					authentication: 'instagramLoginApi',
					resource: 'message',
					operation: 'sendText',
					recipientId: '={{ $json.customerId }}',
					text: '={{ $json.text }}',
					// One request per item: the disclosure rule is proven elsewhere.
					discloseAutomation: false,
					// As from a CRM export: without it, each customer costs one Conversations API lookup,
					// and Meta allows 2 per second.
					windowOptions: { lastCustomerMessageAt: '={{ $json.lastCustomerMessageAt }}' },
				},
				credentials: { instagramLoginApi: { id: 'REPLACE', name: 'Instagram account' } },
			} as INode,
		],
		connections: {
			Webhook: { main: [[{ node: 'Make Items', type: 'main', index: 0 }]] },
			'Make Items': { main: [[{ node: 'Send Text', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}
