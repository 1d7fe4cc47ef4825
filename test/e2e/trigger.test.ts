/**
 * The Instagram Messaging Trigger on a real n8n 2.41.1 with the Meta sandbox in-process: automatic
 * subscriptions (activation, conflict, deactivation), every fixture event, batches, exactly-once
 * across redeliveries and a restart, signature failures, both flavours, and an HTTP fuzz sample.
 */
import { createHmac } from 'crypto';

import axios from 'axios';
import type { INode } from 'n8n-workflow';

import {
	EVENT_TYPE_VALUES,
	RecentKeys,
	parseWebhookPayload,
	type InstagramEvent,
} from '../../nodes/InstagramMessaging/events';
import type { MetaSandbox } from '../../sandbox';
import { fixtureNames, fixturePayload } from '../../sandbox/webhooks/fixtures';
import {
	BAD_SIGNATURES,
	activateNewWorkflow,
	expectExecutionCount as expectExecutions,
	expectRefused,
	handshakeStatuses,
	nodeOutput,
	useScenario,
	type CredentialRef,
	type N8nExecution,
	type N8nServer,
	type WorkflowJson,
} from './harness';

const TRIGGER = 'Instagram Trigger';
/** Meta stamps events when they happen; the trigger refuses what is older than 36 h. */
const RECENT_MS = Date.now() - 60_000;
const VERIFY_TOKEN = 'e2e-verify-token';

let sandbox: MetaSandbox;
let server: N8nServer;
let creds: Record<'ig' | 'page' | 'igApp' | 'pageApp', CredentialRef>;

function triggerWorkflow(
	name: string,
	webhookId: string,
	flavour: 'ig' | 'page',
	extra: Record<string, unknown> = {},
): WorkflowJson {
	const node: INode = {
		id: `${webhookId}-node`,
		name: TRIGGER,
		type: 'n8n-nodes-instagram-messaging.instagramMessagingTrigger',
		typeVersion: 2,
		position: [0, 0],
		webhookId,
		parameters: {
			authentication: flavour === 'ig' ? 'instagramLoginApi' : 'facebookPageApi',
			subscription: 'automatic',
			verifyToken: VERIFY_TOKEN,
			events: [...EVENT_TYPE_VALUES],
			options: { includeStandby: true },
			...extra,
		},
		credentials:
			flavour === 'ig'
				? { instagramLoginApi: creds.ig, metaAppApi: creds.igApp }
				: { facebookPageApi: creds.page, metaAppApi: creds.pageApp },
	};
	return { name, nodes: [node], connections: {}, settings: { executionOrder: 'v1' } };
}

async function executionsOf(workflowId: string, includeData = false): Promise<N8nExecution[]> {
	return await server.executions({ workflowId, ...(includeData ? { includeData: true } : {}) });
}

const expectExecutionCount = (workflowId: string, count: number, settleMs?: number) =>
	expectExecutions(server, workflowId, count, settleMs);

function textBatch(accountId: string, count: number, tag: string) {
	const messaging = Array.from({ length: count }, (_, i) => ({
		sender: { id: '1111111111111111' },
		recipient: { id: accountId },
		timestamp: RECENT_MS + i,
		message: { mid: `${tag}.${i}`, text: `message ${i}` },
	}));
	return { object: 'instagram', entry: [{ id: accountId, time: RECENT_MS + 999, messaging }] };
}

const ig = () => sandbox.instagram;
const page = () => sandbox.facebookPage;

useScenario(
	{
		name: 'trigger',
		credentialData: { facebookPageApi: { addProof: false } },
		extraCredentials: (meta) => [
			{
				name: 'Page app',
				type: 'metaAppApi',
				data: {
					appId: meta.facebookPage.metaAppId,
					appSecret: meta.facebookPage.metaAppSecret,
					apiBaseUrl: meta.url,
				},
			},
		],
	},
	(scenario) => {
		({ sandbox, server } = scenario);
		const { instagramLoginApi, facebookPageApi, metaAppApi } = scenario.credentials;
		creds = {
			ig: instagramLoginApi,
			page: facebookPageApi,
			igApp: metaAppApi,
			pageApp: scenario.extraCredentials[0],
		};
	},
);

describe('Instagram Messaging Trigger on a real n8n', () => {
	let igWorkflow: string;
	let pageWorkflow: string;
	const igHook = 'ig-trigger-e2e';
	const pageHook = 'page-trigger-e2e';
	let igExecutions = 0;

	it('activation subscribes the Meta app and the account (Instagram Login)', async () => {
		igWorkflow = await activateNewWorkflow(
			server,
			triggerWorkflow('IG trigger', igHook, 'ig'),
			`${igHook}/webhook`,
		);
		const url = server.webhookUrl(`${igHook}/webhook`);
		expect(sandbox.state.appSubscriptions(ig().metaAppId)).toEqual([
			expect.objectContaining({
				object: 'instagram',
				callbackUrl: url,
				verifyToken: VERIFY_TOKEN,
				active: true,
			}),
		]);
		expect(sandbox.state.accountSubscription(ig().igUserId, ig().instagramAppId)).toEqual(
			expect.arrayContaining(['messages', 'message_reactions', 'messaging_postbacks', 'messaging_seen']),
		);
		// Meta's handshake reached the trigger and was answered.
		expect(handshakeStatuses(sandbox, url)).toEqual([200]);
		expect(sandbox.webhook(ig().igUserId)?.callbackUrl).toBe(url);
	});

	it('every fixture event arrives as the expected items (one POST each)', async () => {
		const recent = new RecentKeys({ keys: [], next: 0 }, 10_000);
		const expected: string[][] = [];
		for (const name of fixtureNames()) {
			const payload = fixturePayload(name, { accountId: ig().igUserId, idSuffix: '.fx' }) as object;
			const fresh = recent.takeUnseen(parseWebhookPayload(payload).events as InstagramEvent[]);
			// The exact fixture body to the trigger's URL: some layouts belong to the Page setup (e.g.
			// `mentions`), which the sandbox would not route to an Instagram Login subscription.
			const delivery = await sandbox.deliver(payload, {
				callbackUrl: server.webhookUrl(`${igHook}/webhook`),
			});
			expect({ name, status: delivery.status }).toEqual({ name, status: 200 });
			if (fresh.length > 0) {
				igExecutions += 1;
				expected.push(fresh.map((e) => `${e.eventType}|${e.dedupKey}|${e.accountId}|${e.isStandby}`));
				await server.waitForExecutions(igWorkflow, igExecutions);
			}
		}
		expect(expected.length).toBeGreaterThanOrEqual(45);
		const executions = await executionsOf(igWorkflow, true);
		expect(executions).toHaveLength(igExecutions);
		const got = executions.map((e) =>
			nodeOutput(e, TRIGGER).map(
				(i) => `${String(i.eventType)}|${String(i.dedupKey)}|${String(i.accountId)}|${String(i.isStandby)}`,
			),
		);
		expect(got).toEqual(expected);
		const types = new Set(got.flat().map((line) => line.split('|')[0]));
		expect([...types].sort()).toEqual([...EVENT_TYPE_VALUES].sort());
	});

	it('one POST with 50 events → 50 items in one execution; the same POST three times → still 50', async () => {
		const batch = textBatch(ig().igUserId, 50, 'batch50');
		for (let i = 0; i < 3; i++) expect((await sandbox.deliver(batch)).status).toBe(200);
		igExecutions += 1;
		await expectExecutionCount(igWorkflow, igExecutions);
		const executions = await executionsOf(igWorkflow, true);
		const items = nodeOutput(executions[executions.length - 1], TRIGGER);
		expect(items).toHaveLength(50);
		expect(items.map((i) => i.mid)).toEqual(batch.entry[0].messaging.map((m) => m.message.mid));
	});

	it.each(BAD_SIGNATURES)('%s signature → 403, no execution', async (signature) => {
		const res = await sandbox.deliver(textBatch(ig().igUserId, 1, `sig-${signature}`), { signature });
		await expectRefused(server, igWorkflow, res.status, igExecutions, 1000);
	});

	it('the Page flavour end to end: its own Meta app, Meta app secret signatures', async () => {
		pageWorkflow = await activateNewWorkflow(
			server,
			triggerWorkflow('Page trigger', pageHook, 'page'),
			`${pageHook}/webhook`,
		);
		const url = server.webhookUrl(`${pageHook}/webhook`);
		expect(sandbox.state.appSubscription(page().metaAppId, 'instagram')?.callbackUrl).toBe(url);
		expect(sandbox.state.accountSubscription(page().igUserId, page().metaAppId)).toEqual(['messages']);

		const payload = fixturePayload('message-text', {
			accountId: page().igUserId,
			idSuffix: '.page',
		}) as object;
		expect((await sandbox.deliver(payload)).status).toBe(200);
		const [execution] = await server.waitForExecutions(pageWorkflow, 1);
		expect(nodeOutput(execution, TRIGGER)).toEqual([
			expect.objectContaining({
				eventType: 'message',
				accountId: page().igUserId,
				text: 'Hi, is this still available?',
			}),
		]);
		// Signed with the Instagram app secret: not this flavour's secret.
		const wrong = await sandbox.deliver(textBatch(page().igUserId, 1, 'page-wrong'), {
			secret: ig().instagramAppSecret,
		});
		await expectRefused(server, pageWorkflow, wrong.status, 1, 1000);
	});

	it('a second workflow on the same Meta app gets a clear conflict error; the first keeps receiving', async () => {
		const second = await server.createWorkflow(triggerWorkflow('IG trigger 2', 'ig-trigger-e2e-2', 'ig'));
		const url = server.webhookUrl(`${igHook}/webhook`);
		// n8n keeps the failed trigger's error in the publication status (and may retry in the background).
		await server.api.post(`/workflows/${second.id}/publish`, {}).catch((error: unknown) => error);
		const deadline = Date.now() + 90_000;
		let status = await server.publicationStatus(second.id);
		while (
			Date.now() < deadline &&
			!status.triggers.some((t) => t.errorMessage) &&
			!['failed', 'partial'].includes(status.status)
		) {
			await new Promise((resolve) => setTimeout(resolve, 500));
			status = await server.publicationStatus(second.id);
		}
		expect(status.status).not.toBe('published');
		expect(status.triggers.map((t) => t.errorMessage).join(' ')).toContain(
			`The Meta app ${ig().metaAppId} already sends its Instagram webhooks to ${url}`,
		);
		expect(server.logs()).toContain(`already sends its Instagram webhooks to ${url}`);
		expect(sandbox.state.appSubscription(ig().metaAppId, 'instagram')?.callbackUrl).toBe(url);
		expect((await sandbox.deliver(textBatch(ig().igUserId, 1, 'after-conflict'))).status).toBe(200);
		igExecutions += 1;
		await expectExecutionCount(igWorkflow, igExecutions, 500);
	});

	it('an n8n restart does not re-emit events already seen, and keeps the subscription', async () => {
		const verifiesBefore = sandbox.deliveries().filter((d) => d.kind === 'verify').length;
		await server.restart();
		await server.waitForWebhook(`${igHook}/webhook`, 'POST');
		expect((await sandbox.deliver(textBatch(ig().igUserId, 50, 'batch50'))).status).toBe(200);
		expect(
			(
				await sandbox.deliver(
					fixturePayload('message-text', { accountId: ig().igUserId, idSuffix: '.fx' }) as object,
				)
			).status,
		).toBe(200);
		await expectExecutionCount(igWorkflow, igExecutions, 2000);
		expect((await sandbox.deliver(textBatch(ig().igUserId, 2, 'after-restart'))).status).toBe(200);
		igExecutions += 1;
		await expectExecutionCount(igWorkflow, igExecutions, 500);
		expect(sandbox.state.appSubscription(ig().metaAppId, 'instagram')?.callbackUrl).toBe(
			server.webhookUrl(`${igHook}/webhook`),
		);
		// checkExists found everything in place: no new subscription (no new handshake).
		expect(sandbox.deliveries().filter((d) => d.kind === 'verify').length).toBe(verifiesBefore);
	});

	it("the editor's test URL takes the webhook over and production is subscribed again afterwards", async () => {
		const productionUrl = server.webhookUrl(`${igHook}/webhook`);
		const testUrl = server.testWebhookUrl(`${igHook}/webhook`);
		const callback = () => sandbox.state.appSubscription(ig().metaAppId, 'instagram')?.callbackUrl;
		const waitForCallback = async (url: string) => {
			const deadline = Date.now() + 30_000;
			while (callback() !== url && Date.now() < deadline)
				await new Promise((resolve) => setTimeout(resolve, 250));
			expect(callback()).toBe(url);
		};
		const listen = async () => {
			const res = await server.rest.post(`/workflows/${igWorkflow}/run`, {
				triggerToStartFrom: { name: TRIGGER },
			});
			expect(res.data).toEqual({ data: { waitingForWebhook: true } });
		};

		// 1. "Listen for test event", then an event arrives: n8n ends the test and production is back.
		await listen();
		expect(callback()).toBe(testUrl);
		expect(handshakeStatuses(sandbox, testUrl)).toEqual([200]);
		expect((await sandbox.deliver(textBatch(ig().igUserId, 1, 'test-url'))).status).toBe(200);
		igExecutions += 1; // the manual (test) execution
		const executions = await server.waitForExecutions(igWorkflow, igExecutions);
		const testRun = executions[executions.length - 1];
		expect(testRun.mode).toBe('manual');
		expect(nodeOutput(testRun, TRIGGER).map((i) => i.mid)).toEqual(['test-url.0']);
		await waitForCallback(productionUrl);

		// 2. "Listen for test event", then the user stops listening: production is back too.
		await listen();
		expect(callback()).toBe(testUrl);
		await server.rest.delete(`/test-webhook/${igWorkflow}`);
		await waitForCallback(productionUrl);
		expect(sandbox.state.accountSubscription(ig().igUserId, ig().instagramAppId)).toBeDefined();

		// Production receives again.
		expect((await sandbox.deliver(textBatch(ig().igUserId, 1, 'after-test'))).status).toBe(200);
		igExecutions += 1;
		await expectExecutionCount(igWorkflow, igExecutions, 500);
		const last = (await executionsOf(igWorkflow, true)).pop();
		expect(last?.mode).toBe('webhook');
		expect(nodeOutput(last as N8nExecution, TRIGGER).map((i) => i.mid)).toEqual(['after-test.0']);
	});

	it('HTTP fuzz sample: mutated signed payloads get only 200 or a deliberate 4xx, and n8n stays up', async () => {
		const url = server.webhookUrl(`${igHook}/webhook`);
		const secret = ig().instagramAppSecret;
		const names = fixtureNames();
		const statuses = new Map<number, number>();
		let seed = 7;
		const random = () => {
			seed = (seed * 1103515245 + 12345) % 2147483648;
			return seed / 2147483648;
		};
		for (let i = 0; i < 300; i++) {
			let text = JSON.stringify(
				fixturePayload(names[i % names.length], { accountId: ig().igUserId, idSuffix: `.fz${i}` }),
			);
			const cuts = 1 + Math.floor(random() * 3);
			for (let c = 0; c < cuts; c++) {
				const at = Math.floor(random() * text.length);
				const r = random();
				const insert =
					r < 0.3
						? ''
						: r < 0.5
							? 'null'
							: r < 0.7
								? '"x"'
								: r < 0.85
									? '{}'
									: String.fromCharCode(32 + Math.floor(random() * 90));
				text = text.slice(0, at) + insert + text.slice(at + 1);
			}
			const signed = random() < 0.9;
			const headers: Record<string, string> = { 'Content-Type': 'application/json' };
			if (signed)
				headers['X-Hub-Signature-256'] = 'sha256=' + createHmac('sha256', secret).update(text).digest('hex');
			const res = await axios.post(url, text, {
				headers,
				validateStatus: () => true,
				transformRequest: [(d: unknown) => d],
			});
			statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
			// n8n answers 422 itself to a body that is not JSON, before the trigger runs.
			if (!signed) expect([403, 422]).toContain(res.status);
			else expect([200, 422]).toContain(res.status);
		}
		expect(statuses.get(200)).toBeGreaterThan(50);
		// Still healthy: a normal event still works.
		const before = (await executionsOf(igWorkflow)).length;
		expect((await sandbox.deliver(textBatch(ig().igUserId, 1, 'after-fuzz'))).status).toBe(200);
		await server.waitForExecutions(igWorkflow, before + 1);
		expect(server.logs()).not.toMatch(/unhandled(Rejection| promise rejection)/i);
	});

	it('deactivation removes exactly what activation added, for both flavours', async () => {
		await server.deactivate(igWorkflow);
		expect(sandbox.state.appSubscriptions(ig().metaAppId)).toEqual([]);
		expect(sandbox.state.accountSubscription(ig().igUserId, ig().instagramAppId)).toBeUndefined();
		await server.deactivate(pageWorkflow);
		expect(sandbox.state.appSubscriptions(page().metaAppId)).toEqual([]);
		expect(sandbox.state.accountSubscription(page().igUserId, page().metaAppId)).toBeUndefined();
		// Meta would deliver nowhere now; the old URL is gone too.
		expect(sandbox.webhook(ig().igUserId)).toBeUndefined();
		const res = await sandbox.deliver(textBatch(ig().igUserId, 1, 'gone'), {
			callbackUrl: server.webhookUrl(`${igHook}/webhook`),
		});
		expect(res.status).toBe(404);
	});

	it('never writes a secret to the logs', () => {
		const logs = server.logs();
		for (const secret of [
			...server.secrets(),
			ig().instagramAppSecret,
			page().metaAppSecret,
			ig().accessToken,
			page().pageAccessToken,
		]) {
			expect(logs).not.toContain(secret);
		}
	});
});
