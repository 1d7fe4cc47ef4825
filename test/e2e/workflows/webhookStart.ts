import type { INode } from 'n8n-workflow';

/**
 * The start of a workflow driven by POSTs: n8n's Webhook node, then a Code node (`name`) that
 * turns the request into items. `id(suffix)` makes the node ids; the webhook's id is `id('ff')`.
 */
export function webhookStart(
	id: (suffix: string) => string,
	path: string,
	code: { name: string; jsCode: string },
): INode[] {
	return [
		{
			id: id('01'),
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: id('ff'),
			parameters: { httpMethod: 'POST', path, options: {} },
		} as INode,
		{
			id: id('02'),
			name: code.name,
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [220, 0],
			parameters: { jsCode: code.jsCode },
		} as INode,
	];
}
