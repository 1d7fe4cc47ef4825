/**
 * A send happens at most once: Meta's answers that may hide a delivered message are reported,
 * never repeated; throttling (Meta did nothing) is retried; after a failure without Continue On
 * Fail no further send starts, and the error says which items were done.
 */
import nock from 'nock';

import { ITEM_CONCURRENCY } from '../../../nodes/InstagramMessaging/actions/router';
import { redactSecrets } from '../../../nodes/InstagramMessaging/transport/redact';
import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import { connectionFor } from '../../../nodes/InstagramMessaging/transport/flavour';
import { currentShare } from '../../../nodes/InstagramMessaging/transport/rateLimit';
import {
	actionNode,
	asFreshProcess,
	CUSTOMER,
	GRAPH,
	instagramLoginCredentials,
	runWorkflow,
	TOKEN,
} from '../harness';

const path = `/${GRAPH_API_VERSION}/me/messages`;

function item(to = CUSTOMER) {
	return { json: { eventType: 'message', customerId: to, timestampMs: Date.now() - 60_000 } };
}

function sendText(extra = {}) {
	return actionNode(
		{
			resource: 'message',
			operation: 'sendText',
			recipientId: '={{ $json.customerId }}',
			text: 'Hello!',
			windowOptions: { lastCustomerMessageAt: '={{ $json.timestampMs }}' },
		},
		extra,
	);
}

/** Counts the POSTs Meta receives; every one is answered with `reply`. */
function countingMeta(status: number, body: object | string, headers: Record<string, string> = {}) {
	const calls: unknown[] = [];
	nock(GRAPH)
		.post(path)
		.times(20)
		.reply(function (_uri, requestBody) {
			calls.push(requestBody);
			return [status, body, headers];
		});
	return calls;
}

const DELIVERED_THEN_ERROR = {
	error: {
		message: 'An unknown error has occurred.',
		type: 'OAuthException',
		code: 1,
		error_subcode: 1357046,
		fbtrace_id: 'AbCdEfTrace1',
	},
};

/** Runs `run` with its backoff sleeps on jest's fake clock (fake timers must be on). */
async function settled<T>(run: Promise<T>): Promise<T> {
	let done = false;
	void run.finally(() => (done = true)).catch(() => undefined);
	while (!done) {
		await new Promise((resolve) => setImmediate(resolve));
		await jest.advanceTimersByTimeAsync(250);
	}
	return await run;
}

describe('a send happens at most once', () => {
	afterEach(() => nock.cleanAll());

	it.each([
		['code 1 / 1357046 (documented: sent, then an error)', 500, DELIVERED_THEN_ERROR],
		[
			'code 1',
			500,
			{ error: { message: 'An unknown error has occurred.', code: 1, fbtrace_id: 'AbCdEfTrace1' } },
		],
		[
			'code 2',
			503,
			{
				error: {
					message: 'Service temporarily unavailable',
					code: 2,
					is_transient: true,
					fbtrace_id: 'AbCdEfTrace1',
				},
			},
		],
		[
			'code 1200',
			500,
			{ error: { message: 'Temporary send message failure', code: 1200, fbtrace_id: 'AbCdEfTrace1' } },
		],
		[
			'an unknown transient error',
			500,
			{ error: { message: 'Try again', code: 9999, is_transient: true, fbtrace_id: 'AbCdEfTrace1' } },
		],
	])('%s: one POST, reported as "may have been delivered" with the trace id', async (_name, status, body) => {
		const calls = countingMeta(status, body);
		const { error } = await runWorkflow({
			nodes: [sendText()],
			credentials: instagramLoginCredentials,
			input: [item()],
		});
		expect(calls).toHaveLength(1);
		const failure = error('Instagram Messaging') as (Error & { description?: string }) | undefined;
		expect(failure?.message).toMatch(/^The message may have been delivered — /);
		expect(failure?.description).toMatch(/^Do not resend blindly/);
		expect(failure?.description).toContain('fbtrace_id AbCdEfTrace1');
		expect(JSON.stringify(failure)).not.toContain(TOKEN);
	});

	it('a bare 5xx with an HTML body: one POST, the trace id from the header, no secret copied', async () => {
		const calls = countingMeta(502, `<html>proxy error for ?access_token=${TOKEN}&x=1</html>`, {
			'x-fb-trace-id': 'HeaderTrace9',
		});
		const { error } = await runWorkflow({
			nodes: [sendText()],
			credentials: instagramLoginCredentials,
			input: [item()],
		});
		expect(calls).toHaveLength(1);
		expect((error('Instagram Messaging') as { description?: string } | undefined)?.description).toContain(
			'fbtrace_id HeaderTrace9',
		);
		expect(JSON.stringify(error('Instagram Messaging'))).not.toContain(TOKEN);
	});

	it('throttling (Meta did not act) is retried and the message goes out once', async () => {
		const scope = nock(GRAPH)
			.post(path)
			.reply(400, { error: { message: 'Calls to this api have exceeded the rate limit.', code: 613 } })
			.post(path)
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_1' });
		const { output } = await runWorkflow({
			nodes: [sendText()],
			credentials: instagramLoginCredentials,
			input: [item()],
		});
		expect(output('Instagram Messaging')[0].json.messageId).toBe('m_1');
		expect(scope.isDone()).toBe(true);
		// Meta's answer also halved this process's pace for the account (other workers may be sending).
		const { accountKey } = connectionFor('instagramLoginApi', instagramLoginCredentials.instagramLoginApi!);
		expect(currentShare(accountKey, 'send')).toBeLessThan(0.6);
	});

	it('throttling five times in a row (workers sharing a cap settle) is still retried, and the message goes out once', async () => {
		const THROTTLED = { error: { message: 'Calls to this api have exceeded the rate limit.', code: 613 } };
		const scope = nock(GRAPH).post(path).times(5).reply(400, THROTTLED).post(path).reply(200, {
			recipient_id: CUSTOMER,
			message_id: 'm_6',
		});
		jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
		try {
			const { output } = await settled(
				runWorkflow({ nodes: [sendText()], credentials: instagramLoginCredentials, input: [item()] }),
			);
			expect(output('Instagram Messaging')[0].json.messageId).toBe('m_6');
			expect(scope.isDone()).toBe(true);
		} finally {
			jest.useRealTimers();
			asFreshProcess(); // the pace was set on the fake clock
		}
	});

	it('a throttled send is tried up to 10 times: sent on the 10th, refused after the 10th', async () => {
		const THROTTLED = { error: { message: 'Calls to this api have exceeded the rate limit.', code: 613 } };
		// n8n's sleep runs on timers: the ~30 s of backoff of each run pass on a fake clock.
		jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
		try {
			const tenth = nock(GRAPH).post(path).times(9).reply(400, THROTTLED).post(path).reply(200, {
				recipient_id: CUSTOMER,
				message_id: 'm_10',
			});
			const sent = await settled(
				runWorkflow({ nodes: [sendText()], credentials: instagramLoginCredentials, input: [item()] }),
			);
			expect(sent.output('Instagram Messaging')[0].json.messageId).toBe('m_10');
			expect(tenth.isDone()).toBe(true);

			asFreshProcess();
			const refused = nock(GRAPH).post(path).times(10).reply(400, THROTTLED).post(path).reply(200, {
				recipient_id: CUSTOMER,
				message_id: 'm_11',
			});
			const failed = await settled(
				runWorkflow({ nodes: [sendText()], credentials: instagramLoginCredentials, input: [item()] }),
			);
			expect(failed.error('Instagram Messaging')).toBeDefined();
			expect(refused.pendingMocks()).toHaveLength(1); // an 11th attempt was never made
		} finally {
			jest.useRealTimers();
			nock.cleanAll();
			asFreshProcess(); // the pace was set on the fake clock
		}
	}, 60_000);

	it('a connection reset during a send: one attempt, "may have been delivered"', async () => {
		const scope = nock(GRAPH)
			.post(path)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.post(path)
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_twice' });
		const { error } = await runWorkflow({
			nodes: [sendText()],
			credentials: instagramLoginCredentials,
			input: [item()],
		});
		expect(error('Instagram Messaging')?.message).toMatch(/^The message may have been delivered — /);
		expect(scope.pendingMocks()).toHaveLength(1); // the second answer was never asked for
	});

	it('reads are still retried after code 2 (repeating a read is harmless)', async () => {
		const scope = nock(GRAPH)
			.get(`/${GRAPH_API_VERSION}/${CUSTOMER}`)
			.query(true)
			.reply(503, { error: { message: 'Service temporarily unavailable', code: 2, is_transient: true } })
			.get(`/${GRAPH_API_VERSION}/${CUSTOMER}`)
			.query(true)
			.reply(200, { id: CUSTOMER, username: 'jane', name: 'Jane' });
		const { output } = await runWorkflow({
			nodes: [actionNode({ resource: 'user', operation: 'getProfile', userId: CUSTOMER })],
			credentials: instagramLoginCredentials,
			input: [{ json: {} }],
		});
		expect(scope.isDone()).toBe(true);
		expect(output('Instagram Messaging')).toHaveLength(1);
	});

	it('after a failed item (Continue On Fail off) no further send starts, and the error lists what was done', async () => {
		const calls: Array<{ recipient: { id: string } }> = [];
		// Four times the worker count, so that most items are left "not run" when the run halts.
		const count = ITEM_CONCURRENCY * 4;
		nock(GRAPH)
			.post(path)
			.times(count)
			.reply(function (_uri, body) {
				const request = body as { recipient: { id: string } };
				calls.push(request);
				return calls.length === 1
					? [200, { recipient_id: request.recipient.id, message_id: 'm_first' }]
					: [400, { error: { message: 'Invalid parameter', code: 100 } }];
			});
		// One item per customer: the first POST succeeds, the second fails; at most the other
		// workers' sends already on the wire reach Meta after that, none started later.
		const input = Array.from({ length: count }, (_, i) => item(`99${String(i).padStart(14, '0')}`));
		const { error } = await runWorkflow({
			nodes: [sendText()],
			credentials: instagramLoginCredentials,
			input,
		});
		const failure = error('Instagram Messaging') as (Error & { description?: string }) | undefined;
		expect(failure?.message).toBe('Meta rejected a parameter of the request');
		const report = /The node stopped at item (\d+): no further item was started\. (.*)$/.exec(
			failure?.description ?? '',
		);
		expect(report).not.toBeNull();
		const listed = (label: string) => {
			const m = new RegExp(`${label}: items ([^.]+)\\.`).exec(report?.[2] ?? '');
			return (m?.[1] ?? '')
				.split(', ')
				.filter(Boolean)
				.flatMap((part) => {
					const [from, to = from] = part.split('–').map(Number);
					return Array.from({ length: to - from + 1 }, (_, k) => from + k);
				});
		};
		const done = listed('Done');
		const alsoFailed = listed('Also failed');
		const notRun = listed('Not run');
		// Every item is accounted for exactly once, and what reached Meta is exactly done + failed.
		expect(done).toHaveLength(1);
		expect(done.length + alsoFailed.length + 1 + notRun.length).toBe(count);
		expect(calls).toHaveLength(done.length + alsoFailed.length + 1);
		// At most what the other workers had already started reached Meta after the failure.
		expect(calls.length).toBeLessThanOrEqual(ITEM_CONCURRENCY + 1);
		expect(notRun.length).toBeGreaterThanOrEqual(count - ITEM_CONCURRENCY - 2);
	});
});

describe('secrets stay out of copied error text', () => {
	it.each([
		['a query string', 'https://x/?access_token=IGAAsecretvalue123&x=1', 'IGAAsecretvalue123'],
		['URL-encoded', 'next=%2Fme%3Faccess_token%3DEAAsecretvalue456', 'EAAsecretvalue456'],
		[
			'a Bearer header echoed',
			'Authorization: Bearer 880000000000001|abcdefabcdefabcdef12',
			'abcdefabcdefabcdef12',
		],
		['JSON', '{"client_secret":"s3cr3t-value"}', 's3cr3t-value'],
		['a bare page token', 'token EAABwzLixnjYBOZBtoken123 rejected', 'EAABwzLixnjYBOZBtoken123'],
	])('%s', (_name, text, secret) => {
		expect(redactSecrets(text)).not.toContain(secret);
	});
});
