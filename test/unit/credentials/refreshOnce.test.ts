/**
 * One refresh per token at a time, and a failed refresh backs off instead of running on every
 * request (concurrent items used to refresh each; a failure was retried on every call).
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { maintainInstagramToken, persistState } from '../../../credentials/common/instagramToken';
import { REFRESH_BACKOFF_MS } from '../../../credentials/common/tokenRefresh';
import { DAY_MS } from '../../../nodes/InstagramMessaging/transport/tokenRules';
import { n8nRequestHelpers } from '../harness';

type Reply = { statusCode: number; body: IDataObject };

/** Meta's refresh endpoint at the network boundary, behind n8n's own request helper. */
function fakeMeta(answer: () => Reply, delayMs = 20) {
	const calls: string[] = [];
	nock('https://graph.instagram.com')
		.persist()
		.get(/^\/refresh_access_token/)
		.delay(delayMs)
		.reply(function (uri) {
			calls.push(uri);
			const { statusCode, body } = answer();
			return [statusCode, body];
		});
	return { helpers: n8nRequestHelpers(), calls };
}

/** A stored credential whose token (unique per test) is 55 days into its 60. */
function dueCredential(token: string, now: number) {
	return {
		accessToken: token,
		...persistState({ token, issuedAt: now - 55 * DAY_MS, expiresAt: now + 5 * DAY_MS }, token),
	};
}

describe('token refresh: once at a time, backing off after a failure', () => {
	afterEach(() => nock.cleanAll());

	it('20 concurrent requests with a due token: one refresh call, all get the new token', async () => {
		const now = Date.now();
		const { helpers, calls } = fakeMeta(() => ({
			statusCode: 200,
			body: { access_token: 'IGAA-new-shared', expires_in: 5_184_000 },
		}));
		const credentials = dueCredential('IGAA-due-concurrent', now);
		const results = await Promise.all(
			Array.from({ length: 20 }, () =>
				maintainInstagramToken(helpers, credentials, {
					sourceToken: 'IGAA-due-concurrent',
					baseUrl: 'https://graph.instagram.com',
					now,
				}),
			),
		);
		expect(calls).toHaveLength(1);
		for (const r of results) expect(r.currentToken).toBe('IGAA-new-shared');
	});

	it('a failed refresh is not tried again before its backoff, then tried once more', async () => {
		const now = Date.now();
		const { helpers, calls } = fakeMeta(() => ({
			statusCode: 400,
			body: { error: { message: 'Error validating access token', code: 190 } },
		}));
		const credentials = dueCredential('IGAA-due-failing', now);
		const options = { sourceToken: 'IGAA-due-failing', baseUrl: 'https://graph.instagram.com' };
		expect(await maintainInstagramToken(helpers, credentials, { ...options, now })).toEqual({});
		for (let i = 1; i <= 50; i++)
			await maintainInstagramToken(helpers, credentials, { ...options, now: now + i * 1000 });
		expect(calls).toHaveLength(1);
		await maintainInstagramToken(helpers, credentials, { ...options, now: now + REFRESH_BACKOFF_MS + 1 });
		expect(calls).toHaveLength(2);
		// The second failure doubles the wait.
		await maintainInstagramToken(helpers, credentials, { ...options, now: now + 2 * REFRESH_BACKOFF_MS + 2 });
		expect(calls).toHaveLength(2);
	});
});
