// Preloaded into every n8n process the harness spawns (`node --require watchdog.cjs`).
// If the test process dies without cleaning up (SIGKILL, a crashed jest worker), nobody would stop
// n8n; so n8n watches its parent's pid itself and shuts down gracefully when it is gone.
'use strict';
const parent = Number(process.env.N8N_E2E_PARENT_PID);
if (parent > 0) {
	const timer = setInterval(() => {
		try {
			process.kill(parent, 0);
		} catch {
			clearInterval(timer);
			process.kill(process.pid, 'SIGTERM');
			setTimeout(() => process.kill(process.pid, 'SIGKILL'), 15000).unref();
		}
	}, 1000);
	timer.unref();
}
