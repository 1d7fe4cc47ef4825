import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { N8nServer, type SharedServerState } from './n8n';
import { runPid, signalPid } from './processes';

/**
 * One plain n8n (default environment, SQLite) per jest worker, shared by the e2e files that
 * neither restart it nor change its environment: the first file a worker runs that asks starts
 * it, the worker's next ones attach to it through this state file (jest gives each file its own
 * modules, not its own process), and jest's global teardown stops every one of the run
 * (`test/e2e/setup/teardown.ts`); if jest dies, the watchdog in every n8n process stops it. Each
 * file still has its own sandbox, credentials and workflows, and removes them when it ends.
 */
function statePrefix(run = runPid()): string {
	return `n8n-e2e-shared-${run}-`;
}

function stateFile(): string {
	return join(tmpdir(), `${statePrefix()}${process.pid}.json`);
}

let current: Promise<N8nServer> | undefined;

async function startOrAttach(): Promise<N8nServer> {
	const file = stateFile();
	if (existsSync(file)) {
		const state = JSON.parse(readFileSync(file, 'utf8')) as SharedServerState;
		return await N8nServer.attach(state);
	}
	const server = await N8nServer.create({ name: 'shared' });
	try {
		await server.start();
	} catch (error) {
		await server.dispose();
		throw error;
	}
	writeFileSync(file, JSON.stringify(server.sharedState()), { mode: 0o600 });
	return server;
}

export function sharedN8nServer(): Promise<N8nServer> {
	current ??= startOrAttach().catch((error: unknown) => {
		current = undefined;
		throw error;
	});
	return current;
}

function stateFilesOf(run: number): string[] {
	return readdirSync(tmpdir())
		.filter((name) => name.startsWith(statePrefix(run)) && name.endsWith('.json'))
		.map((name) => join(tmpdir(), name));
}

/** Stops the shared n8n servers of this jest run, if any (jest's global teardown). */
export function stopSharedN8nServers(run = runPid()): void {
	for (const file of stateFilesOf(run)) {
		try {
			const state = JSON.parse(readFileSync(file, 'utf8')) as SharedServerState;
			signalPid(-state.pid, 'SIGKILL');
			// Only ever a server folder of the harness.
			if (state.rootDir.startsWith(join(tmpdir(), 'n8n-e2e-shared-')))
				rmSync(state.rootDir, { recursive: true, force: true });
		} catch {
			// Half written by a worker that was stopped: its n8n is in the registry (killRegistered).
		}
		rmSync(file, { force: true });
	}
}

/** State files left by an earlier jest process with this pid (a killed run) are not this run's. */
export function forgetStaleSharedServers(run = runPid()): void {
	for (const file of stateFilesOf(run)) rmSync(file, { force: true });
}
