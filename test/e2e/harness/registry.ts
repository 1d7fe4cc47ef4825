import axios from 'axios';
import { execFile, type ChildProcess } from 'child_process';
import { randomBytes, randomInt } from 'crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { Agent } from 'https';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';

import { sleep } from './api';
import { exitOf, signalGroup, spawnTracked } from './processes';

const run = promisify(execFile);
const INSTALL_SCRIPT = join(__dirname, '..', 'install-registry.sh');
/** The registry n8n's community-package install uses unless licensed otherwise (N8N_COMMUNITY_PACKAGES_REGISTRY). */
export const NPM_REGISTRY_HOST = 'registry.npmjs.org';

/**
 * A real npm registry (Verdaccio, installed from npm into the e2e cache) on a loopback address,
 * serving HTTPS as `registry.npmjs.org` with a certificate from a throw-away CA.
 *
 * n8n's community edition installs packages only from registry.npmjs.org (a custom registry is a
 * licensed feature), so an n8n started with `hostsFile` bind-mounted over /etc/hosts in a private
 * mount namespace, and `caFile` trusted, installs from this registry through its own unchanged
 * code path: its registry checks over HTTPS, then `npm pack` and `npm install`.
 */
export class LocalRegistry {
	private constructor(
		readonly dir: string,
		/** A random 127.x.y.z address, so parallel runs and other servers on :443 never clash. */
		readonly address: string,
		private readonly child: ChildProcess,
		private readonly token: string,
	) {}

	get url(): string {
		return `https://${this.address}`;
	}

	get caFile(): string {
		return join(this.dir, 'ca.crt');
	}

	/** /etc/hosts for processes that must reach this registry under its public name. */
	get hostsFile(): string {
		return join(this.dir, 'hosts');
	}

	static async start(): Promise<LocalRegistry> {
		const { stdout } = await run('bash', [INSTALL_SCRIPT], { maxBuffer: 16 * 1024 * 1024 });
		const installDir = stdout.trim().split('\n').pop() ?? '';
		const dir = mkdtempSync(join(tmpdir(), 'npm-registry-e2e-'));
		const address = `127.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(2, 255)}`;
		try {
			await makeCertificates(dir, address);
			writeFileSync(join(dir, 'hosts'), `127.0.0.1 localhost\n${address} ${NPM_REGISTRY_HOST}\n`);
			writeFileSync(join(dir, 'htpasswd'), '');
			writeFileSync(
				join(dir, 'config.yaml'),
				[
					`storage: ${join(dir, 'storage')}`,
					'auth:',
					`  htpasswd: { file: ${join(dir, 'htpasswd')}, max_users: 1 }`,
					'uplinks: {}', // nothing is proxied: only what the test publishes exists
					'packages:',
					"  '**': { access: $all, publish: $authenticated }",
					'https:',
					`  key: ${join(dir, 'server.key')}`,
					`  cert: ${join(dir, 'server.crt')}`,
					'log: { type: stdout, format: pretty, level: warn }',
					'',
				].join('\n'),
			);
			const child = spawnTracked(
				process.execPath,
				[
					join(installDir, 'node_modules', 'verdaccio', 'bin', 'verdaccio'),
					'--config',
					join(dir, 'config.yaml'),
					'--listen',
					`https://${address}:443`,
				],
				dir,
				{ PATH: process.env.PATH ?? '', HOME: dir },
			);
			let output = '';
			child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
			child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
			const client = httpsClient(join(dir, 'ca.crt'));
			const deadline = Date.now() + 30_000;
			for (;;) {
				const ok = await client
					.get(`https://${address}/-/ping`)
					.then((r) => r.status === 200)
					.catch(() => false);
				if (ok) break;
				if (child.exitCode !== null || Date.now() > deadline) {
					signalGroup(child, 'SIGKILL');
					throw new Error(`verdaccio did not start on https://${address}:\n${output}`);
				}
				await sleep(200);
			}
			const password = randomBytes(12).toString('hex');
			const user = await client.put(`https://${address}/-/user/org.couchdb.user:e2e`, {
				name: 'e2e',
				password,
			});
			return new LocalRegistry(dir, address, child, (user.data as { token: string }).token);
		} catch (error) {
			rmSync(dir, { recursive: true, force: true });
			throw error;
		}
	}

	/**
	 * `npm publish` of a packed tarball, the way a maintainer publishes. The package requires npm
	 * provenance (`publishConfig.provenance`), which only the release workflow can give: this
	 * stand-in registry is published to with the explicit `--provenance=false` a maintainer would
	 * have to type (`provenance: true` tries without it, as a careless local publish would).
	 */
	async publish(tarball: string, options: { provenance?: boolean } = {}): Promise<void> {
		const host = this.url.replace(/^https:/, '');
		const npmrc = join(this.dir, 'publish.npmrc');
		writeFileSync(npmrc, `${host}/:_authToken=${this.token}\n`, { mode: 0o600 });
		const args = ['publish', tarball, `--registry=${this.url}/`, `--cafile=${this.caFile}`];
		if (options.provenance !== true) args.push('--provenance=false');
		await run('npm', args, {
			cwd: this.dir,
			env: { PATH: process.env.PATH ?? '', HOME: this.dir, npm_config_userconfig: npmrc },
		});
	}

	/** The package document as npm sees it (versions, dist-tags, integrity). */
	async packument(name: string): Promise<{ 'dist-tags': Record<string, string> }> {
		const res = await httpsClient(this.caFile).get(`${this.url}/${encodeURIComponent(name)}`);
		return res.data as { 'dist-tags': Record<string, string> };
	}

	async stop(): Promise<void> {
		this.child.kill('SIGTERM');
		const killer = setTimeout(() => signalGroup(this.child, 'SIGKILL'), 5000);
		await exitOf(this.child).finally(() => clearTimeout(killer));
		rmSync(this.dir, { recursive: true, force: true });
	}
}

function httpsClient(caFile: string) {
	return axios.create({ httpsAgent: new Agent({ ca: readFileSync(caFile) }), timeout: 5000 });
}

/** A CA and a server certificate for registry.npmjs.org and the registry's own address (openssl). */
async function makeCertificates(dir: string, address: string): Promise<void> {
	const at = (f: string) => join(dir, f);
	const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
	await openssl(
		'req',
		'-x509',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-days',
		'1',
		'-subj',
		'/CN=e2e test CA',
		'-keyout',
		at('ca.key'),
		'-out',
		at('ca.crt'),
	);
	await openssl(
		'req',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-subj',
		`/CN=${NPM_REGISTRY_HOST}`,
		'-keyout',
		at('server.key'),
		'-out',
		at('server.csr'),
	);
	writeFileSync(at('san.ext'), `subjectAltName=DNS:${NPM_REGISTRY_HOST},IP:${address}\n`);
	await openssl(
		'x509',
		'-req',
		'-in',
		at('server.csr'),
		'-CA',
		at('ca.crt'),
		'-CAkey',
		at('ca.key'),
		'-CAcreateserial',
		'-days',
		'1',
		'-extfile',
		at('san.ext'),
		'-out',
		at('server.crt'),
	);
}
