import { WebhookContext } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
	IRunExecutionData,
	WorkflowExecuteMode,
	ICredentialDataDecryptedObject,
	INode,
	INodeExecutionData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { TestCredentialsHelper } from './credentialsHelper';
import { packageCredentialTypes, TestNodeTypes } from './nodeTypes';
import { runWorkflow } from './runWorkflow';

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
	/** What the caller received: the node's own answer, or n8n's once it saved the execution. */
	sent: SentResponse;
	/** Who answered: the node itself, or n8n after saving the execution webhook() started. */
	answeredBy: 'node' | 'n8n' | 'nobody';
	/**
	 * The trigger's output in the execution webhook() started (run through n8n-core's real
	 * WorkflowExecute, as n8n does); empty when no execution started (`result.workflowData`
	 * undefined).
	 */
	emitted: INodeExecutionData[];
	workflow: Workflow;
	/** With `deferAnswer`: n8n saves (and here runs) the execution and answers. */
	complete?: () => Promise<WebhookCall>;
}
/** Executions webhook() started in this test file: each gets an id of its own, as in n8n. */
let executionsStarted = 0;

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
	/** false: n8n could not save the execution (database down); it answers 500 and runs nothing. */
	executionSaved?: boolean;
	/** The mode of the execution webhook() starts: `manual` for the editor's test URL (default `webhook`). */
	executionMode?: WorkflowExecuteMode;
	/** The id of the execution webhook() starts (default: a new one per call, as n8n gives). */
	executionId?: string;
	/** true: the caller hung up before any answer (the response closes without finishing). */
	callerHangsUp?: boolean;
	/** true: return right after webhook(), before n8n saved the execution and answered; `complete()` does that. */
	deferAnswer?: boolean;
	/** A waiting execution's custom data, as n8n hands it to the waiting node's webhook. */
	executionCustomData?: Record<string, string>;
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
	const onClose: Array<() => void> = [];
	const res = {
		get statusCode() {
			return sent.status ?? 200;
		},
		get writableFinished() {
			return sent.ended;
		},
		once(event: string, listener: () => void) {
			if (event === 'close') onClose.push(listener);
			return res;
		},
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
		options.executionCustomData
			? ({ resultData: { runData: {}, metadata: { ...options.executionCustomData } } } as IRunExecutionData)
			: null,
	);
	if (options.logs) {
		const logs = options.logs;
		const record = (message: string) => logs.push(message);
		Object.defineProperty(context, 'logger', {
			value: { warn: record, info: record, error: record, debug: record },
		});
	}
	const result = await nodeType.webhook!.call(context);
	const call: WebhookCall = {
		result,
		sent,
		answeredBy: sent.ended ? 'node' : 'nobody',
		emitted: [],
		workflow,
	};
	const complete = async (): Promise<WebhookCall> => {
		if (result.workflowData !== undefined && options.executionSaved === false) {
			sent.status = 500;
			sent.ended = true;
			call.answeredBy = 'n8n';
		} else if (result.workflowData !== undefined) {
			// n8n saves the execution, answers, then runs it; here the run comes before the answer (the
			// execution's keys are settled either way: by the answer or by the trigger's step).
			const { output } = await runWorkflow({
				nodes: [options.node],
				credentials: options.credentials,
				input: result.workflowData[0],
				staticData: workflow.staticData,
				mode: options.executionMode ?? 'webhook',
				workflowId: workflow.id,
				executionId: options.executionId ?? `webhook-execution-${++executionsStarted}`,
			});
			call.emitted = output(options.node.name);
			if (!sent.ended && result.noWebhookResponse !== true) {
				const code = webhookDescription.responseCode;
				sent.status = typeof code === 'number' ? code : 200;
				sent.ended = true;
				call.answeredBy = 'n8n';
			}
		}
		if (options.callerHangsUp !== true) for (const listener of onClose) listener();
		return call;
	};
	if (options.deferAnswer === true) return Object.assign(call, { complete });
	return await complete();
}
