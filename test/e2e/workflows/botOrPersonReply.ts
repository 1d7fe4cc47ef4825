import type { INode } from 'n8n-workflow';

import type { WorkflowJson } from '../harness';
import { webhookStart } from './webhookStart';

const credentials = { instagramLoginApi: { id: 'REPLACE', name: 'Instagram account' } };

function sendText(id: string, name: string, writtenBy: 'bot' | 'human', x: number, y: number): INode {
	return {
		id,
		name,
		type: 'n8n-nodes-instagram-messaging.instagramMessaging',
		typeVersion: 1,
		position: [x, y],
		parameters: {
			authentication: 'instagramLoginApi',
			resource: 'message',
			operation: 'sendText',
			recipientId: '={{ $json.customerId }}',
			text: '={{ $json.text }}',
			writtenBy,
			// The automation disclosure is on by default for bot messages.
			windowOptions: { lastCustomerMessageAt: '={{ $json.lastCustomerMessageAt }}' },
		},
		credentials,
	} as INode;
}

/**
 * Webhook (POST `{ customerId, text, writtenBy, lastCustomerMessageAt }`) → "By a Person?" →
 * Send Text written by a person, or Send Text by the bot with the automation disclosure. Both
 * nodes share the workflow's record of each conversation, as in a hand-off workflow.
 */
export function botOrPersonReplyWorkflow(options: { name: string; path: string }): WorkflowJson {
	const id = (suffix: string) => `9a0c1a2d-0000-4000-8000-0000000000${suffix}`;
	return {
		name: options.name,
		nodes: [
			...webhookStart(id, options.path, {
				name: 'Fields',
				jsCode: 'return [{ json: $input.first().json.body }];',
			}),
			{
				id: id('03'),
				name: 'By a Person?',
				type: 'n8n-nodes-base.if',
				typeVersion: 2.2,
				position: [440, 0],
				parameters: {
					conditions: {
						options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
						conditions: [
							{
								id: 'c1',
								leftValue: '={{ $json.writtenBy }}',
								rightValue: 'human',
								operator: { type: 'string', operation: 'equals' },
							},
						],
						combinator: 'and',
					},
					options: {},
				},
			} as INode,
			sendText(id('04'), 'Person Replies', 'human', 660, -100),
			sendText(id('05'), 'Bot Replies', 'bot', 660, 100),
		],
		connections: {
			Webhook: { main: [[{ node: 'Fields', type: 'main', index: 0 }]] },
			Fields: { main: [[{ node: 'By a Person?', type: 'main', index: 0 }]] },
			'By a Person?': {
				main: [
					[{ node: 'Person Replies', type: 'main', index: 0 }],
					[{ node: 'Bot Replies', type: 'main', index: 0 }],
				],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}
