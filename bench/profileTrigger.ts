/**
 * CPU profile of n8n serving the trigger (issue 13, step 1): one n8n 2.41.1 with
 * `--cpu-prof`, N identical-size signed Instagram envelopes posted one at a time to our trigger
 * and to n8n's Webhook node (both → No Op), then a summary of where n8n's main thread spent its
 * time, by package. Run: `npx ts-node --transpile-only bench/profileTrigger.ts [N] [variant]
 * [N8N_SETTING=value,…] [events per POST]` (variant: ours | baseline | baselineWithCredential).
 */
import axios from 'axios';
import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { signBody } from '../sandbox';
import { N8nServer, type WorkflowJson } from '../test/e2e/harness';
import { account, chain, envelope, importBenchCredential, node } from './workflows';

const PACKAGE_DIST = join(__dirname, '..', 'dist');

type Variant = 'ours' | 'baseline' | 'baselineWithCredential';

const PATHS: Record<Variant, string> = {
	ours: 'profile-ours/webhook',
	baseline: 'profile-baseline',
	baselineWithCredential: 'profile-baseline-auth',
};

/** The variant's trigger → No Op. */
function profiled(variant: Variant, credentialId: string, headerAuthId: string): WorkflowJson {
	const done = node('Done', 'n8n-nodes-base.noOp', 1, {});
	if (variant === 'ours') {
		const trigger = node(
			'Trigger',
			'CUSTOM.instagramMessagingTrigger',
			2,
			{
				authentication: 'instagramLoginApi',
				verifyToken: 'profile-verify',
				events: ['message'],
				options: {},
			},
			{ webhookId: 'profile-ours', credentials: { instagramLoginApi: { id: credentialId, name: 'bench' } } },
		);
		return chain('profile: trigger', [trigger, done]);
	}
	// With a credential: n8n's Webhook node checking a header, i.e. what n8n costs for any webhook
	// that reads a credential, separated from what our trigger does.
	const path = PATHS[variant];
	const auth =
		variant === 'baselineWithCredential'
			? {
					parameters: { authentication: 'headerAuth' },
					credentials: { httpHeaderAuth: { id: headerAuthId, name: 'profile header' } },
				}
			: { parameters: {}, credentials: undefined };
	const trigger = node(
		'Trigger',
		'n8n-nodes-base.webhook',
		2,
		{ httpMethod: 'POST', path, options: {}, ...auth.parameters },
		{ webhookId: path, ...(auth.credentials ? { credentials: auth.credentials } : {}) },
	);
	return chain(`profile: ${variant}`, [trigger, done]);
}

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string };
	children?: number[];
}

function summarize(dir: string): void {
	const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
	for (const file of files) {
		const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
			nodes: ProfileNode[];
			samples: number[];
			timeDeltas: number[];
		};
		const byId = new Map(profile.nodes.map((n) => [n.id, n]));
		const self = new Map<number, number>();
		profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
		const total = [...self.values()].reduce((a, b) => a + b, 0);
		const byPackage = new Map<string, number>();
		const byFunction = new Map<string, number>();
		for (const [id, us] of self) {
			const node = byId.get(id);
			if (!node) continue;
			const url = node.callFrame.url;
			const pkg =
				url === ''
					? `(${node.callFrame.functionName || 'native'})`
					: url.includes(PACKAGE_DIST)
						? 'THIS PACKAGE'
						: (/node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? url.replace(/^.*\//, ''));
			byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
			const fn = `${node.callFrame.functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '')}`;
			byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
		}
		console.log(`\n## ${file}: ${(total / 1e6).toFixed(1)} s sampled`);
		for (const [pkg, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 20))
			console.log(`${((us / total) * 100).toFixed(1).padStart(5)} %  ${pkg}`);
		console.log('top functions:');
		for (const [fn, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25))
			console.log(`${((us / total) * 100).toFixed(1).padStart(5)} %  ${fn}`);
	}
}

async function main(): Promise<void> {
	const n = Number(process.argv[2] ?? 300);
	const variant = process.argv[3] ?? 'ours';
	const eventsPerPost = Number(process.argv[5] ?? 1);
	// Further n8n settings as KEY=VALUE,KEY=VALUE (e.g. N8N_EXPRESSION_ENGINE_POOL_SIZE=4).
	const settings = Object.fromEntries(
		(process.argv[4] ?? '')
			.split(',')
			.filter((pair) => pair.includes('='))
			.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
	);
	const profileDir = mkdtempSync(join(tmpdir(), 'n8n-prof-'));
	const server = await N8nServer.create({
		name: 'profile',
		env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}`, ...settings },
	});
	try {
		// Nothing here calls Meta: the trigger only verifies with the app secret.
		const credential = await importBenchCredential(server, 'http://127.0.0.1:9');
		const [headerAuth] = await server.importCredentials([
			{ name: 'profile header', type: 'httpHeaderAuth', data: { name: 'x-bench-key', value: 'bench' } },
		]);
		if (!(variant in PATHS)) throw new Error('variant: ours | baseline | baselineWithCredential');
		const chosen = profiled(variant as Variant, credential.id, headerAuth.id);
		const id = await server.importWorkflow(chosen);
		await server.publish(id);
		await server.start();
		const path = PATHS[variant as Variant];
		await server.waitForWebhook(path, 'POST');
		const started = Date.now();
		for (let i = 0; i < n; i++) {
			const raw = envelope('profile', i * eventsPerPost, eventsPerPost);
			const res = await axios.post(server.webhookUrl(path), raw, {
				headers: {
					'content-type': 'application/json',
					'x-hub-signature-256': signBody(raw, account.instagramAppSecret),
					'x-bench-key': 'bench',
				},
				validateStatus: () => true,
			});
			if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
		}
		await server.waitForExecutions(id, n, 120_000);
		console.log(
			`${variant}: ${n} deliveries, ${(n / ((Date.now() - started) / 1000)).toFixed(1)} executions/s`,
		);
	} finally {
		await server.dispose();
	}
	summarize(profileDir);
	console.log(`profiles in ${profileDir}`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
