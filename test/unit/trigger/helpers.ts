import { createHmac } from 'crypto';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { HookContext } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	IWebhookData,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import {
	ACCOUNT,
	APP_SECRET,
	CUSTOMER,
	TRIGGER_TYPE,
	TestCredentialsHelper,
	TestNodeTypes,
	packageCredentialTypes,
	triggerNode,
	type FakeRequest,
} from '../harness';

/**
 * The fixtures carry Meta timestamps from October 2025; tests that post them run with Date.now()
 * at this moment, so they stay inside Meta's 36 h redelivery window (older events are refused).
 */
export const FIXTURES_NOW = 1760000099000;

/** A whole second one minute ago: a timestamp for envelopes built in a test. */
export const RECENT_MS = Math.floor(Date.now() / 1000) * 1000 - 60_000;

export const FIXTURES_DIR = join(__dirname, '..', '..', 'fixtures', 'events');
export const META_APP_ID = '880000000000001';
export const META_APP_SECRET = 'unit-meta-app-secret';
export const PAGE_ID = '100000000000001';
export const PAGE_TOKEN = 'EAAB-unit-page-token';
export const PAGE_SECRET = 'unit-page-meta-app-secret';
export const WEBHOOK_ID = 'instagram-unit';
export const PRODUCTION_URL = `http://localhost/webhook/${WEBHOOK_ID}/webhook`;
export const TEST_URL = `http://localhost/webhook-test/${WEBHOOK_ID}/webhook`;
export const FACEBOOK = 'https://graph.facebook.com';
export const INSTAGRAM = 'https://graph.instagram.com';
export const APP_TOKEN = `${META_APP_ID}|${META_APP_SECRET}`;

export const metaAppCredentials: Record<string, ICredentialDataDecryptedObject> = {
	metaAppApi: { appId: META_APP_ID, appSecret: META_APP_SECRET },
};

export const facebookPageCredentials: Record<string, ICredentialDataDecryptedObject> = {
	facebookPageApi: {
		accessToken: PAGE_TOKEN,
		pageId: PAGE_ID,
		instagramAccountId: '17841400000000001',
		appSecret: PAGE_SECRET,
		addProof: false,
	},
};

export function sign(raw: Buffer | string, secret = APP_SECRET): string {
	return 'sha256=' + createHmac('sha256', secret).update(raw).digest('hex');
}

/** One inbound `messages` webhook from CUSTOMER to ACCOUNT, sent a minute ago. */
export function messageEnvelope(message: IDataObject) {
	return {
		object: 'instagram',
		entry: [
			{
				id: ACCOUNT,
				time: RECENT_MS + 123,
				messaging: [{ sender: { id: CUSTOMER }, recipient: { id: ACCOUNT }, timestamp: RECENT_MS, message }],
			},
		],
	};
}

export function signedPost(body: unknown, secret = APP_SECRET): FakeRequest {
	const raw = Buffer.from(JSON.stringify(body));
	return { method: 'POST', body, rawBody: raw, headers: { 'X-Hub-Signature-256': sign(raw, secret) } };
}

export function fixtureNames(): string[] {
	return readdirSync(FIXTURES_DIR)
		.filter((file) => file.endsWith('.json'))
		.map((file) => file.replace(/\.json$/, ''))
		.sort();
}

export function loadFixture(name: string): IDataObject {
	return JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.json`), 'utf8')) as IDataObject;
}

/** A trigger node with the Facebook Page credential. */
export function pageTriggerNode(parameters: IDataObject = {}): INode {
	const node = triggerNode({ authentication: 'facebookPageApi', ...parameters } as never);
	node.credentials = { facebookPageApi: { id: '2', name: 'Page' } };
	return node;
}

/** A trigger node in automatic subscription mode (the Meta App credential attached). */
export function automaticNode(base: INode = triggerNode(), parameters: IDataObject = {}): INode {
	return {
		...base,
		parameters: { ...base.parameters, subscription: 'automatic', ...parameters } as INode['parameters'],
		credentials: { ...base.credentials, metaAppApi: { id: '3', name: 'Meta app' } },
	};
}

export function workflowFor(node: INode, staticData: IDataObject = {}): Workflow {
	return new Workflow({
		id: 'wf',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: new TestNodeTypes(),
		settings: {},
		staticData,
	});
}

export type HookMethod = 'checkExists' | 'create' | 'delete';

/**
 * Runs one of the trigger's webhookMethods through n8n-core's real HookContext, as n8n does on
 * activation (mode trigger / manual for the editor's test URL) and deactivation (internal).
 */
export async function callHook(
	method: HookMethod,
	options: {
		node: INode;
		workflow?: Workflow;
		credentials: Record<string, ICredentialDataDecryptedObject>;
		isTest?: boolean;
		mode?: WorkflowExecuteMode;
		logs?: string[];
		/** Where n8n says its webhooks are (a real callback server when the sandbox verifies it). */
		webhookBaseUrl?: string;
		/** Why n8n activates: `init` when it starts; default `activate` (`update` for delete). */
		activation?: WorkflowActivateMode;
	},
): Promise<{ result: boolean; workflow: Workflow }> {
	const workflow = options.workflow ?? workflowFor(options.node);
	const node = workflow.getNode(options.node.name) ?? options.node;
	const credentialsHelper = new TestCredentialsHelper(packageCredentialTypes, { ...options.credentials });
	const additionalData = {
		credentialsHelper,
		webhookBaseUrl: `${options.webhookBaseUrl ?? 'http://localhost'}/webhook`,
		webhookTestBaseUrl: `${options.webhookBaseUrl ?? 'http://localhost'}/webhook-test`,
		instanceBaseUrl: 'http://localhost/',
		restApiUrl: 'http://localhost/rest',
	} as unknown as IWorkflowExecuteAdditionalData;
	const nodeType = workflow.nodeTypes.getByNameAndVersion(TRIGGER_TYPE, 1);
	const description = nodeType.description.webhooks!.find((w) => w.name === 'default')!;
	const webhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: `${WEBHOOK_ID}/webhook`,
		webhookDescription: description,
		workflowId: 'wf',
		workflowExecuteAdditionalData: additionalData,
		webhookId: WEBHOOK_ID,
		isTest: options.isTest === true,
	} as unknown as IWebhookData;
	const mode = options.mode ?? (method === 'delete' ? 'internal' : options.isTest ? 'manual' : 'trigger');
	const context = new HookContext(
		workflow,
		node,
		additionalData,
		mode,
		options.activation ?? (method === 'delete' ? 'update' : 'activate'),
		webhookData,
	);
	if (options.logs) {
		const logs = options.logs;
		const record = (message: string) => logs.push(message);
		Object.defineProperty(context, 'logger', {
			value: { warn: record, info: record, error: record, debug: record },
		});
	}
	const methods = (
		nodeType as unknown as {
			webhookMethods: Record<string, Record<HookMethod, (this: HookContext) => Promise<boolean>>>;
		}
	).webhookMethods.default;
	const result = await methods[method].call(context);
	return { result, workflow };
}

export function nodeStaticData(workflow: Workflow, node: INode): IDataObject {
	return workflow.getStaticData('node', node);
}
