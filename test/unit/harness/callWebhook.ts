import { WebhookContext } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	INode,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { TestCredentialsHelper } from './credentialsHelper';
import { packageCredentialTypes, TestNodeTypes } from './nodeTypes';

export interface FakeRequest {
	method: 'GET' | 'POST';
	body?: unknown;
	rawBody?: Buffer;
	headers?: Record<string, string>;
	query?: Record<string, string>;
}

export interface SentResponse {
	status?: number;
	body?: unknown;
	ended: boolean;
}

export interface WebhookCall {
	result: IWebhookResponseData;
	sent: SentResponse;
	workflow: Workflow;
}

/**
 * Calls the trigger's `webhook()` through n8n-core's real WebhookContext over a fake
 * request/response pair. `rawBody` is what n8n's server provides for signature checks.
 */
export async function callWebhook(options: {
	node: INode;
	webhookName: 'setup' | 'default';
	request: FakeRequest;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	workflow?: Workflow;
	logs?: string[];
	/** Incremented on every credential read. */
	credentialReads?: { count: number };
}): Promise<WebhookCall> {
	const workflow =
		options.workflow ??
		new Workflow({
			id: 'wf',
			nodes: [options.node],
			connections: {},
			active: true,
			nodeTypes: new TestNodeTypes(),
			settings: {},
		});
	const sent: SentResponse = { ended: false };
	const res = {
		status(code: number) {
			sent.status = code;
			return res;
		},
		type() {
			return res;
		},
		send(body: unknown) {
			sent.body = body;
			sent.ended = true;
			return res;
		},
		json(body: unknown) {
			sent.body = body;
			sent.ended = true;
			return res;
		},
		end() {
			sent.ended = true;
			return res;
		},
		setHeader() {
			return res;
		},
	};
	const credentialsHelper = new TestCredentialsHelper(
		packageCredentialTypes,
		{ ...options.credentials },
		options.credentialReads,
	);
	const headers = Object.fromEntries(
		Object.entries(options.request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
	);
	const additionalData = {
		credentialsHelper,
		httpRequest: { params: {}, query: {}, body: {}, ...options.request, headers },
		httpResponse: res,
		webhookBaseUrl: 'http://localhost/webhook',
		webhookTestBaseUrl: 'http://localhost/webhook-test',
		instanceBaseUrl: 'http://localhost/',
	} as unknown as IWorkflowExecuteAdditionalData;
	const nodeType = workflow.nodeTypes.getByNameAndVersion(options.node.type, options.node.typeVersion);
	const webhookDescription = nodeType.description.webhooks!.find((w) => w.name === options.webhookName)!;
	const context = new WebhookContext(
		workflow,
		options.node,
		additionalData,
		'webhook',
		{
			httpMethod: options.request.method,
			node: options.node.name,
			path: String(webhookDescription.path),
			webhookDescription,
			workflowId: 'wf',
		} as never,
		[],
		null,
	);
	if (options.logs) {
		const logs = options.logs;
		const record = (message: string) => logs.push(message);
		Object.defineProperty(context, 'logger', {
			value: { warn: record, info: record, error: record, debug: record },
		});
	}
	const result = await nodeType.webhook!.call(context);
	return { result, sent, workflow };
}
