import { type ChildProcess } from 'child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { basename, join } from 'path';
import { chromium, type Browser } from 'playwright-core';

import { freePorts, registerFolder, signalGroup, spawnTracked } from './processes';

const REPO = join(__dirname, '..', '..', '..');
/** What a clone does not have: `npm install`'s output (linked instead), builds and caches. */
const NOT_IN_A_CLONE = new Set(['node_modules', 'dist', '.git', 'coverage', '.e2e']);

/**
 * A clone of the repository as a newcomer has it after `npm install` (the sources copied, the
 * installed node_modules linked), so that `npm start`'s build writes its own `dist/` and never
 * the one the other e2e files load into their n8n servers meanwhile.
 */
function copyAsNewcomersClone(dir: string): void {
	const topLevel = (src: string) => join(REPO, basename(src)) === src;
	cpSync(REPO, dir, {
		recursive: true,
		filter: (src) => src === REPO || !(topLevel(src) && NOT_IN_A_CLONE.has(basename(src))),
	});
	symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
}
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** `npm start` as a newcomer runs it, on free ports; up once it printed its banner. */
export interface Demo {
	n8nPort: number;
	sandboxPort: number;
	/** Everything `npm start` printed so far. */
	output(): string;
	/** Ctrl+C, as the banner says; SIGKILL to what is left after 20 s. */
	stop(): Promise<void>;
}

export async function startDemo(timeoutMs: number): Promise<Demo> {
	const [n8nPort, sandboxPort] = await freePorts(2);
	let output = '';
	const clone = mkdtempSync(join(tmpdir(), 'n8n-e2e-demo-'));
	const registered = registerFolder(clone);
	copyAsNewcomersClone(clone);
	// NODE_ENV=test (jest's) would put n8n into test mode.
	const env = { ...process.env, N8N_PORT: String(n8nPort), SANDBOX_PORT: String(sandboxPort), NODE_ENV: '' };
	const child: ChildProcess = spawnTracked('npm', ['start'], clone, env);
	child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
	child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			signalGroup(child, 'SIGINT');
			await new Promise((resolve) => {
				const killer = setTimeout(() => signalGroup(child, 'SIGKILL'), 20_000);
				child.once('exit', () => resolve(clearTimeout(killer)));
			});
		}
		rmSync(clone, { recursive: true, force: true });
		registered.forget();
	};
	const deadline = Date.now() + timeoutMs;
	while (!output.includes('Press Ctrl+C to stop')) {
		if (child.exitCode !== null || Date.now() > deadline) {
			await stop();
			throw new Error(`npm start did not come up:\n${output}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return { n8nPort, sandboxPort, output: () => output, stop };
}

/** Debian's Chromium (a README prerequisite), headless, with nothing that calls out. */
export async function launchChromium(): Promise<Browser> {
	if (!existsSync(CHROMIUM))
		throw new Error(`${CHROMIUM} is missing: install the README's prerequisites (apt-get install chromium)`);
	return await chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
		],
	});
}
