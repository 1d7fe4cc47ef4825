/**
 * P1 (perf-anchors.md): the trigger's per-event cost in process — signature check over the raw
 * body + parse + one item per event — against the bare floor measured in the same run
 * (HMAC-SHA256 + timing-safe compare + JSON.parse). Reported as a ratio.
 */
import { createHmac, timingSafeEqual } from 'crypto';

import { parseWebhookPayload, toItemJson } from '../nodes/InstagramMessaging/events';
import { computeSignature, isValidSignature } from '../nodes/InstagramMessaging/trigger/signature';
import { median } from './workflows';

const SECRET = 'bench-instagram-app-secret';

function batch(events: number): Buffer {
	const messaging = Array.from({ length: events }, (_, i) => ({
		sender: { id: '1111111111111111' },
		recipient: { id: '17841400000000001' },
		timestamp: 1760000000000 + i,
		message: { mid: `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlE${i}`, text: `Hi, is this still available? #${i}` },
	}));
	return Buffer.from(
		JSON.stringify({
			object: 'instagram',
			entry: [{ id: '17841400000000001', time: 1760000000123, messaging }],
		}),
	);
}

function floor(raw: Buffer, header: string): number {
	const expected = Buffer.from(createHmac('sha256', SECRET).update(raw).digest('hex'));
	const received = Buffer.from(header.slice(7));
	if (!timingSafeEqual(expected, received)) throw new Error('bad signature');
	const body = JSON.parse(raw.toString('utf8')) as { entry: Array<{ messaging: unknown[] }> };
	return body.entry[0].messaging.length;
}

function ours(raw: Buffer, header: string): number {
	if (!isValidSignature(raw, header, [SECRET])) throw new Error('bad signature');
	const { events } = parseWebhookPayload(JSON.parse(raw.toString('utf8')));
	return events.map((event) => toItemJson(event, { includeRaw: false })).length;
}

function nsPerEvent(
	fn: (raw: Buffer, header: string) => number,
	raw: Buffer,
	header: string,
	events: number,
): number {
	const iterations = Math.max(200, Math.floor(40_000 / events));
	for (let i = 0; i < iterations / 4; i++) fn(raw, header); // warm up
	const start = process.hrtime.bigint();
	for (let i = 0; i < iterations; i++) fn(raw, header);
	return Number(process.hrtime.bigint() - start) / iterations / events;
}

export interface ParseBenchRow {
	events: number;
	floorNs: number;
	oursNs: number;
	ratio: number;
}

export function runParseBench(rounds = 7): ParseBenchRow[] {
	return [1, 10, 100, 1000].map((events) => {
		const raw = batch(events);
		const header = computeSignature(raw, SECRET);
		const floors: number[] = [];
		const mine: number[] = [];
		// Alternate the two so that machine noise hits both alike.
		for (let round = 0; round < rounds; round++) {
			floors.push(nsPerEvent(floor, raw, header, events));
			mine.push(nsPerEvent(ours, raw, header, events));
		}
		const floorNs = median(floors);
		const oursNs = median(mine);
		return { events, floorNs, oursNs, ratio: oursNs / floorNs };
	});
}
