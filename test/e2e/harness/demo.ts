import { spawn, type ChildProcess } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser } from 'playwright-core';

import { freePorts, signalGroup } from './processes';

const REPO = join(__dirname, '..', '..', '..');
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
	const child: ChildProcess = spawn('npm', ['start'], {
		cwd: REPO,
		// NODE_ENV=test (jest's) would put n8n into test mode.
		env: { ...process.env, N8N_PORT: String(n8nPort), SANDBOX_PORT: String(sandboxPort), NODE_ENV: '' },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
	child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		signalGroup(child, 'SIGINT');
		await new Promise((resolve) => {
			const killer = setTimeout(() => signalGroup(child, 'SIGKILL'), 20_000);
			child.once('exit', () => resolve(clearTimeout(killer)));
		});
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
