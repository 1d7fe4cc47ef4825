import { Readable } from 'stream';
import { readFileSync } from 'fs';
import { join } from 'path';

import nock from 'nock';

import {
	EVENT_TYPE_VALUES,
	parseWebhookPayload,
	RecentKeys,
	toItemJson,
} from '../../../nodes/InstagramMessaging/events';
import {
	DEDUP_LIMIT,
	PENDING_MS,
	REDELIVERY_WINDOW_MS,
} from '../../../nodes/InstagramMessaging/trigger/seenEvents';
import { storedDedupKey, TEST_EVENT_WINDOW_MS } from '../../../nodes/InstagramMessaging/events';
import { readCapped, Refused } from '../../../nodes/InstagramMessaging/trigger/download';
import { readEscalationSettings, wantsHuman } from '../../../nodes/InstagramMessaging/trigger/escalation';
import {
	asFreshProcess,
	ACCOUNT,
	APP_SECRET,
	CUSTOMER,
	callWebhook,
	instagramLoginCredentials,
	triggerNode,
} from '../harness';
import {
	FIXTURES_DIR,
	PAGE_SECRET,
	META_APP_SECRET,
	facebookPageCredentials,
	fixtureNames,
	loadFixture,
	metaAppCredentials,
	pageTriggerNode,
	automaticNode,
	sign,
	signedPost,
	workflowFor,
} from './helpers';

const NOW = 1760000099000;
const ALL = [...EVENT_TYPE_VALUES];

/** fixture → event types in order, read from the fixtures' README table (the documented truth). */
function documentedTypes(): Map<string, string[]> {
	const table = readFileSync(join(FIXTURES_DIR, 'README.md'), 'utf8');
	const out = new Map<string, string[]>();
	for (const line of table.split('\n')) {
		const m = /^\|\s*`([\w-]+)\.json`\s*\|\s*([^|]+?)\s*\|/.exec(line);
		if (!m) continue;
		out.set(
			m[1],
			m[2].split(',').map((t) => t.replace(/\(.*\)/, '').trim()),
		);
	}
	return out;
}

function textEnvelope(mid: string, options: { account?: string; customer?: string; text?: string } = {}) {
	return {
		object: 'instagram',
		entry: [
			{
				id: options.account ?? ACCOUNT,
				time: 1760000000123,
				messaging: [
					{
						sender: { id: options.customer ?? CUSTOMER },
						recipient: { id: options.account ?? ACCOUNT },
						timestamp: 1760000000000,
						message: { mid, text: options.text ?? 'hi' },
					},
				],
			},
		],
	};
}

beforeEach(() => {
	jest.spyOn(Date, 'now').mockReturnValue(NOW);
	asFreshProcess();
});
afterEach(() => {
	jest.restoreAllMocks();
});

describe('every fixture through the real webhook', () => {
	const documented = documentedTypes();

	it('has a documented event type for every fixture', () => {
		expect(fixtureNames().filter((name) => !documented.has(name))).toEqual([]);
	});

	it.each(fixtureNames())('%s → the expected items', async (name) => {
		const fixture = loadFixture(name);
		const node = triggerNode({ events: ALL, options: { includeStandby: true } });
		const { sent, emitted } = await callWebhook({
			node,
			webhookName: 'default',
			request: signedPost(fixture),
			credentials: instagramLoginCredentials,
		});
		expect(sent).toEqual({ status: 200, ended: true });
		const items = (emitted ?? []).map((item) => item.json);
		expect(items.map((item) => item.eventType)).toEqual(documented.get(name));
		const expected = parseWebhookPayload(fixture, { now: NOW }).events.map((event) => {
			// wantsHuman has its own tests (escalation.test.ts); here: present on every item.
			const json = {
				...toItemJson(event, { includeRaw: false }),
				wantsHuman: wantsHuman(event, readEscalationSettings({})),
				matchedKeyword: null,
			};
			return event.eventType === 'echo' ? { ...json, echoSource: 'unknown', echoAppId: null } : json;
		});
		expect(items).toEqual(expected);
		for (const item of items) expect(item).not.toHaveProperty('raw');
	});

	it('flags standby items and drops them unless Include Standby Events is on', async () => {
		const fixture = loadFixture('standby-message');
		const off = await callWebhook({
			node: triggerNode({ events: ['message'] }),
			webhookName: 'default',
			request: signedPost(fixture),
			credentials: instagramLoginCredentials,
		});
		expect(off.sent.status).toBe(200);
		expect(off.result).toEqual({ noWebhookResponse: true });
		const on = await callWebhook({
			node: triggerNode({ events: ['message'], options: { includeStandby: true } }),
			webhookName: 'default',
			request: signedPost(fixture),
			credentials: instagramLoginCredentials,
		});
		expect(on.emitted.map((i) => [i.json.eventType, i.json.isStandby])).toEqual([['message', true]]);
	});
});

describe('filters', () => {
	const batch = loadFixture('batch-mixed');

	async function emitted(parameters: Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
		asFreshProcess();
		const { emitted } = await callWebhook({
			node: triggerNode(parameters as never),
			webhookName: 'default',
			request: signedPost(batch),
			credentials: instagramLoginCredentials,
		});
		return (emitted ?? []).map((item) => item.json);
	}

	it('defaults to message, postback, reaction and referral (no echoes, no standby)', async () => {
		const { InstagramMessagingTrigger } =
			await import('../../../nodes/InstagramMessaging/InstagramMessagingTrigger.node');
		const events = new InstagramMessagingTrigger().description.properties.find((p) => p.name === 'events');
		expect(events?.default).toEqual(['message', 'postback', 'reaction', 'referral']);
		const items = await emitted({ events: events?.default });
		expect(items.map((i) => i.eventType)).toEqual(['message', 'reaction', 'message']);
		expect(items.some((i) => i.isStandby === true || i.isEcho === true)).toBe(false);
	});

	it('Trigger On selects event types, echo included only when chosen', async () => {
		expect((await emitted({ events: ['echo'] })).map((i) => [i.eventType, i.echoSource])).toEqual([
			['echo', 'unknown'],
		]);
		expect((await emitted({ events: ['seen', 'comment'] })).map((i) => i.eventType)).toEqual([
			'seen',
			'comment',
		]);
	});

	it('Restrict to Account IDs', async () => {
		const all = await emitted({ events: ALL, options: { includeStandby: true } });
		const only2 = await emitted({
			events: ALL,
			options: { includeStandby: true, accountIds: ' 17841400000000002 ' },
		});
		expect(only2.length).toBeGreaterThan(0);
		expect(only2.length).toBeLessThan(all.length);
		expect(only2.every((i) => i.accountId === '17841400000000002')).toBe(true);
		expect(await emitted({ events: ALL, options: { accountIds: '999' } })).toEqual([]);
	});

	it('Restrict to Sender IDs matches the customer (also on echoes)', async () => {
		const items = await emitted({
			events: ALL,
			options: { includeStandby: true, customerIds: `${CUSTOMER}, 42` },
		});
		expect(items.length).toBeGreaterThan(0);
		expect(items.every((i) => i.customerId === CUSTOMER)).toBe(true);
		expect(await emitted({ events: ALL, options: { customerIds: '42' } })).toEqual([]);
	});

	it('Message Kinds keeps only those message kinds and leaves other event types alone', async () => {
		const items = await emitted({
			events: ['message', 'reaction'],
			options: { messageKinds: ['attachment'] },
		});
		for (const item of items) if (item.eventType === 'message') expect(item.messageKind).toBe('attachment');
		expect(items.map((i) => i.eventType)).toContain('reaction');
	});

	it('echo items say who sent them when Meta tells (app_id), unknown otherwise', async () => {
		const echo = loadFixture('echo') as {
			entry: Array<{ messaging: Array<{ message: Record<string, unknown> }> }>;
		};
		echo.entry[0].messaging[0].message.app_id = 1217981644879628;
		const inbox = await callWebhook({
			node: triggerNode({ events: ['echo'] }),
			webhookName: 'default',
			request: signedPost(echo),
			credentials: instagramLoginCredentials,
		});
		expect(inbox.emitted[0].json).toMatchObject({
			echoSource: 'instagramApp',
			echoAppId: '1217981644879628',
		});
		echo.entry[0].messaging[0].message.app_id = '990000000000001';
		echo.entry[0].messaging[0].message.mid = 'other-mid';
		const app = await callWebhook({
			node: triggerNode({ events: ['echo'] }),
			webhookName: 'default',
			request: signedPost(echo),
			credentials: instagramLoginCredentials,
		});
		expect(app.emitted[0].json).toMatchObject({
			echoSource: 'app',
			echoAppId: '990000000000001',
		});
	});

	it('Include Raw Event adds the event exactly as sent', async () => {
		const fixture = loadFixture('reaction-react') as { entry: Array<{ messaging: unknown[] }> };
		const { emitted } = await callWebhook({
			node: triggerNode({ events: ['reaction'], options: { includeRaw: true } }),
			webhookName: 'default',
			request: signedPost(fixture),
			credentials: instagramLoginCredentials,
		});
		expect(emitted[0].json.raw).toEqual(fixture.entry[0].messaging[0]);
	});
});

describe('exactly once', () => {
	it('the same POST twice emits once; a new event still passes', async () => {
		const node = triggerNode();
		const workflow = workflowFor(node);
		const body = textEnvelope('mid.dup');
		const first = await callWebhook({
			node,
			workflow,
			webhookName: 'default',
			request: signedPost(body),
			credentials: instagramLoginCredentials,
		});
		expect(first.emitted).toHaveLength(1);
		const second = await callWebhook({
			node,
			workflow,
			webhookName: 'default',
			request: signedPost(body),
			credentials: instagramLoginCredentials,
		});
		expect(second.sent).toEqual({ status: 200, ended: true });
		expect(second.result).toEqual({ noWebhookResponse: true });
		// Same event re-serialised differently (Meta's escaping, another entry.time): still a duplicate.
		const resent = { ...body, entry: [{ ...body.entry[0], time: 1760000009999 }] };
		const third = await callWebhook({
			node,
			workflow,
			webhookName: 'default',
			request: signedPost(resent),
			credentials: instagramLoginCredentials,
		});
		expect(third.result.workflowData).toBeUndefined();
		const fresh = await callWebhook({
			node,
			workflow,
			webhookName: 'default',
			request: signedPost(textEnvelope('mid.new')),
			credentials: instagramLoginCredentials,
		});
		expect(fresh.emitted.map((i) => i.json.mid)).toEqual(['mid.new']);
	});

	it('Meta gets its 200 only from n8n, after the execution holding the events was saved; the execution stores the keys', async () => {
		const node = triggerNode();
		const workflow = workflowFor(node);
		const call = await callWebhook({
			node,
			workflow,
			webhookName: 'default',
			request: signedPost(textEnvelope('mid.durable')),
			credentials: instagramLoginCredentials,
		});
		// Before: the node answered 200 itself and n8n saved nothing yet (noWebhookResponse).
		expect(call.result.noWebhookResponse).toBeUndefined();
		expect(call.answeredBy).toBe('n8n');
		expect(call.result.workflowData?.[0].map((item) => item.json.mid)).toEqual(['mid.durable']);
		expect(call.emitted.map((item) => item.json.mid)).toEqual(['mid.durable']);
		expect(call.emitted[0].pairedItem).toEqual({ item: 0 });
		const stored = workflow.staticData[`node:${node.name}`] as { recentEventKeys: unknown };
		expect(new RecentKeys(stored.recentEventKeys).toArray()).toEqual([
			storedDedupKey(
				{
					dedupKey: call.emitted[0].json.dedupKey as string,
					isTest: false,
					accountId: ACCOUNT,
					senderId: CUSTOMER,
					mid: 'mid.durable',
				},
				NOW,
			),
		]);
	});

	it('a redelivery after n8n failed to save the execution (500) is emitted', async () => {
		const node = triggerNode();
		const workflow = workflowFor(node);
		const body = textEnvelope('mid.unsaved');
		const failed = await callWebhook({
			node,
			workflow,
			webhookName: 'default',
			request: signedPost(body),
			credentials: instagramLoginCredentials,
			executionSaved: false,
		});
		expect(failed.sent.status).toBe(500);
		const retried = await callWebhook({
			node,
			workflow,
			webhookName: 'default',
			request: signedPost(body),
			credentials: instagramLoginCredentials,
		});
		expect(retried.emitted.map((item) => item.json.mid)).toEqual(['mid.unsaved']);
		// Saved and answered: a later redelivery is a duplicate, also in a fresh static-data copy.
		const again = await callWebhook({
			node,
			workflow: workflowFor(node),
			webhookName: 'default',
			request: signedPost(body),
			credentials: instagramLoginCredentials,
		});
		expect(again.result.workflowData).toBeUndefined();
	});

	it('a redelivery that overtakes the first delivery (not yet saved) gets 503, never a bare 200, so nothing is lost if n8n dies', async () => {
		const node = triggerNode();
		const workflow = workflowFor(node);
		const body = textEnvelope('mid.inflight');
		const first = await callWebhook({
			node,
			workflow,
			webhookName: 'default',
			request: signedPost(body),
			credentials: instagramLoginCredentials,
			deferAnswer: true,
		});
		expect(first.sent.ended).toBe(false);
		const logs: string[] = [];
		const overtaking = await callWebhook({
			node,
			workflow,
			webhookName: 'default',
			request: signedPost(body),
			credentials: instagramLoginCredentials,
			logs,
		});
		expect(overtaking.sent.status).toBe(503);
		expect(overtaking.result.workflowData).toBeUndefined();
		expect(logs.join('\n')).toMatch(/before n8n had saved the first delivery/);
		const done = await first.complete!();
		expect(done.sent.status).toBe(200);
		expect(done.emitted.map((item) => item.json.mid)).toEqual(['mid.inflight']);
		const later = await callWebhook({
			node,
			workflow,
			webhookName: 'default',
			request: signedPost(body),
			credentials: instagramLoginCredentials,
		});
		expect(later.sent.status).toBe(200);
		expect(later.result.workflowData).toBeUndefined();
	});

	it('when Meta hung up before any answer, its redelivery waits (503) for 2 minutes, then is emitted', async () => {
		const node = triggerNode();
		const body = textEnvelope('mid.hungup');
		// n8n died or stalled before saving: nothing settled the key, no static data either.
		await callWebhook({
			node,
			workflow: workflowFor(node),
			webhookName: 'default',
			request: signedPost(body),
			credentials: instagramLoginCredentials,
			executionSaved: false,
			callerHangsUp: true,
		});
		const clock = jest.spyOn(Date, 'now');
		clock.mockReturnValue(NOW + 30_000);
		const early = await callWebhook({
			node,
			workflow: workflowFor(node),
			webhookName: 'default',
			request: signedPost(body),
			credentials: instagramLoginCredentials,
		});
		expect(early.sent.status).toBe(503);
		clock.mockReturnValue(NOW + PENDING_MS + 1_000);
		const later = await callWebhook({
			node,
			workflow: workflowFor(node),
			webhookName: 'default',
			request: signedPost(body),
			credentials: instagramLoginCredentials,
		});
		expect(later.emitted.map((item) => item.json.mid)).toEqual(['mid.hungup']);
	});

	it("refuses events older than Meta's 36 h redelivery window (a replayed capture), keeps the rest and the dashboard sample", async () => {
		const node = triggerNode({ events: ALL });
		const logs: string[] = [];
		const stale = textEnvelope('mid.stale');
		const body = {
			object: 'instagram',
			entry: [
				{
					...stale.entry[0],
					messaging: [
						{ ...stale.entry[0].messaging[0], timestamp: NOW - REDELIVERY_WINDOW_MS - 1_000 },
						{
							...stale.entry[0].messaging[0],
							timestamp: NOW - REDELIVERY_WINDOW_MS + 60_000,
							message: { mid: 'mid.late', text: 'x' },
						},
						{
							sender: { id: '12334' },
							recipient: { id: '23245' },
							timestamp: 1527459824,
							message: { mid: 'random_mid', text: 'random_text' },
						},
					],
				},
			],
		};
		const call = await callWebhook({
			node,
			workflow: workflowFor(node),
			webhookName: 'default',
			request: signedPost(body),
			credentials: instagramLoginCredentials,
			logs,
		});
		expect(call.sent.status).toBe(200);
		expect(call.emitted.map((item) => item.json.mid)).toEqual(['mid.late', 'random_mid']);
		expect(logs.join('\n')).toMatch(/1 event\(s\) older than Meta's 36 h redelivery window/);
		const onlyStale = await callWebhook({
			node,
			workflow: workflowFor(node),
			webhookName: 'default',
			request: signedPost({
				object: 'instagram',
				entry: [{ ...body.entry[0], messaging: [body.entry[0].messaging[0]] }],
			}),
			credentials: instagramLoginCredentials,
		});
		expect(onlyStale.answeredBy).toBe('node');
		expect(onlyStale.result.workflowData).toBeUndefined();
	});

	it('a redelivery racing the static-data save (n8n loads the workflow afresh per request) is still dropped', async () => {
		const node = triggerNode();
		const body = textEnvelope('mid.race');
		// Both requests start from the same stored static data, as when the second arrives before
		// n8n has saved what the first one wrote.
		const saved = {};
		const first = await callWebhook({
			node,
			workflow: workflowFor(node, structuredClone(saved)),
			webhookName: 'default',
			request: signedPost(body),
			credentials: instagramLoginCredentials,
		});
		const second = await callWebhook({
			node,
			workflow: workflowFor(node, structuredClone(saved)),
			webhookName: 'default',
			request: signedPost(body),
			credentials: instagramLoginCredentials,
		});
		expect(first.emitted).toHaveLength(1);
		expect(second.sent.status).toBe(200);
		expect(second.result.workflowData).toBeUndefined();
	});

	it('duplicates inside one batch are emitted once; 50 events → 50 items', async () => {
		const node = triggerNode();
		const workflow = workflowFor(node);
		const messaging = Array.from({ length: 50 }, (_, i) => ({
			sender: { id: CUSTOMER },
			recipient: { id: ACCOUNT },
			timestamp: 1760000000000 + i,
			message: { mid: `mid.batch.${i}`, text: `n${i}` },
		}));
		const body = {
			object: 'instagram',
			entry: [{ id: ACCOUNT, time: 1, messaging: [...messaging, messaging[3]] }],
		};
		const first = await callWebhook({
			node,
			workflow,
			webhookName: 'default',
			request: signedPost(body),
			credentials: instagramLoginCredentials,
		});
		expect(first.emitted).toHaveLength(50);
		for (let i = 0; i < 2; i++) {
			const again = await callWebhook({
				node,
				workflow,
				webhookName: 'default',
				request: signedPost(body),
				credentials: instagramLoginCredentials,
			});
			expect(again.result.workflowData).toBeUndefined();
		}
	});

	it('keeps the dedup keys in node static data, bounded to 10,000', async () => {
		const node = triggerNode();
		const workflow = workflowFor(node);
		const total = DEDUP_LIMIT + 500;
		const messaging = Array.from({ length: total }, (_, i) => ({
			sender: { id: CUSTOMER },
			recipient: { id: ACCOUNT },
			timestamp: 1760000000000 + i,
			message: { mid: `m${i}`, text: 'x' },
		}));
		const body = { object: 'instagram', entry: [{ id: ACCOUNT, time: 1, messaging }] };
		const { emitted } = await callWebhook({
			node,
			workflow,
			webhookName: 'default',
			request: signedPost(body),
			credentials: instagramLoginCredentials,
		});
		expect(emitted).toHaveLength(total);
		const state = workflow.getStaticData('node', node).recentEventKeys;
		// One string, not 10,000 array elements read one by one through n8n's static-data proxy.
		expect(typeof (state as { packed?: unknown }).packed).toBe('string');
		const stored = { keys: new RecentKeys(state, DEDUP_LIMIT).toArray() };
		expect(stored.keys).toHaveLength(DEDUP_LIMIT);
		const digest = (mid: string) =>
			storedDedupKey(
				{ dedupKey: `message:${mid}`, isTest: false, accountId: ACCOUNT, senderId: CUSTOMER, mid },
				0,
			);
		expect(stored.keys).toContain(digest(`m${total - 1}`));
		expect(stored.keys).not.toContain(digest('m0'));
		// Fixed-size digests: the bound holds whatever the ids are.
		expect(stored.keys.every((k) => /^[0-9a-f]{20}$/.test(k))).toBe(true);
		// JSON round trip, as n8n saves and reloads static data after a restart (a new process).
		asFreshProcess();
		const reloaded = workflowFor(node, JSON.parse(JSON.stringify(workflow.staticData)) as never);
		const again = await callWebhook({
			node,
			workflow: reloaded,
			webhookName: 'default',
			request: signedPost(textEnvelope(`m${total - 1}`)),
			credentials: instagramLoginCredentials,
		});
		expect(again.result.workflowData).toBeUndefined();
	});

	it('a messaging change with real ids (changes[] layout) is deduplicated like any event', async () => {
		const node = triggerNode();
		const workflow = workflowFor(node);
		const fixture = loadFixture('dashboard-test-message');
		const counts: number[] = [];
		for (let i = 0; i < 3; i++) {
			const { emitted } = await callWebhook({
				node,
				workflow,
				webhookName: 'default',
				request: signedPost(fixture),
				credentials: instagramLoginCredentials,
			});
			counts.push(emitted.length ?? 0);
		}
		expect(counts).toEqual([1, 0, 0]);
	});

	it("the dashboard's sample (ids 12334 / random_mid): redeliveries dropped, pressing Test again after 20 minutes passes", async () => {
		const node = triggerNode();
		const workflow = workflowFor(node);
		const sample = {
			object: 'instagram',
			entry: [
				{
					id: '0',
					time: 1527459824,
					changes: [
						{
							field: 'messages',
							value: {
								sender: { id: '12334' },
								recipient: { id: '23245' },
								timestamp: '1527459824',
								message: { mid: 'random_mid', text: 'random_text' },
							},
						},
					],
				},
			],
		};
		// The start of a window, so that +1 min stays inside it.
		const start = Math.floor(Date.now() / TEST_EVENT_WINDOW_MS) * TEST_EVENT_WINDOW_MS + 1000;
		const at = (ms: number) => jest.spyOn(Date, 'now').mockReturnValue(start + ms);
		const deliver = async () => {
			const { emitted, sent } = await callWebhook({
				node,
				workflow,
				webhookName: 'default',
				request: signedPost(sample),
				credentials: instagramLoginCredentials,
			});
			expect(sent.status).toBe(200);
			return emitted.map((item) => item.json.isTest) ?? [];
		};
		try {
			at(0);
			expect(await deliver()).toEqual([true]);
			at(60_000);
			expect(await deliver()).toEqual([]);
			// Across the slot boundary, a redelivery is still dropped …
			at(TEST_EVENT_WINDOW_MS - 500);
			expect(await deliver()).toEqual([]);
			at(TEST_EVENT_WINDOW_MS + 5_000);
			expect(await deliver()).toEqual([]);
			// … and pressing Test again two slots later passes.
			at(3 * TEST_EVENT_WINDOW_MS);
			expect(await deliver()).toEqual([true]);
		} finally {
			jest.restoreAllMocks();
		}
	});
});

describe('signatures per flavour', () => {
	const body = textEnvelope('mid.sig');

	it.each([
		['Instagram Login: the Instagram app secret', triggerNode(), instagramLoginCredentials, APP_SECRET, 200],
		[
			'Instagram Login: the Page secret is not it',
			triggerNode(),
			instagramLoginCredentials,
			PAGE_SECRET,
			403,
		],
		['Facebook Page: the Meta app secret', pageTriggerNode(), facebookPageCredentials, PAGE_SECRET, 200],
		[
			'Facebook Page: the Instagram app secret is not it',
			pageTriggerNode(),
			facebookPageCredentials,
			APP_SECRET,
			403,
		],
		[
			'Instagram Login + Meta App credential: the Instagram app secret',
			automaticNode(),
			{ ...instagramLoginCredentials, ...metaAppCredentials },
			APP_SECRET,
			200,
		],
		[
			'Instagram Login + Meta App credential: the Meta app secret',
			automaticNode(),
			{ ...instagramLoginCredentials, ...metaAppCredentials },
			META_APP_SECRET,
			200,
		],
		[
			'Instagram Login + Meta App credential: any other secret',
			automaticNode(),
			{ ...instagramLoginCredentials, ...metaAppCredentials },
			'guess',
			403,
		],
	])('%s', async (_name, node, credentials, secret, status) => {
		const logs: string[] = [];
		const { sent, result, emitted } = await callWebhook({
			node,
			webhookName: 'default',
			request: signedPost(body, secret),
			credentials,
			logs,
		});
		expect(sent.status).toBe(status);
		if (status === 200) expect(emitted).toHaveLength(1);
		else {
			expect(result.workflowData).toBeUndefined();
			expect(logs.join('\n')).toMatch(/X-Hub-Signature-256/);
			for (const s of [APP_SECRET, PAGE_SECRET, META_APP_SECRET]) expect(logs.join('\n')).not.toContain(s);
		}
	});

	it('rejects a missing raw body and an uppercase-prefixed forged header', async () => {
		const raw = Buffer.from(JSON.stringify(body));
		const noRaw = await callWebhook({
			node: triggerNode(),
			webhookName: 'default',
			request: { method: 'POST', body, headers: { 'X-Hub-Signature-256': sign(raw) } },
			credentials: instagramLoginCredentials,
		});
		expect(noRaw.sent.status).toBe(403);
		const upper = await callWebhook({
			node: triggerNode(),
			webhookName: 'default',
			request: {
				method: 'POST',
				body,
				rawBody: raw,
				headers: { 'X-Hub-Signature-256': sign(raw).toUpperCase() },
			},
			credentials: instagramLoginCredentials,
		});
		// The hex is compared case-insensitively (Meta sends lowercase); SHA256= prefix is accepted too.
		expect(upper.sent.status).toBe(200);
	});
});

describe('Download Attachments', () => {
	const CDN = 'https://lookaside.fbsbx.com';

	function imageEnvelope(urls: string[], mid = 'mid.img') {
		return {
			object: 'instagram',
			entry: [
				{
					id: ACCOUNT,
					time: 1,
					messaging: [
						{
							sender: { id: CUSTOMER },
							recipient: { id: ACCOUNT },
							timestamp: 1760000000000,
							message: { mid, attachments: urls.map((url) => ({ type: 'image', payload: { url } })) },
						},
					],
				},
			],
		};
	}

	it("downloads inside the execution, not before n8n answers Meta: webhook()'s items carry no binary, the execution's do", async () => {
		const node = triggerNode({ options: { downloadAttachments: true } });
		const workflow = workflowFor(node);
		const png = Buffer.from('89504e470d0a1a0a', 'hex');
		const scope = nock(CDN)
			.get('/ig_messaging_cdn/')
			.query({ asset_id: '9' })
			.reply(200, png, { 'Content-Type': 'image/png' });
		const call = await callWebhook({
			node,
			workflow,
			webhookName: 'default',
			request: signedPost(imageEnvelope([`${CDN}/ig_messaging_cdn/?asset_id=9`])),
			credentials: instagramLoginCredentials,
		});
		expect(call.result.workflowData?.[0][0].binary).toBeUndefined();
		expect(call.result.workflowData?.[0][0].json).not.toHaveProperty('downloadError');
		expect(call.emitted[0].binary?.attachment_0).toMatchObject({ mimeType: 'image/png' });
		expect(call.emitted[0].json.downloadError).toBeNull();
		expect(scope.isDone()).toBe(true);
	});

	it('puts the media into binary properties and keeps the event when one download fails', async () => {
		const png = Buffer.from('89504e470d0a1a0a', 'hex');
		nock(CDN)
			.get('/ig_messaging_cdn/')
			.query({ asset_id: '1' })
			.reply(200, png, { 'Content-Type': 'image/png' });
		nock(CDN).get('/ig_messaging_cdn/').query({ asset_id: '2' }).reply(403, 'URL signature expired');
		const { sent, emitted } = await callWebhook({
			node: triggerNode({ options: { downloadAttachments: true } }),
			webhookName: 'default',
			request: signedPost(
				imageEnvelope([`${CDN}/ig_messaging_cdn/?asset_id=1`, `${CDN}/ig_messaging_cdn/?asset_id=2`]),
			),
			credentials: instagramLoginCredentials,
		});
		expect(sent.status).toBe(200);
		const [item] = emitted ?? [];
		expect(item.binary?.attachment_0).toMatchObject({ mimeType: 'image/png' });
		expect(Buffer.from(item.binary?.attachment_0.data ?? '', 'base64')).toEqual(png);
		expect(item.binary?.attachment_1).toBeUndefined();
		expect(item.json.downloadError).toMatch(/attachment 1: the CDN answered HTTP 403/);
		expect(nock.isDone()).toBe(true);
	});

	it('one delivery downloads at most 100 MB in all: the third 34 MB file is refused, the event kept', async () => {
		const file = Buffer.alloc(34 * 1024 * 1024, 1);
		for (const name of ['a', 'b', 'c'])
			nock(CDN)
				.get(`/${name}`)
				.reply(200, file, { 'Content-Type': 'video/mp4', 'Content-Length': String(file.length) });
		const { emitted } = await callWebhook({
			node: triggerNode({ options: { downloadAttachments: true, maxAttachmentMb: 50 } }),
			webhookName: 'default',
			request: signedPost(imageEnvelope([`${CDN}/a`, `${CDN}/b`, `${CDN}/c`])),
			credentials: instagramLoginCredentials,
		});
		const [item] = emitted ?? [];
		expect(Object.keys(item.binary ?? {}).sort()).toEqual(['attachment_0', 'attachment_1']);
		expect(item.json.downloadError).toBe(
			"attachment 2: larger than the 50 MB limit (or the execution's 100 MB)",
		);
	}, 60_000);

	it('one delivery downloads for at most 60 s in all: after that nothing more is fetched', async () => {
		const png = Buffer.from('89504e470d0a1a0a', 'hex');
		let now = Date.now();
		const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
		try {
			// The first download "takes" 60 s on the clock the budget is measured with.
			nock(CDN)
				.get('/slow')
				.reply(() => {
					now += 60_000;
					return [200, png, { 'Content-Type': 'image/png' }];
				});
			const late = nock(CDN).get('/late').reply(200, png, { 'Content-Type': 'image/png' });
			const { emitted } = await callWebhook({
				node: triggerNode({ options: { downloadAttachments: true } }),
				webhookName: 'default',
				request: signedPost(imageEnvelope([`${CDN}/slow`, `${CDN}/late`])),
				credentials: instagramLoginCredentials,
			});
			const [item] = emitted ?? [];
			expect(Object.keys(item.binary ?? {})).toEqual(['attachment_0']);
			expect(item.json.downloadError).toBe(
				"attachment 1: not downloaded: the delivery's download time is used up",
			);
			expect(late.isDone()).toBe(false);
		} finally {
			clock.mockRestore();
			nock.cleanAll();
		}
	});

	it('skips files over the size cap and network failures, never dropping the event', async () => {
		nock(CDN)
			.get('/big')
			.reply(200, Buffer.alloc(2 * 1024 * 1024 + 1), { 'Content-Type': 'video/mp4' });
		nock(CDN).get('/down').replyWithError('socket hang up');
		const { emitted } = await callWebhook({
			node: triggerNode({ options: { downloadAttachments: true, maxAttachmentMb: 2 } }),
			webhookName: 'default',
			request: signedPost(imageEnvelope([`${CDN}/big`, `${CDN}/down`, 'ftp://example.com/x'])),
			credentials: instagramLoginCredentials,
		});
		const [item] = emitted ?? [];
		expect(item.json.eventType).toBe('message');
		expect(item.binary).toBeUndefined();
		expect(item.json.downloadError).toMatch(/attachment 0: larger than the 2 MB limit/);
		expect(item.json.downloadError).toMatch(/attachment 1: .*socket hang up/);
		expect(item.json.downloadError).toMatch(/attachment 2: unsupported URL scheme/);
	});

	it.each([
		['a loopback address', 'https://127.0.0.1/internal'],
		['localhost over http', 'http://localhost:5678/rest/credentials'],
		['another https host', 'https://example.com/image.png'],
		['a look-alike host', 'https://lookaside.fbsbx.com.evil.test/x'],
	])('downloads only from Meta media hosts: %s is not fetched', async (_name, url) => {
		const { emitted } = await callWebhook({
			node: triggerNode({ options: { downloadAttachments: true } }),
			webhookName: 'default',
			request: signedPost(imageEnvelope([url])),
			credentials: instagramLoginCredentials,
		});
		const [item] = emitted ?? [];
		expect(item.json.eventType).toBe('message');
		expect(item.binary).toBeUndefined();
		expect(item.json.downloadError).toMatch(/attachment 0: (not downloaded|unsupported URL scheme)/);
		// nock.disableNetConnect() would have thrown a different error for a real fetch attempt.
		expect(String(item.json.downloadError)).not.toMatch(/Nock|Disallowed/);
	});

	it('follows redirects only among Meta media hosts', async () => {
		const png = Buffer.from('89504e470d0a1a0a', 'hex');
		nock(CDN).get('/moved').reply(302, '', { Location: 'https://scontent.xx.fbcdn.net/final.png' });
		nock('https://scontent.xx.fbcdn.net').get('/final.png').reply(200, png, { 'Content-Type': 'image/png' });
		nock(CDN).get('/escape').reply(302, '', { Location: 'http://127.0.0.1:5678/secret' });
		const { emitted } = await callWebhook({
			node: triggerNode({ options: { downloadAttachments: true } }),
			webhookName: 'default',
			request: signedPost(imageEnvelope([`${CDN}/moved`, `${CDN}/escape`])),
			credentials: instagramLoginCredentials,
		});
		const [item] = emitted ?? [];
		expect(Buffer.from(item.binary?.attachment_0.data ?? '', 'base64')).toEqual(png);
		expect(item.binary?.attachment_1).toBeUndefined();
		expect(item.json.downloadError).toMatch(
			/attachment 1: not downloaded: not one of Meta's media hosts \(127\.0\.0\.1\)/,
		);
		expect(nock.isDone()).toBe(true);
	});

	it('reads a body only up to the cap: a 200 MB stream is cut off after about 1 MB', async () => {
		let produced = 0;
		const chunk = Buffer.alloc(64 * 1024);
		const huge = Readable.from(
			(function* () {
				while (produced < 200 * 1024 * 1024) {
					produced += chunk.length;
					yield chunk;
				}
			})(),
		);
		await expect(readCapped(huge, 1024 * 1024)).rejects.toThrow(Refused);
		expect(produced).toBeLessThan(2 * 1024 * 1024);
	});

	it('refuses an oversized file, by Content-Length or while streaming, and keeps the event', async () => {
		nock(CDN)
			.get('/huge')
			.reply(200, () => Readable.from([Buffer.alloc(3 * 1024 * 1024)]), { 'Content-Type': 'video/mp4' });
		nock(CDN)
			.get('/declared')
			.reply(200, 'x', { 'Content-Length': String(200 * 1024 * 1024) });
		const { emitted } = await callWebhook({
			node: triggerNode({ options: { downloadAttachments: true, maxAttachmentMb: 1 } }),
			webhookName: 'default',
			request: signedPost(imageEnvelope([`${CDN}/huge`, `${CDN}/declared`])),
			credentials: instagramLoginCredentials,
		});
		const [item] = emitted ?? [];
		expect(item.binary).toBeUndefined();
		expect(item.json.downloadError).toMatch(/attachment 0: larger than the 1 MB limit/);
		expect(item.json.downloadError).toMatch(/attachment 1: larger than the 1 MB limit/);
	});

	it('does not download shared post links', async () => {
		const body = imageEnvelope([]);
		(body.entry[0].messaging[0].message as { attachments: unknown[] }).attachments = [
			{ type: 'share', payload: { url: `${CDN}/shared-post` } },
		];
		const { emitted } = await callWebhook({
			node: triggerNode({ options: { downloadAttachments: true } }),
			webhookName: 'default',
			request: signedPost(body),
			credentials: instagramLoginCredentials,
		});
		const [item] = emitted ?? [];
		expect(item.binary).toBeUndefined();
		expect(item.json).not.toHaveProperty('downloadError');
	});

	it('does not download when off (no request is made) and adds no downloadError', async () => {
		const { emitted } = await callWebhook({
			node: triggerNode(),
			webhookName: 'default',
			request: signedPost(imageEnvelope([`${CDN}/never`])),
			credentials: instagramLoginCredentials,
		});
		expect(emitted[0].json).not.toHaveProperty('downloadError');
		expect(emitted[0].binary).toBeUndefined();
	});
});
