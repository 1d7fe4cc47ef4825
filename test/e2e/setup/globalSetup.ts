import { startN8nInstall } from '../harness/install';
import { INTERRUPTIONS, killChildren, killRegistered, RUN_PID_VARIABLE } from '../harness/processes';
import { forgetStaleSharedServers, stopSharedN8nServers } from '../harness/sharedServer';

/**
 * jest's global setup for the e2e project, in jest's real process (test files only see a copy of
 * `process`, and run in worker processes): every test file registers what it starts under this
 * process's pid, so an interrupted run — Ctrl+C, a CI timeout's SIGTERM, a closed terminal —
 * stops every n8n, PostgreSQL and Redis the tests started before jest exits. A first n8n install
 * starts here, while the unit tests run.
 */
export default function globalSetup(): void {
	process.env[RUN_PID_VARIABLE] = String(process.pid);
	forgetStaleSharedServers();
	for (const [signal, code] of INTERRUPTIONS) {
		process.once(signal, () => {
			killChildren();
			stopSharedN8nServers();
			killRegistered();
			process.exit(code);
		});
	}
	process.once('exit', () => {
		stopSharedN8nServers();
		killRegistered();
	});
	startN8nInstall();
}
