import { MetaSandbox, SANDBOX_DEFAULTS } from '../../../sandbox';
import { N8nServer, type CredentialImport } from './n8n';
import { bindUsedCredentials, withVerifyToken, type CredentialRef, type WorkflowJson } from './workflow';

type SandboxConfig = NonNullable<Parameters<typeof MetaSandbox.start>[0]>;

export interface ScenarioOptions {
	/** Names the server's temp folder. */
	name: string;
	/** Workflows as shipped; their credentials are bound by type to the sandbox credentials. */
	workflows: WorkflowJson[];
	/** Production webhook paths to wait for; the first one becomes the sandbox's callback. */
	webhookPaths?: string[];
	/** Make the first webhook path the sandbox's callback (default true). */
	setCallback?: boolean;
	/** Verify token of the workflows' Instagram triggers, and the one the sandbox sends in Meta's handshake. */
	verifyToken?: string;
	/** Which sandbox app the Meta App credential stands for. */
	metaApp?: 'instagram' | 'facebookPage';
	sandbox?: SandboxConfig;
	/** More credentials to import and bind by type, e.g. the Header Auth of an example's webhook. */
	extraCredentials?: CredentialImport[];
	/** Publish the workflows before starting n8n (default true). */
	publish?: boolean;
}

export interface Scenario {
	sandbox: MetaSandbox;
	server: N8nServer;
	credentials: Record<'instagramLoginApi' | 'facebookPageApi' | 'metaAppApi', CredentialRef>;
	workflowIds: string[];
	dispose(): Promise<void>;
}

/**
 * The common e2e setup: the sandbox standing in for Meta, a real n8n with the package, one
 * credential per type pointing at the sandbox, the workflows imported as shipped (only credential
 * ids bound), published, and their production webhooks served.
 */
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

export async function startScenario(options: ScenarioOptions): Promise<Scenario> {
	const sandbox = await MetaSandbox.start(options.sandbox);
	const server = await N8nServer.create({ name: options.name });
	try {
		const ig = SANDBOX_DEFAULTS.instagram;
		const page = SANDBOX_DEFAULTS.facebookPage;
		const base = { apiBaseUrl: sandbox.url };
		const app =
			options.metaApp === 'facebookPage'
				? { appId: page.metaAppId, appSecret: page.metaAppSecret }
				: { appId: ig.metaAppId, appSecret: ig.metaAppSecret };
		const accounts = sandboxCredentialData(sandbox.url);
		const [instagramLoginApi, facebookPageApi, metaAppApi] = await server.importCredentials([
			accounts.instagramLoginApi,
			accounts.facebookPageApi,
			{ name: 'Meta app', type: 'metaAppApi', data: { ...app, ...base } },
		]);
		const credentials = { instagramLoginApi, facebookPageApi, metaAppApi };
		const extra = options.extraCredentials ?? [];
		const extraRefs = extra.length > 0 ? await server.importCredentials(extra) : [];
		const bindable: Record<string, CredentialRef> = {
			...credentials,
			...Object.fromEntries(extra.map((c, i) => [c.type, extraRefs[i]])),
		};
		const workflowIds: string[] = [];
		for (const workflow of options.workflows) {
			const chosen = options.verifyToken ? withVerifyToken(workflow, options.verifyToken) : workflow;
			const id = await server.importWorkflow(bindUsedCredentials(chosen, bindable));
			if (options.publish ?? true) await server.publish(id);
			workflowIds.push(id);
		}
		await server.start();
		for (const path of options.webhookPaths ?? []) await server.waitForWebhook(path, 'POST');
		const [callback] = options.webhookPaths ?? [];
		if (callback)
			sandbox.setWebhook({ callbackUrl: server.webhookUrl(callback), verifyToken: options.verifyToken });
		return {
			sandbox,
			server,
			credentials,
			workflowIds,
			dispose: async () => {
				await server.dispose();
				await sandbox.stop();
			},
		};
	} catch (error) {
		await server.dispose();
		await sandbox.stop();
		throw error;
	}
}
