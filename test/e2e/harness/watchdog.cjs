// Preloaded into every n8n process the harness spawns (`node --require watchdog.cjs`).
// If the test process dies without cleaning up (SIGKILL, a crashed jest worker, a jest whose
// worker lives on), nobody would stop n8n; so n8n watches its parent's pid and the jest run's
// (N8N_E2E_PARENT_PID, comma-separated) and shuts down gracefully when either is gone.
'use strict';
const parents = String(process.env.N8N_E2E_PARENT_PID ?? '')
	.split(',')
	.map(Number)
	.filter((pid) => pid > 0);
if (parents.length > 0) {
	const timer = setInterval(() => {
		try {
			for (const pid of parents) process.kill(pid, 0);
		} catch {
			clearInterval(timer);
			process.kill(process.pid, 'SIGTERM');
			setTimeout(() => process.kill(process.pid, 'SIGKILL'), 15000).unref();
		}
	}, 1000);
	timer.unref();
}
