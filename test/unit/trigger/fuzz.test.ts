import { EVENT_TYPE_VALUES, RecentKeys } from '../../../nodes/InstagramMessaging/events';
import { asFreshProcess, APP_SECRET, callWebhook, instagramLoginCredentials, triggerNode } from '../harness';
import { FIXTURES_NOW, fixtureNames, loadFixture, sign, workflowFor } from './helpers';
import { prng } from '../../prng';

const WEIRD: unknown[] = [
	null,
	0,
	-1,
	1e308,
	'',
	'x'.repeat(5000),
	'\u0000\ud83d\ude00',
	true,
	[],
	{},
	[null],
	{ id: {} },
	'17841400000000001',
	{ mid: 42 },
	[{ sender: null }],
	'NaN',
	{ __proto__: { polluted: true } },
	{ constructor: { prototype: { polluted: true } } },
];

function mutate(value: unknown, random: () => number, depth = 0): unknown {
	const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
	if (depth > 12) return value;
	if (Array.isArray(value)) {
		const copy = value.map((v) => (random() < 0.3 ? mutate(v, random, depth + 1) : v));
		const r = random();
		if (r < 0.1) copy.push(pick(WEIRD));
		else if (r < 0.2 && copy.length > 0) copy.splice(Math.floor(random() * copy.length), 1);
		else if (r < 0.25) return copy.concat(copy);
		return copy;
	}
	if (typeof value === 'object' && value !== null) {
		const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
		for (const key of Object.keys(copy)) {
			const r = random();
			if (r < 0.08) delete copy[key];
			else if (r < 0.18) copy[key] = pick(WEIRD);
			else if (r < 0.6) copy[key] = mutate(copy[key], random, depth + 1);
		}
		if (random() < 0.05)
			copy[pick(['message', 'reaction', 'standby', 'changes', 'field', 'value', 'is_echo'])] = pick(WEIRD);
		return copy;
	}
	if (random() < 0.3) return pick(WEIRD);
	return value;
}

const ITERATIONS = 10_000;

describe('fuzz: mutated payloads through the real webhook', () => {
	it(`${ITERATIONS} mutated payloads: no crash, no unhandled rejection, only 200 or a deliberate 403`, async () => {
		asFreshProcess();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(FIXTURES_NOW);
		const unhandled: unknown[] = [];
		const onUnhandled = (reason: unknown) => unhandled.push(reason);
		process.on('unhandledRejection', onUnhandled);
		const fixtures = fixtureNames().map((name) => loadFixture(name));
		const node = triggerNode({
			events: [...EVENT_TYPE_VALUES],
			options: {
				includeStandby: true,
				includeRaw: true,
				messageKinds: ['text', 'attachment'],
				accountIds: '17841400000000001,17841400000000002',
			},
		});
		const workflow = workflowFor(node);
		const statuses: Record<number, number> = {};
		let emitted = 0;
		try {
			for (let i = 0; i < ITERATIONS; i++) {
				const random = prng(i + 1);
				const base = fixtures[i % fixtures.length];
				const mutated = mutate(base, random);
				let text = JSON.stringify(mutated) ?? 'null';
				let body: unknown = mutated;
				const r = random();
				if (r < 0.05) {
					// Raw-byte damage after serialisation (n8n itself would answer 422 to invalid JSON).
					const at = Math.floor(random() * text.length);
					text = text.slice(0, at) + String.fromCharCode(Math.floor(random() * 256)) + text.slice(at + 1);
					try {
						body = JSON.parse(text);
					} catch {
						body = text;
					}
				}
				const raw = Buffer.from(text);
				const signatureKind = random();
				const header =
					signatureKind < 0.85
						? sign(raw)
						: signatureKind < 0.9
							? sign(raw, 'other')
							: signatureKind < 0.95
								? 'sha256=zz'
								: undefined;
				const call = await callWebhook({
					node,
					workflow,
					webhookName: 'default',
					request: {
						method: 'POST',
						body,
						rawBody: raw,
						headers: header === undefined ? {} : { 'X-Hub-Signature-256': header },
					},
					credentials: instagramLoginCredentials,
				});
				const { sent, result } = call;
				statuses[sent.status ?? 0] = (statuses[sent.status ?? 0] ?? 0) + 1;
				expect(sent.ended).toBe(true);
				if (signatureKind < 0.85) expect(sent.status).toBe(200);
				else expect(sent.status).toBe(403);
				if (sent.status === 403) expect(result.workflowData).toBeUndefined();
				for (const item of call.emitted) {
					expect(typeof item.json.eventType).toBe('string');
					expect(typeof item.json.dedupKey).toBe('string');
					// The secret the signatures are made with never reaches an item, whatever the payload.
					expect(JSON.stringify(item.json)).not.toContain(APP_SECRET);
					emitted++;
				}
			}
			await new Promise((resolve) => setImmediate(resolve));
		} finally {
			process.off('unhandledRejection', onUnhandled);
			clock.mockRestore();
		}
		expect(unhandled).toEqual([]);
		expect(Object.keys(statuses).sort()).toEqual(['200', '403']);
		expect(emitted).toBeGreaterThan(100);
		const keys = new RecentKeys(workflow.getStaticData('node', node).recentEventKeys, 20_000).toArray();
		expect(keys.length).toBeLessThanOrEqual(10_000);
	}, 300_000);
});
