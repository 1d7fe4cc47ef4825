import { INTERRUPTIONS, killRegistered } from '../harness/processes';
import { forgetStaleSharedServer, stopSharedN8nServer } from '../harness/sharedServer';

/**
 * jest's global setup for the e2e project, in jest's real process (test files only see a copy of
 * `process`): an interrupted run — Ctrl+C, a CI timeout's SIGTERM, a closed terminal — stops every
 * n8n, PostgreSQL and Redis the tests started before jest exits.
 */
export default function globalSetup(): void {
	forgetStaleSharedServer();
	for (const [signal, code] of INTERRUPTIONS) {
		process.once(signal, () => {
			stopSharedN8nServer();
			killRegistered();
			process.exit(code);
		});
	}
	process.once('exit', () => {
		stopSharedN8nServer();
		killRegistered();
	});
}
