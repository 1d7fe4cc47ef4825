/**
 * `npm start`: the whole product on this machine, no Meta app needed — the sandbox standing in for
 * Meta, a real n8n 2.41.1 with this package and every example imported (each on its own webhook
 * path; active where it needs no setup), and a chat page where you play the Instagram customer.
 */
import { randomBytes } from 'crypto';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { MetaSandbox, SANDBOX_DEFAULTS } from '../sandbox';
import type { Flavour } from '../sandbox/types';
import type { ChatTarget } from '../sandbox/chat/target';
import {
	N8nServer,
	bindUsedCredentials,
	sandboxCredentialData,
	type WorkflowJson,
} from '../test/e2e/harness';

const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT ?? SANDBOX_DEFAULTS.cliPort);
const EXAMPLES = join(__dirname, '..', 'examples');
const TRIGGER_TYPE = 'n8n-nodes-instagram-messaging.instagramMessagingTrigger';
/** The example the chat talks to first: it shows the disclosure, quick replies and the hand-over. */
const FIRST_TARGET = 'assistant-with-escalation';
/** Examples that need a step of yours before they can run (their sticky note says which). */
const NEEDS_SETUP: Record<string, string> = {
	'dm-to-crm': 'create its two Data Tables first (see the note in the workflow), then activate it',
	'ai-assistant':
		'add an OpenAI credential (or any OpenAI-compatible server) to its chat model, then activate it',
};

/**
 * Data tables an example needs (its note asks you to create them): `npm start` creates them once
 * n8n is up, then activates the example.
 */
const DATA_TABLES: Record<string, Array<{ name: string; columns: Array<{ name: string; type: string }> }>> = {
	'ad-lead': [
		{
			name: 'instagram_leads',
			columns: ['igsid', 'ad_id', 'ad_title', 'email', 'phone', 'valid', 'created_at'].map((name) => ({
				name,
				type: 'string',
			})),
		},
	],
};

interface Example {
	file: string;
	workflow: WorkflowJson;
	/** The trigger's production path, for examples that start from the Instagram trigger. */
	triggerPath?: string;
	/** The sandbox account the trigger's credential stands for (its Meta setup). */
	account: Flavour;
}

/** Each example as shipped, with its placeholder verify token replaced by a random one (as you would). */
function loadExamples(verifyToken: string): Example[] {
	return readdirSync(EXAMPLES)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((name) => {
			const workflow = JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8')) as WorkflowJson;
			const trigger = workflow.nodes.find((n) => n.type === TRIGGER_TYPE);
			if (trigger) trigger.parameters = { ...trigger.parameters, verifyToken };
			const file = name.replace(/\.json$/, '');
			const account: Flavour =
				trigger?.parameters?.authentication === 'facebookPageApi' ? 'facebookPage' : 'instagram';
			return {
				file,
				workflow,
				account,
				triggerPath: trigger?.webhookId ? `${trigger.webhookId}/webhook` : undefined,
			};
		});
}

/**
 * The comment example runs on a reel you pick (its note says so): the sandbox account gets one, and
 * the example's Only These Posts or Reels points at it, as picking it from the list would.
 */
function pickTheReel(examples: Example[], sandbox: MetaSandbox): void {
	const reel = sandbox.addMedia({
		caption: 'Our spring guide 🌷 — comment GUIDE to get it',
		productType: 'REELS',
	});
	for (const example of examples) {
		const trigger = example.workflow.nodes.find((n) => n.type === TRIGGER_TYPE);
		const options = trigger?.parameters?.options as
			{ onlyMedia?: { items?: Array<{ id?: { value?: string } }> } } | undefined;
		for (const item of options?.onlyMedia?.items ?? [])
			if (item.id && item.id.value === '') item.id.value = reel.id;
	}
}

async function main(): Promise<void> {
	const verifyToken = randomBytes(16).toString('hex');
	const examples = loadExamples(verifyToken);

	console.log('Starting the sandbox (stand-in for Meta) …');
	const sandbox = await MetaSandbox.start({ port: SANDBOX_PORT });
	console.log('Starting n8n 2.41.1 with the package (the first run installs it: about 6 minutes) …');
	const server = await N8nServer.create({ name: 'start', port: N8N_PORT });

	const stop = async () => {
		console.log('\nStopping …');
		await server.dispose();
		await sandbox.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());

	// The examples' own webhooks (helpdesk reply, App Review setup) require this header.
	const header = { name: 'X-Webhook-Token', value: randomBytes(16).toString('hex') };
	// Instagram Login for most examples; the Page for those that hand over to a person (Meta
	// offers Conversation Routing only through a Page).
	const accounts = sandboxCredentialData(sandbox.url);
	const [credential, pageCredential, webhookHeader, openAi] = await server.importCredentials([
		{ ...accounts.instagramLoginApi, name: 'Instagram account (sandbox)' },
		{ ...accounts.facebookPageApi, name: 'Instagram via Facebook Page (sandbox)' },
		{ name: 'Example webhooks header (sandbox)', type: 'httpHeaderAuth', data: header },
		// The AI assistant example's model: yours to fill in (it stays inactive until then).
		{
			name: 'OpenAI account (add your API key)',
			type: 'openAiApi',
			data: { apiKey: '', url: 'https://api.openai.com/v1' },
		},
	]);
	const refs = {
		instagramLoginApi: credential,
		facebookPageApi: pageCredential,
		httpHeaderAuth: webhookHeader,
		openAiApi: openAi,
	};
	pickTheReel(examples, sandbox);
	const afterStart: string[] = [];
	for (const example of examples) {
		const id = await server.importWorkflow(bindUsedCredentials(example.workflow, refs));
		if (DATA_TABLES[example.file]) afterStart.push(id);
		else if (!NEEDS_SETUP[example.file]) await server.publish(id);
	}
	await server.start();
	for (const tables of Object.values(DATA_TABLES))
		for (const table of tables) await server.api.post('/data-tables', table);
	for (const id of afterStart) await server.activate(id);

	const targets: Array<ChatTarget & { file: string }> = [];
	for (const example of examples) {
		if (!example.triggerPath || NEEDS_SETUP[example.file]) continue;
		await server.waitForWebhook(example.triggerPath, 'POST');
		targets.push({
			file: example.file,
			name: example.workflow.name,
			callbackUrl: server.webhookUrl(example.triggerPath),
			verifyToken,
			account: example.account,
		});
	}
	targets.sort((a, b) => Number(b.file === FIRST_TARGET) - Number(a.file === FIRST_TARGET));
	sandbox.chatTargets = targets;
	const [first] = targets;
	sandbox.chatAccount = first.account ?? 'instagram';
	sandbox.setWebhook({ callbackUrl: first.callbackUrl, verifyToken }, sandbox.chatAccount);
	const handshake = await sandbox.verifyCallback(first.callbackUrl, verifyToken);

	const login = server.ownerLogin;
	const list = examples
		.map(
			(e) =>
				`    ${NEEDS_SETUP[e.file] ? 'inactive' : 'active  '}  ${e.workflow.name}${NEEDS_SETUP[e.file] ? ` — ${NEEDS_SETUP[e.file]}` : ''}`,
		)
		.join('\n');
	console.log(`
n8n is running with the package and every example:
${list}

  Chat       ${sandbox.url}/_sandbox/chat   ← play the Instagram customer here
  Editor     ${server.baseUrl}
  Login      ${login.email} / ${login.password}
  Webhook    ${first.callbackUrl} (Meta's handshake: ${handshake.ok ? 'ok' : 'FAILED'})
  Sandbox    ${sandbox.url} — what n8n sent: ${sandbox.url}/_sandbox/sent
  Header     ${header.name}: ${header.value}  (the helpdesk and App Review setup webhooks require it)

The chat talks to "${first.name}"; its menu switches to another example.
From a terminal instead:  npm run dm -- "hello"
Press Ctrl+C to stop (n8n's data is thrown away).
`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
