import type { IDataObject } from 'n8n-workflow';

import { MetaSandbox, SANDBOX_DEFAULTS } from '../../../sandbox';
import { INSTALL_TIMEOUT_MS } from './install';
import { N8nServer, type CredentialImport } from './n8n';
import type { QueueOptions } from './queueCompanions';
import { sharedN8nServer } from './sharedServer';
import { bindUsedCredentials, withVerifyToken, type CredentialRef, type WorkflowJson } from './workflow';

type SandboxConfig = NonNullable<Parameters<typeof MetaSandbox.start>[0]>;
type ScenarioCredentialType = 'instagramLoginApi' | 'facebookPageApi' | 'metaAppApi';
export type ScenarioCredentials = Record<ScenarioCredentialType, CredentialRef>;

export interface ScenarioOptions {
	/** Names the server's temp folder. */
	name: string;
	/**
	 * Workflows as shipped; their credentials are bound by type to the sandbox credentials. A
	 * function gets the imported credentials (the default ones, then `extraCredentials` in order).
	 */
	workflows?: WorkflowJson[] | ((credentials: ScenarioCredentials, extra: CredentialRef[]) => WorkflowJson[]);
	/** Bind the workflows' credentials by type (default true); false keeps the ids they carry. */
	bindByType?: boolean;
	/** Production webhook paths to wait for; the first one becomes the sandbox's callback. */
	webhookPaths?: string[];
	/** Make the first webhook path the sandbox's callback (default true). */
	setCallback?: boolean;
	/** Verify token of the workflows' Instagram triggers, and the one the sandbox sends in Meta's handshake. */
	verifyToken?: string;
	/** Which sandbox app the Meta App credential stands for. */
	metaApp?: 'instagram' | 'facebookPage';
	sandbox?: SandboxConfig;
	/** Runs on the started sandbox before anything is imported (token lifetimes, earlier messages, …). */
	prepareSandbox?: (sandbox: MetaSandbox) => void | Promise<void>;
	/** Merged into the data of the default credentials, e.g. `{ facebookPageApi: { addProof: false } }`. */
	credentialData?: Partial<Record<ScenarioCredentialType, IDataObject>>;
	/** More credentials to import and bind by type, e.g. the Header Auth of an example's webhook. */
	extraCredentials?: CredentialImport[] | ((sandbox: MetaSandbox) => CredentialImport[]);
	/** Publish (activate) the workflows (default true). */
	publish?: boolean;
	/** Runs once n8n is up, before the workflows are published (e.g. creating the data tables an example needs). */
	beforeActivate?: (server: N8nServer) => Promise<void>;
	/** Extra environment for n8n (see `N8nServerOptions.env`). */
	env?: Record<string, string>;
	/** Run n8n in queue mode (see `N8nServerOptions.queue`). */
	queue?: QueueOptions;
	/**
	 * Use the n8n that the files asking for it share (`sharedServer.ts`): for files that neither
	 * restart it nor change its environment. The scenario removes its workflows and credentials.
	 */
	shared?: boolean;
}

export interface Scenario {
	sandbox: MetaSandbox;
	server: N8nServer;
	credentials: ScenarioCredentials;
	/** The `extraCredentials`, in order. */
	extraCredentials: CredentialRef[];
	workflowIds: string[];
	dispose(): Promise<void>;
}

/** The sandbox accounts as n8n credentials, pointing at the sandbox (also used by `npm start`). */
export function sandboxCredentialData(sandboxUrl: string): {
	instagramLoginApi: CredentialImport;
	facebookPageApi: CredentialImport;
} {
	const ig = SANDBOX_DEFAULTS.instagram;
	const page = SANDBOX_DEFAULTS.facebookPage;
	const base = { apiBaseUrl: sandboxUrl };
	return {
		instagramLoginApi: {
			name: 'Instagram account',
			type: 'instagramLoginApi',
			data: { accessToken: ig.accessToken, appSecret: ig.instagramAppSecret, ...base },
		},
		facebookPageApi: {
			name: 'Instagram via Facebook Page',
			type: 'facebookPageApi',
			data: {
				accessToken: page.pageAccessToken,
				pageId: page.pageId,
				instagramAccountId: page.igUserId,
				appSecret: page.metaAppSecret,
				...base,
			},
		},
	};
}

/**
 * The common e2e setup: the sandbox standing in for Meta, a real n8n with the package (its own, or
 * the one shared by the files that ask for it), one credential per type pointing at the sandbox,
 * the workflows as shipped (only credential ids bound), published, and their production webhooks
 * served. Everything is created through n8n's API once n8n runs: no n8n CLI start per credential,
 * workflow or publication (each costs a 5–7 s boot).
 */
export async function startScenario(options: ScenarioOptions): Promise<Scenario> {
	const sandbox = await MetaSandbox.start(options.sandbox);
	let server: N8nServer | undefined;
	const owned = options.shared !== true;
	const created: { workflows: string[]; credentials: string[] } = { workflows: [], credentials: [] };
	const cleanUp = async () => {
		if (owned) await server?.dispose();
		else if (server) await server.removeAll(created.workflows, created.credentials);
		await sandbox.stop();
	};
	try {
		await options.prepareSandbox?.(sandbox);
		if (owned) {
			server = await N8nServer.create({ name: options.name, env: options.env, queue: options.queue });
			await server.start();
		} else {
			if (options.env || options.queue)
				throw new Error(`${options.name}: a shared n8n has the default environment`);
			server = await sharedN8nServer();
		}
		const ig = SANDBOX_DEFAULTS.instagram;
		const page = SANDBOX_DEFAULTS.facebookPage;
		const base = { apiBaseUrl: sandbox.url };
		const app =
			options.metaApp === 'facebookPage'
				? { appId: page.metaAppId, appSecret: page.metaAppSecret }
				: { appId: ig.metaAppId, appSecret: ig.metaAppSecret };
		const accounts = sandboxCredentialData(sandbox.url);
		const overrides = options.credentialData ?? {};
		const withOverrides = (c: CredentialImport, type: ScenarioCredentialType): CredentialImport => ({
			...c,
			data: { ...c.data, ...overrides[type] },
		});
		const create = async (imports: CredentialImport[]): Promise<CredentialRef[]> => {
			const refs: CredentialRef[] = [];
			for (const credential of imports) {
				const ref = await server!.createCredentialAsIs(credential);
				created.credentials.push(ref.id);
				refs.push(ref);
			}
			return refs;
		};
		const [instagramLoginApi, facebookPageApi, metaAppApi] = await create([
			withOverrides(accounts.instagramLoginApi, 'instagramLoginApi'),
			withOverrides(accounts.facebookPageApi, 'facebookPageApi'),
			withOverrides({ name: 'Meta app', type: 'metaAppApi', data: { ...app, ...base } }, 'metaAppApi'),
		]);
		const credentials = { instagramLoginApi, facebookPageApi, metaAppApi };
		const extra =
			typeof options.extraCredentials === 'function'
				? options.extraCredentials(sandbox)
				: (options.extraCredentials ?? []);
		const extraRefs = await create(extra);
		const bindable: Record<string, CredentialRef> = {
			...credentials,
			...Object.fromEntries(extra.map((c, i) => [c.type, extraRefs[i]])),
		};
		const workflows =
			typeof options.workflows === 'function'
				? options.workflows(credentials, extraRefs)
				: (options.workflows ?? []);
		for (const workflow of workflows) {
			const chosen = options.verifyToken ? withVerifyToken(workflow, options.verifyToken) : workflow;
			const bound = (options.bindByType ?? true) ? bindUsedCredentials(chosen, bindable) : chosen;
			created.workflows.push((await server.createWorkflow(bound)).id);
		}
		await options.beforeActivate?.(server);
		if (options.publish ?? true) for (const id of created.workflows) await server.activate(id);
		for (const path of options.webhookPaths ?? []) await server.waitForWebhook(path, 'POST');
		const [callback] = options.webhookPaths ?? [];
		if (callback && (options.setCallback ?? true))
			sandbox.setWebhook({ callbackUrl: server.webhookUrl(callback), verifyToken: options.verifyToken });
		return {
			sandbox,
			server,
			credentials,
			extraCredentials: extraRefs,
			workflowIds: [...created.workflows],
			dispose: cleanUp,
		};
	} catch (error) {
		await cleanUp().catch(() => undefined);
		throw error;
	}
}

/**
 * `startScenario` in the surrounding describe block's `beforeAll` (disposed in its `afterAll`);
 * `ready` receives the started scenario, to keep what the tests use.
 */
export function useScenario(options: ScenarioOptions, ready: (scenario: Scenario) => void): void {
	let scenario: Scenario | undefined;
	beforeAll(async () => {
		scenario = await startScenario(options);
		ready(scenario);
	}, INSTALL_TIMEOUT_MS);
	afterAll(async () => {
		await scenario?.dispose();
	});
}
