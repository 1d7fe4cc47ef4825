/**
 * `npm start`: the whole thing on this machine, no Meta app needed — the sandbox standing in for
 * Meta, and a real n8n 2.41.1 with this package loaded and examples/auto-reply.json active.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { MetaSandbox, SANDBOX_DEFAULTS } from '../sandbox';
import { N8nServer, bindCredentials, type WorkflowJson } from '../test/e2e/harness';

const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT ?? SANDBOX_DEFAULTS.cliPort);
const WEBHOOK_PATH = 'instagram-auto-reply/webhook';

async function main(): Promise<void> {
	const example = JSON.parse(
		readFileSync(join(__dirname, '..', 'examples', 'auto-reply.json'), 'utf8'),
	) as WorkflowJson;
	const verifyToken = String(example.nodes.find((n) => n.webhookId)?.parameters.verifyToken ?? '');

	console.log('Starting the sandbox (stand-in for Meta) …');
	const sandbox = await MetaSandbox.start({ port: SANDBOX_PORT });
	console.log('Starting n8n 2.41.1 with the package (the first run installs it: about 5 minutes) …');
	const server = await N8nServer.create({ name: 'start', port: N8N_PORT });

	const stop = async () => {
		console.log('\nStopping …');
		await server.dispose();
		await sandbox.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());

	const account = SANDBOX_DEFAULTS.instagram;
	const [credential] = await server.importCredentials([
		{
			name: 'Instagram account (sandbox)',
			type: 'instagramLoginApi',
			data: {
				accessToken: account.accessToken,
				appSecret: account.instagramAppSecret,
				useCustomBaseUrl: true,
				baseUrl: sandbox.url,
			},
		},
	]);
	const workflowId = await server.importWorkflow(bindCredentials(example, { instagramLoginApi: credential }));
	await server.publish(workflowId);
	await server.start();
	await server.waitForWebhook(WEBHOOK_PATH, 'POST');
	sandbox.setWebhook({ callbackUrl: server.webhookUrl(WEBHOOK_PATH), verifyToken });
	const handshake = await sandbox.verifyCallback(server.webhookUrl(WEBHOOK_PATH), verifyToken);

	const login = server.ownerLogin;
	console.log(`
n8n is running with the example "${example.name}" active.

  Editor     ${server.baseUrl}
  Login      ${login.email} / ${login.password}
  Webhook    ${server.webhookUrl(WEBHOOK_PATH)} (Meta's handshake: ${handshake.ok ? 'ok' : 'FAILED'})
  Sandbox    ${sandbox.url} — what n8n sent: ${sandbox.url}/_sandbox/sent

Send a test DM as the customer, from another terminal:

  npm run dm -- "hello"

The workflow's reply appears there and in ${sandbox.url}/_sandbox/sent.
Press Ctrl+C to stop (n8n's data is thrown away).
`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
