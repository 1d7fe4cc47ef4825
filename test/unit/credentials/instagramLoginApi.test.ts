import nock from 'nock';

import { fingerprint } from '../../../nodes/InstagramMessaging/transport/fingerprint';
import {
	DAY_MS,
	HOUR_MS,
	UNKNOWN_EXPIRY_SPREAD_MS,
} from '../../../nodes/InstagramMessaging/transport/tokenRules';
import { InstagramLoginApi } from '../../../credentials/InstagramLoginApi.credentials';
import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import { actionNode, APP_SECRET, asFreshProcess, CUSTOMER, GRAPH, runWorkflow, TOKEN } from '../harness';

const sendPath = `/${GRAPH_API_VERSION}/me/messages`;
const NEW_TOKEN = 'IGAA-refreshed-token-2';
const SIXTY_DAYS_S = 60 * 24 * 3600;

function inbound() {
	const timestampMs = Date.now() - 60_000;
	return {
		json: {
			eventType: 'message',
			customerId: CUSTOMER,
			timestampMs,
			windowExpiresAt: new Date(timestampMs + DAY_MS).toISOString(),
		},
	};
}

const sendNode = () =>
	actionNode({ resource: 'message', operation: 'sendText', recipientId: CUSTOMER, text: 'Hello!' });

/** Stored credential: the pasted token plus what an earlier refresh saved. */
function stored(
	state: { current?: string; issuedAgoMs?: number; expiresInMs?: number | null; source?: string } = {},
) {
	const now = Date.now();
	const base = { accessToken: TOKEN, appSecret: APP_SECRET };
	if (state.issuedAgoMs === undefined) return { instagramLoginApi: base };
	return {
		instagramLoginApi: {
			...base,
			refreshCheck: '',
			currentToken: state.current ?? TOKEN,
			tokenSource: fingerprint(state.source ?? TOKEN),
			tokenIssuedAt: String(now - state.issuedAgoMs),
			tokenExpiresAt:
				state.expiresInMs === null || state.expiresInMs === undefined ? '' : String(now + state.expiresInMs),
		},
	};
}

function sendReply(token: string) {
	return nock(GRAPH, { reqheaders: { authorization: `Bearer ${token}` } })
		.post(sendPath)
		.reply(200, { recipient_id: CUSTOMER, message_id: 'm_1' });
}

function refreshReply(
	token: string,
	status = 200,
	body: object = { access_token: NEW_TOKEN, token_type: 'bearer', expires_in: SIXTY_DAYS_S },
) {
	return nock(GRAPH)
		.get('/refresh_access_token')
		.query({ grant_type: 'ig_refresh_token', access_token: token })
		.reply(status, body);
}

describe('Instagram Login (access token): refresh kept in the credential', () => {
	beforeEach(() => asFreshProcess());
	it('declares the expirable hidden field n8n needs to run preAuthentication', () => {
		const type = new InstagramLoginApi();
		const expirable = type.properties.filter((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		expect(expirable.map((p) => p.name)).toEqual(['refreshCheck']);
		expect(expirable[0].default).toBe('');
		expect(typeof type.preAuthentication).toBe('function');
	});

	it('first use: records the pasted token without any extra call, and signs with it', async () => {
		const send = sendReply(TOKEN);
		const before = Date.now();
		const { output, credentials } = await runWorkflow({
			nodes: [sendNode()],
			credentials: stored(),
			input: [inbound()],
		});
		expect(output('Instagram Messaging')[0].json.messageId).toBe('m_1');
		expect(send.isDone()).toBe(true);
		expect(credentials.writes).toHaveLength(1);
		const saved = credentials.writes[0].data;
		expect(saved).toMatchObject({
			accessToken: TOKEN,
			currentToken: TOKEN,
			tokenSource: fingerprint(TOKEN),
			tokenExpiresAt: '',
			refreshCheck: '',
		});
		expect(Number(saved.tokenIssuedAt)).toBeGreaterThanOrEqual(before);
		expect(Number(saved.tokenIssuedAt)).toBeLessThanOrEqual(Date.now());
	});

	it('23 h 59 min after first sight: no refresh, no write', async () => {
		const refresh = refreshReply(TOKEN);
		const send = sendReply(TOKEN);
		const { credentials } = await runWorkflow({
			nodes: [sendNode()],
			credentials: stored({ issuedAgoMs: 23 * HOUR_MS + 59 * 60_000 }),
			input: [inbound()],
		});
		expect(send.isDone()).toBe(true);
		expect(refresh.isDone()).toBe(false);
		expect(credentials.writes).toHaveLength(0);
	});

	it("24 h after first sight (and this process's place in the hour after): refreshes, signs the call with the new token and saves it with its lifetime", async () => {
		const refresh = refreshReply(TOKEN);
		const send = sendReply(NEW_TOKEN);
		const before = Date.now();
		const { credentials } = await runWorkflow({
			nodes: [sendNode()],
			credentials: stored({ issuedAgoMs: DAY_MS + UNKNOWN_EXPIRY_SPREAD_MS }),
			input: [inbound()],
		});
		expect(refresh.isDone()).toBe(true);
		expect(send.isDone()).toBe(true);
		expect(credentials.writes).toHaveLength(1);
		const saved = credentials.writes[0].data;
		expect(saved.accessToken).toBe(TOKEN);
		expect(saved.currentToken).toBe(NEW_TOKEN);
		expect(saved.tokenSource).toBe(fingerprint(TOKEN));
		const issuedAt = Number(saved.tokenIssuedAt);
		expect(issuedAt).toBeGreaterThanOrEqual(before);
		expect(Number(saved.tokenExpiresAt)).toBe(issuedAt + SIXTY_DAYS_S * 1000);
		// The stored credential is what the next execution reads.
		expect(credentials.data.instagramLoginApi.currentToken).toBe(NEW_TOKEN);
	});

	it('a saved 60-day token a minute before its last 10 days is left alone; 5 days before expiry (the latest any process waits) it is refreshed from the saved token', async () => {
		let refresh = refreshReply(NEW_TOKEN);
		let send = sendReply(NEW_TOKEN);
		let run = await runWorkflow({
			nodes: [sendNode()],
			credentials: stored({
				current: NEW_TOKEN,
				issuedAgoMs: 50 * DAY_MS - 60_000,
				expiresInMs: 10 * DAY_MS + 60_000,
			}),
			input: [inbound()],
		});
		expect(send.isDone()).toBe(true);
		expect(refresh.isDone()).toBe(false);
		expect(run.credentials.writes).toHaveLength(0);
		nock.cleanAll();

		refresh = refreshReply(NEW_TOKEN, 200, {
			access_token: 'IGAA-third',
			token_type: 'bearer',
			expires_in: SIXTY_DAYS_S,
		});
		send = sendReply('IGAA-third');
		run = await runWorkflow({
			nodes: [sendNode()],
			credentials: stored({ current: NEW_TOKEN, issuedAgoMs: 55 * DAY_MS, expiresInMs: 5 * DAY_MS }),
			input: [inbound()],
		});
		expect(refresh.isDone()).toBe(true);
		expect(send.isDone()).toBe(true);
		expect(run.credentials.writes[0].data.currentToken).toBe('IGAA-third');
	});

	it("a run whose copy of the credential comes due reads it again: another worker's refreshed token is used, not refreshed once more", async () => {
		// A token of 2 s: due at 1 s, in this process between 1 and 1.5 s.
		const store = stored({ current: TOKEN, issuedAgoMs: 0, expiresInMs: 2_000 });
		const refresh = refreshReply(TOKEN);
		const first = nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.post(sendPath)
			.delay(1_600)
			.reply(() => {
				// Meanwhile another worker refreshed the token, and n8n saved it.
				Object.assign(store.instagramLoginApi, {
					currentToken: 'IGAA-other-worker',
					tokenIssuedAt: String(Date.now()),
					tokenExpiresAt: String(Date.now() + SIXTY_DAYS_S * 1000),
				});
				return [200, { recipient_id: CUSTOMER, message_id: 'm_1' }];
			});
		const second = sendReply('IGAA-other-worker');
		const { output } = await runWorkflow({
			nodes: [sendNode()],
			credentials: store,
			input: [inbound(), inbound()],
		});
		expect(output('Instagram Messaging').map((item) => item.json.messageId)).toEqual(['m_1', 'm_1']);
		expect(first.isDone()).toBe(true);
		expect(second.isDone()).toBe(true);
		expect(refresh.isDone()).toBe(false);
	});

	it('an expired token: the refresh is refused, nothing is saved, and the node says to reconnect without leaking the token', async () => {
		const expired = {
			error: {
				message: 'Error validating access token: Session has expired on Thursday, 01-Jan-26 00:00:00 PST.',
				type: 'OAuthException',
				code: 190,
				error_subcode: 463,
				fbtrace_id: 'A1',
			},
		};
		const refresh = refreshReply(NEW_TOKEN, 400, expired);
		const send = nock(GRAPH).post(sendPath).reply(400, expired);
		const { credentials, error } = await runWorkflow({
			nodes: [sendNode()],
			credentials: stored({ current: NEW_TOKEN, issuedAgoMs: 61 * DAY_MS, expiresInMs: -DAY_MS }),
			input: [inbound()],
		});
		expect(refresh.isDone()).toBe(true);
		expect(send.isDone()).toBe(true);
		expect(credentials.writes).toHaveLength(0);
		const failure = error('Instagram Messaging') as Error & { description?: string };
		expect(failure.message).toBe('The access token has expired');
		expect(failure.description).toMatch(/reconnect/i);
		const text = JSON.stringify(failure) + failure.message + String(failure.description);
		expect(text).not.toContain(NEW_TOKEN);
		expect(text).not.toContain(TOKEN);
	});

	it('a newly pasted token replaces the saved one (the saved state belonged to the old token)', async () => {
		const send = sendReply(TOKEN);
		const { credentials } = await runWorkflow({
			nodes: [sendNode()],
			credentials: stored({
				current: 'IGAA-from-an-old-token',
				source: 'IGAA-old-pasted',
				issuedAgoMs: 2 * DAY_MS,
			}),
			input: [inbound()],
		});
		expect(send.isDone()).toBe(true);
		expect(credentials.writes[0].data).toMatchObject({
			currentToken: TOKEN,
			tokenSource: fingerprint(TOKEN),
		});
	});
});
