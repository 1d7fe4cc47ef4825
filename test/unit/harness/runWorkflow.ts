import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { createRunExecutionData, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { TestCredentialsHelper } from './credentialsHelper';
import { packageCredentialTypes, TestNodeTypes } from './nodeTypes';

export interface WorkflowRun {
	run: IRun;
	credentials: TestCredentialsHelper;
	/** Output items of a node (first output, last run). */
	output(nodeName: string): INodeExecutionData[];
	error(nodeName: string): Error | undefined;
}

/** Runs nodes through n8n-core's real WorkflowExecute: expressions, credentials, HTTP helpers. */
export async function runWorkflow(options: {
	nodes: INode[];
	connections?: IConnections;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	input?: INodeExecutionData[];
	/** The workflow's static data; pass the same object to several runs to keep state between them. */
	staticData?: IDataObject;
	/** n8n's execution mode; `webhook` for what a production webhook started. */
	mode?: WorkflowExecuteMode;
	workflowId?: string;
	/** n8n's execution id (default `1001`; n8n's ids are numbers). */
	executionId?: string;
}): Promise<WorkflowRun> {
	const workflowId = options.workflowId ?? 'unit';
	const mode = options.mode ?? 'manual';
	const executionId = options.executionId ?? '1001';
	const connections = options.connections ?? {};
	const workflow = new Workflow({
		id: workflowId,
		nodes: options.nodes,
		connections,
		active: false,
		nodeTypes: new TestNodeTypes(),
		settings: {},
		staticData: options.staticData,
	});
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflowId,
		name: 'unit',
		nodes: options.nodes,
		connections,
	} as unknown as IWorkflowBase);
	let resolveRun!: (run: IRun) => void;
	const done = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (run: IRun) => resolveRun(run));

	const credentials = new TestCredentialsHelper(packageCredentialTypes, { ...options.credentials });
	const additionalData = {
		hooks,
		credentialsHelper: credentials,
		executionId,
		variables: {},
		currentNodeParameters: undefined,
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost/',
		webhookBaseUrl: 'http://localhost/webhook',
		webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost/webhook-test',
		formWaitingBaseUrl: 'http://localhost/form-waiting',
		logAiEvent: () => {},
		getRunExecutionData: async () => undefined,
		executeWorkflow: async () => {
			throw new Error('unsupported');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const hasInput = new Set(
		Object.values(connections).flatMap((c) => (c.main ?? []).flat().map((x) => x?.node)),
	);
	const start = options.nodes.find((n) => !hasInput.has(n.name));
	if (!start) throw new Error('No start node');
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: start, data: { main: [options.input ?? [{ json: {} }]] }, source: null }],
		},
	});
	await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	const run = await done;
	const runData = () => run.data.resultData.runData;
	return {
		run,
		credentials,
		output: (name) => {
			const runs = runData()[name];
			return runs?.[runs.length - 1]?.data?.main?.[0] ?? [];
		},
		error: (name) => {
			const runs = runData()[name];
			return (runs?.[runs.length - 1]?.error as Error | undefined) ?? undefined;
		},
	};
}
