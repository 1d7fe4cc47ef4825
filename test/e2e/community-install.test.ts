/**
 * The way users get the package: `npm publish` of the packed tarball to a real npm registry
 * (Verdaccio on loopback, answering as registry.npmjs.org), then n8n's own community-package
 * install — the endpoint behind Settings → Community Nodes → Install — into a real n8n that has
 * no other copy of the package. The nodes then carry their published type names, and the shipped
 * auto-reply example answers a signed DM, before and after a restart.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { MetaSandbox, SANDBOX_DEFAULTS } from '../../sandbox';
import {
	INSTALL_TIMEOUT_MS,
	N8nServer,
	PACKAGE_NAME,
	bindCredentials,
	withVerifyToken,
	nodeOutput,
	type WorkflowJson,
} from './harness';
import { LocalRegistry } from './harness/registry';

const REPO = join(__dirname, '..', '..');
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const example = JSON.parse(readFileSync(join(REPO, 'examples', 'auto-reply.json'), 'utf8')) as WorkflowJson;
const WEBHOOK_PATH = 'instagram-auto-reply/webhook';
const ig = SANDBOX_DEFAULTS.instagram;

interface InstalledPackage {
	packageName: string;
	installedVersion: string;
	installedNodes: Array<{ name: string; type: string }>;
}

describe('community-package install from an npm registry into a real n8n', () => {
	let registry: LocalRegistry;
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let packDir: string;
	let tarball: string;
	let refusedPublish: string;

	beforeAll(async () => {
		packDir = mkdtempSync(join(tmpdir(), 'pack-e2e-'));
		const [packed] = JSON.parse(
			execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], {
				cwd: REPO,
				encoding: 'utf8',
			}),
		) as Array<{ filename: string }>;
		registry = await LocalRegistry.start();
		tarball = join(packDir, packed.filename);
		// A careless local publish first (no explicit opt-out): npm must refuse it.
		refusedPublish = await registry.publish(tarball, { provenance: true }).then(
			() => 'published',
			(error: { stderr?: string }) => String(error.stderr ?? ''),
		);
		await registry.publish(tarball);
		sandbox = await MetaSandbox.start();
		server = await N8nServer.create({
			name: 'community-install',
			loadPackage: false,
			communityRegistry: registry,
		});
		await server.start();
	}, INSTALL_TIMEOUT_MS);

	afterAll(async () => {
		await server?.dispose();
		await sandbox?.stop();
		await registry?.stop();
		if (packDir) rmSync(packDir, { recursive: true, force: true });
	});

	it('the registry serves the published tarball', async () => {
		expect((await registry.packument(PACKAGE_NAME))['dist-tags'].latest).toBe(VERSION);
	});

	it('a publish from outside the release workflow is refused: the package requires npm provenance', async () => {
		expect(refusedPublish).toMatch(/Automatic provenance generation not supported/);
	});

	it('n8n starts without the package, then installs it through Settings → Community Nodes', async () => {
		expect((await server.rest.get<{ data: unknown[] }>('/community-packages')).data.data).toEqual([]);

		const res = await server.rest.post<{ data: InstalledPackage }>('/community-packages', {
			name: PACKAGE_NAME,
		});
		expect(res.data.data).toMatchObject({ packageName: PACKAGE_NAME, installedVersion: VERSION });
		expect(res.data.data.installedNodes.map((n) => n.type).sort()).toEqual([
			`${PACKAGE_NAME}.instagramMessaging`,
			`${PACKAGE_NAME}.instagramMessagingTrigger`,
		]);
		const listed = await server.rest.get<{ data: InstalledPackage[] }>('/community-packages');
		expect(listed.data.data.map((p) => p.packageName)).toEqual([PACKAGE_NAME]);
	});

	it('runs the shipped auto-reply example with the published node types, also after a restart', async () => {
		const base = { apiBaseUrl: sandbox.url };
		const credential = await server.createCredential({
			name: 'Instagram account',
			type: 'instagramLoginApi',
			data: { accessToken: ig.accessToken, appSecret: ig.instagramAppSecret, ...base },
		});
		const workflow = await server.createWorkflow(
			bindCredentials(withVerifyToken(example, 'e2e-verify-token-community'), {
				instagramLoginApi: credential,
			}),
		);
		expect(workflow.nodes.map((n) => n.type)).toContain(`${PACKAGE_NAME}.instagramMessagingTrigger`);
		await server.activate(workflow.id);
		await server.waitForWebhook(WEBHOOK_PATH, 'POST');
		sandbox.setWebhook({ callbackUrl: server.webhookUrl(WEBHOOK_PATH) });

		const first = await sandbox.customerSays({ text: 'hello from a community install' });
		expect(first.delivery?.status).toBe(200);
		const [execution] = await server.waitForExecutions(workflow.id, 1);
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'Instagram Messaging Trigger')).toEqual([
			expect.objectContaining({ eventType: 'message', text: 'hello from a community install' }),
		]);
		expect(await sandbox.waitForSent({ count: 1 })).toHaveLength(1);

		// Installed packages are recorded in n8n's database and loaded again at start.
		await server.restart();
		await server.waitForWebhook(WEBHOOK_PATH, 'POST');
		const second = await sandbox.customerSays({ text: 'and after a restart' });
		expect(second.delivery?.status).toBe(200);
		await server.waitForExecutions(workflow.id, 2);
		expect(await sandbox.waitForSent({ count: 2 })).toHaveLength(2);
	});
});
