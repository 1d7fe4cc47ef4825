/**
 * `npm start` as a newcomer runs it (a child process, the README's command), then the chat page in
 * a real Chromium (playwright-core; Debian's chromium is a README prerequisite): "hi" → the
 * assistant's answer with the automation disclosure and quick replies; tapping "Talk to a person"
 * → the hand-over notice and the human-inbox mark. `npm run dm` answers from the terminal too.
 */
import { execFile } from 'child_process';
import { join } from 'path';
import { promisify } from 'util';
import type { Browser, Page } from 'playwright-core';

import { INSTALL_TIMEOUT_MS, ensureN8nInstalled } from './harness';
import { launchChromium, startDemo, type Demo } from './harness/demo';

const REPO = join(__dirname, '..', '..');
const DISCLOSURE = "You're chatting with an automated assistant.";
const run = promisify(execFile);

describe('npm start: the demo with the chat page', () => {
	let demo: Demo;
	let output = '';
	let browser: Browser;
	let page: Page;
	let sandboxPort: number;

	beforeAll(async () => {
		await ensureN8nInstalled(); // the first `npm start` would do it; done here within the hook's time
		browser = await launchChromium();
		demo = await startDemo(5 * 60_000);
		output = demo.output();
		sandboxPort = demo.sandboxPort;
		page = await browser.newPage();
	}, INSTALL_TIMEOUT_MS);

	afterAll(async () => {
		await browser?.close();
		await demo?.stop();
	});

	it('prints the chat page, the editor and its login, with every example listed', () => {
		expect(output).toContain(`Chat       http://127.0.0.1:${sandboxPort}/_sandbox/chat`);
		expect(output).toMatch(/Login {6}owner@e2e\.test \/ \S+/);
		expect(output).toContain("(Meta's handshake: ok)");
		expect(output).toMatch(/Header {5}X-Webhook-Token: [0-9a-f]{32} /);
		for (const name of [
			'Instagram DM auto-reply',
			'Instagram assistant with escalation to a person',
			'Instagram App Review demo',
			'Instagram comment keyword → DM with the link',
			'Instagram story mention → thank-you DM',
			'Instagram ad lead → email and phone → contact row (Data Tables)',
		])
			expect(output).toContain(`active    ${name}`);
		expect(output).toMatch(
			/inactive {2}Instagram DMs to a contact list \(Data Tables\) — create its two Data Tables/,
		);
	});

	it('npm run dm answers from the terminal', async () => {
		const { stdout } = await run('npm', ['run', 'dm', '--', 'hello from the terminal'], {
			cwd: REPO,
			env: { ...process.env, SANDBOX_PORT: String(sandboxPort) },
		});
		expect(stdout).toContain('(webhook answered 200)');
		expect(stdout).toMatch(/reply → customer \d+: /);
	});
	it('chat: "hi" → the answer with the disclosure and quick replies; "Talk to a person" → the hand-over', async () => {
		// A customer of its own: the terminal DM above went to the default one.
		await page.goto(`http://127.0.0.1:${sandboxPort}/_sandbox/chat?customerId=4444444444444444`);
		await page.getByTestId('account').filter({ hasText: '@' }).waitFor();
		await page.getByTestId('message-input').fill('hi');
		await page.getByTestId('message-input').press('Enter');
		await page.getByTestId('customer-message').filter({ hasText: 'hi' }).waitFor();
		const answer = page.getByTestId('business-message').filter({ hasText: DISCLOSURE });
		await answer.waitFor({ timeout: 30_000 });
		expect(await answer.innerText()).toContain('What can I help you with?');
		const chips = page.getByTestId('quick-reply');
		await chips.first().waitFor();
		expect(await chips.allInnerTexts()).toEqual(['Order status', 'Shipping', 'Talk to a person']);
		expect(await page.getByTestId('handover').isHidden()).toBe(true);

		await chips.filter({ hasText: 'Talk to a person' }).click();
		await page.getByTestId('customer-message').filter({ hasText: 'Talk to a person' }).waitFor();
		await page
			.getByTestId('business-message')
			.filter({ hasText: 'Connecting you with a person' })
			.waitFor({ timeout: 30_000 });
		await page.getByTestId('handover').waitFor({ state: 'visible', timeout: 30_000 });
		expect(await page.getByTestId('quick-reply').count()).toBe(0);
	});

	it('the menu switches examples: a generic template card whose postback button answers', async () => {
		// Another customer: the first one's thread is with the human inbox now.
		await page.goto(`http://127.0.0.1:${sandboxPort}/_sandbox/chat?customerId=3333333333333333`);
		await page.getByTestId('target').selectOption('Instagram App Review demo');
		await page.getByTestId('message-input').fill('hello');
		await page.getByTestId('message-input').press('Enter');
		await page.getByTestId('quick-reply').filter({ hasText: 'Show a card' }).click({ timeout: 30_000 });
		const card = page.getByTestId('card').filter({ hasText: 'Blue tee' });
		await card.waitFor({ timeout: 30_000 });
		expect(await card.innerText()).toContain('Organic cotton');
		await card.getByTestId('postback').filter({ hasText: 'Talk to a person' }).click();
		await page.getByTestId('handover').waitFor({ state: 'visible', timeout: 30_000 });
	});

	it('the entry points: a comment with the keyword → a public reply and the link in the DMs; a story mention → thanks', async () => {
		await page.goto(`http://127.0.0.1:${sandboxPort}/_sandbox/chat?customerId=6666666666666666`);
		await page.getByTestId('target').selectOption('Instagram comment keyword → DM with the link');
		await page.getByTestId('message-input').fill('GUIDE please!');
		await page.getByTestId('enter-comment').click();
		await page.getByTestId('comment').filter({ hasText: 'GUIDE please!' }).waitFor();
		await page.getByTestId('comment-reply').filter({ hasText: 'Sent you a DM' }).waitFor({ timeout: 30_000 });
		const link = page.getByTestId('business-message').filter({ hasText: 'https://example.com/spring-guide' });
		await link.waitFor({ timeout: 30_000 });
		expect(await link.innerText()).toContain(DISCLOSURE);

		await page.getByTestId('target').selectOption('Instagram story mention → thank-you DM');
		await page.getByTestId('enter-storyMention').click();
		await page
			.getByTestId('business-message')
			.filter({ hasText: 'Thank you for the shout-out' })
			.waitFor({ timeout: 30_000 });
	});

	it('the ad lead: from the ad, a wrong email is asked again, then the phone, then thanks', async () => {
		await page.goto(`http://127.0.0.1:${sandboxPort}/_sandbox/chat?customerId=7777777777777777`);
		await page
			.getByTestId('target')
			.selectOption('Instagram ad lead → email and phone → contact row (Data Tables)');
		await page.getByTestId('message-input').fill('Hi! Is the offer still on?');
		await page.getByTestId('enter-ad').click();
		const business = (text: string) => page.getByTestId('business-message').filter({ hasText: text });
		await business("What's your email address?").waitFor({ timeout: 30_000 });
		const say = async (text: string) => {
			await page.getByTestId('message-input').fill(text);
			await page.getByTestId('message-input').press('Enter');
			await page.getByTestId('customer-message').filter({ hasText: text }).waitFor();
		};
		// An answer that arrives while n8n still saves the wait is retried by the trigger (409 → again).
		await say('not telling');
		await business("doesn't look like an email address").waitFor({ timeout: 30_000 });
		await say('lead@example.com');
		await business('And a phone number').waitFor({ timeout: 30_000 });
		await say('+1 202 555 0147');
		await business('Someone from our team will be in touch').waitFor({ timeout: 30_000 });
	});
});
