/**
 * `npm run docs:screenshots`: regenerates the pictures in docs/images from the real n8n editor and
 * the chat page. It runs `npm start` (as the README says), signs in as the printed owner, creates
 * one credential of each type pointing at the sandbox, and takes screenshots with headless
 * Chromium (Debian's chromium, a README prerequisite).
 */
import { mkdirSync } from 'fs';
import { join } from 'path';
import type { Page } from 'playwright-core';

import { login } from '../test/e2e/harness/api';
import { launchChromium, startDemo } from '../test/e2e/harness/demo';

const OUT = join(__dirname, '..', 'docs', 'images');
const ASSISTANT = 'Instagram assistant with escalation to a person';
const AI_ASSISTANT = 'Instagram AI assistant (AI Agent with Instagram tools)';
const ASK_AND_WAIT = 'Instagram: ask the customer and wait for the answer';

interface RestWorkflow {
	id: string;
	name: string;
	nodes: Array<{ id: string; name: string }>;
}

async function shot(page: Page, name: string): Promise<void> {
	await page.waitForTimeout(800); // let the editor's transitions settle
	// n8n 2.41 opens a "Production Checklist" over published workflows; it is not ours to show.
	const checklist = page.getByText('Production Checklist');
	if (await checklist.isVisible()) {
		await checklist.locator('xpath=..').locator('button, [role="button"], svg').last().click();
		await page.waitForTimeout(400);
	}
	await page.screenshot({ path: join(OUT, name) });
	console.log(`docs/images/${name}`);
}

async function main(): Promise<void> {
	mkdirSync(OUT, { recursive: true });
	const demo = await startDemo(15 * 60_000);
	const editor = `http://127.0.0.1:${demo.n8nPort}`;
	const sandbox = `http://127.0.0.1:${demo.sandboxPort}`;
	const [, email, password] = /Login {6}(\S+) \/ (\S+)/.exec(demo.output()) ?? [];
	const browser = await launchChromium();
	try {
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		await page.goto(`${editor}/signin`);
		await page.locator('input[name="emailOrLdapLoginId"]').fill(email);
		await page.locator('input[name="password"]').fill(password);
		await page.getByRole('button', { name: /sign in/i }).click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));

		// The editor's own session is bound to its browser id; the REST calls use a login of their own.
		const rest = await login(editor, email, password);
		const workflows = (await rest.get<{ data: RestWorkflow[] }>('/workflows')).data.data;
		const assistantId = workflows.find((w) => w.name === ASSISTANT)?.id ?? '';
		const assistant = (await rest.get<{ data: RestWorkflow }>(`/workflows/${assistantId}`)).data.data;
		const nodeId = (name: string) => assistant.nodes.find((n) => n.name === name)?.id ?? '';

		await page.goto(`${editor}/workflow/${assistantId}`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
		await shot(page, 'workflow-assistant.png');
		const aiAssistantId = workflows.find((w) => w.name === AI_ASSISTANT)?.id ?? '';
		await page.goto(`${editor}/workflow/${aiAssistantId}`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
		await shot(page, 'workflow-ai-assistant.png');
		const askId = workflows.find((w) => w.name === ASK_AND_WAIT)?.id ?? '';
		await page.goto(`${editor}/workflow/${askId}`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
		await shot(page, 'workflow-ask-and-wait.png');
		await page.goto(`${editor}/workflow/${assistantId}/${nodeId('Instagram Messaging Trigger')}`);
		await page.locator('[data-test-id="ndv"]').waitFor();
		await shot(page, 'trigger-panel.png');
		await page.goto(`${editor}/workflow/${assistantId}/${nodeId('Answer With Quick Replies')}`);
		await page.locator('[data-test-id="ndv"]').waitFor();
		await shot(page, 'send-panel.png');

		const credentials: Array<[string, string, Record<string, unknown>]> = [
			[
				'credential-instagram-login.png',
				'instagramLoginApi',
				{ accessToken: 'IGAA-example', appSecret: 'example' },
			],
			[
				'credential-instagram-login-oauth2.png',
				'instagramLoginOAuth2Api',
				{ clientId: '1234567890', clientSecret: 'example' },
			],
			[
				'credential-facebook-page.png',
				'facebookPageApi',
				{ accessToken: 'EAA-example', pageId: '100000000000001', appSecret: 'example' },
			],
			['credential-meta-app.png', 'metaAppApi', { appId: '1234567890', appSecret: 'example' }],
		];
		for (const [file, type, data] of credentials) {
			const created = await rest.post<{ data: { id: string } }>('/credentials', {
				name: `My ${type.replace(/Api$/, '')} credential`,
				type,
				data,
			});
			const id = created.data.data.id;
			await page.goto(`${editor}/home/credentials/${id}`);
			await page.locator('[data-test-id="editCredential-modal"]').waitFor();
			await shot(page, file);
		}

		const chat = await browser.newPage({ viewport: { width: 1000, height: 760 } });
		await chat.goto(`${sandbox}/_sandbox/chat?customerId=5555555555555555`);
		await chat.getByTestId('message-input').fill('hi, is the blue tee in stock?');
		await chat.getByTestId('message-input').press('Enter');
		await chat.getByTestId('quick-reply').first().waitFor({ timeout: 30_000 });
		await shot(chat, 'chat-page.png');
		await chat.getByTestId('quick-reply').filter({ hasText: 'Talk to a person' }).click();
		await chat.getByTestId('handover').waitFor({ state: 'visible', timeout: 30_000 });
		await shot(chat, 'chat-handover.png');

		// "Comment GUIDE on the reel": the public reply under the comment, the link in the DMs.
		await chat.goto(`${sandbox}/_sandbox/chat?customerId=5555555555555556`);
		await chat.getByTestId('target').selectOption('Instagram comment keyword → DM with the link');
		await chat.getByTestId('message-input').fill('GUIDE please! 🌷');
		await chat.getByTestId('enter-comment').click();
		await chat.getByTestId('comment-reply').first().waitFor({ timeout: 30_000 });
		await chat
			.getByTestId('business-message')
			.filter({ hasText: 'https://example.com/spring-guide' })
			.waitFor({ timeout: 30_000 });
		await shot(chat, 'chat-comment-to-dm.png');
	} finally {
		await browser.close();
		await demo.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
