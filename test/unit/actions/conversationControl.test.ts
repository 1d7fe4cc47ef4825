import nock from 'nock';

import {
	GRAPH_API_VERSION,
	INSTAGRAM_INBOX_APP_ID,
} from '../../../nodes/InstagramMessaging/transport/constants';
import { actionNode, CUSTOMER, instagramLoginCredentials, runWorkflow } from '../harness';
import { facebookPageCredentials, GRAPH_FB as GRAPH, PAGE_TOKEN as TOKEN } from './conversationHelpers';

const V = `/${GRAPH_API_VERSION}/me`;
const HOUR = 3_600_000;
const OTHER = '2222222222222222';

/** An inbound message item as the trigger emits it (opens the window for the notice). */
function inbound(customerId = CUSTOMER, ageMs = 60_000) {
	const timestampMs = Date.now() - ageMs;
	return {
		json: {
			eventType: 'message',
			customerId,
			timestampMs,
			windowExpiresAt: new Date(timestampMs + 24 * HOUR).toISOString(),
			text: 'I want a person',
		},
	};
}

/** Conversation Routing is a Facebook Page feature: every operation runs with the Page credential. */
function control(operation: string, parameters: Record<string, unknown> = {}, extra = {}) {
	return actionNode(
		{
			authentication: 'facebookPageApi',
			resource: 'conversationControl',
			operation,
			customerId: '={{ $json.customerId }}',
			...parameters,
		},
		{ credentials: { facebookPageApi: { id: '2', name: 'Page' } }, ...extra },
	);
}

async function run(node: ReturnType<typeof control>, input = [inbound()]) {
	return await runWorkflow({ nodes: [node], credentials: facebookPageCredentials, input });
}

describe('Conversation Control needs the Facebook Page setup', () => {
	it.each(['passToHumanInbox', 'takeControl', 'releaseControl', 'requestControl', 'getOwner'])(
		'%s with an Instagram Login credential is refused before any call to Meta',
		async (operation) => {
			const { error } = await runWorkflow({
				nodes: [
					actionNode({ resource: 'conversationControl', operation, customerId: '={{ $json.customerId }}' }),
				],
				credentials: instagramLoginCredentials,
				input: [inbound()],
			});
			const failure = error('Instagram Messaging') as Error & { description?: string };
			expect(failure.message).toBe(
				'This operation is not available with Instagram API with Instagram Login (graph.instagram.com)',
			);
			expect(failure.description).toContain(
				'Instagram messaging through a Facebook Page (graph.facebook.com)',
			);
			expect(nock.pendingMocks()).toEqual([]);
		},
	);
});

describe('Conversation Control → Pass to Human Inbox', () => {
	it('passes the thread to the Instagram Inbox with the exact body and bearer token', async () => {
		const scope = nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.post(`${V}/pass_thread_control`, {
				recipient: { id: CUSTOMER },
				target_app_id: INSTAGRAM_INBOX_APP_ID,
				metadata: 'escalated by bot',
			})
			.reply(200, { success: true });
		const { output } = await run(control('passToHumanInbox', { options: { metadata: 'escalated by bot' } }));
		expect(output('Instagram Messaging')).toEqual([
			{
				json: {
					customerId: CUSTOMER,
					action: 'pass',
					success: true,
					targetAppId: INSTAGRAM_INBOX_APP_ID,
					toInstagramInbox: true,
					noticeMessageId: null,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('sends the notice to the customer first, then passes control (order asserted)', async () => {
		const order: string[] = [];
		const scope = nock(GRAPH)
			.post(`${V}/messages`, {
				recipient: { id: CUSTOMER },
				messaging_type: 'RESPONSE',
				message: { text: 'Connecting you with a person…' },
			})
			.reply(200, () => {
				order.push('notice');
				return { recipient_id: CUSTOMER, message_id: 'm_notice' };
			})
			.post(`${V}/pass_thread_control`, {
				recipient: { id: CUSTOMER },
				target_app_id: INSTAGRAM_INBOX_APP_ID,
			})
			.reply(200, () => {
				order.push('pass');
				return { success: true };
			});
		const { output } = await run(
			control('passToHumanInbox', { options: { notice: 'Connecting you with a person…' } }),
		);
		expect(order).toEqual(['notice', 'pass']);
		expect(output('Instagram Messaging')[0]?.json).toMatchObject({
			success: true,
			noticeMessageId: 'm_notice',
		});
		expect(scope.isDone()).toBe(true);
	});

	it('with Hand Over With the Notice, one Send API call carries thread_control; no separate pass', async () => {
		const scope = nock(GRAPH)
			.post(`${V}/messages`, {
				recipient: { id: CUSTOMER },
				messaging_type: 'RESPONSE',
				message: { text: 'Connecting you with a person…' },
				thread_control: { app_id: INSTAGRAM_INBOX_APP_ID, control_type: 'pass' },
			})
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_notice' });
		const { output } = await run(
			control('passToHumanInbox', {
				options: { notice: 'Connecting you with a person…', handOverWithNotice: true },
			}),
		);
		expect(output('Instagram Messaging')[0]?.json).toMatchObject({
			action: 'pass',
			success: true,
			noticeMessageId: 'm_notice',
		});
		expect(scope.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('refuses Metadata with Hand Over With the Notice before any call (a send carries no metadata)', async () => {
		const { error } = await run(
			control('passToHumanInbox', {
				options: { notice: 'One moment', handOverWithNotice: true, metadata: 'escalated' },
			}),
		);
		expect(error('Instagram Messaging')?.message).toBe('Metadata cannot go with Hand Over With the Notice');
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('does not pass control when Meta refuses the notice (another app already holds the thread)', async () => {
		const scope = nock(GRAPH)
			.post(`${V}/messages`)
			.reply(400, {
				error: {
					message: '(#10) Another app is controlling this thread.',
					type: 'OAuthException',
					code: 10,
					error_subcode: 2018300,
				},
			});
		const { error } = await run(control('passToHumanInbox', { options: { notice: 'One moment' } }));
		expect(error('Instagram Messaging')?.message).toBe('Another app controls this conversation');
		expect(scope.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('refuses a bot notice outside the 24-hour window before calling Meta', async () => {
		const { error } = await run(control('passToHumanInbox', { options: { notice: 'One moment' } }), [
			inbound(CUSTOMER, 25 * HOUR),
		]);
		expect(error('Instagram Messaging')?.message).toBe(
			'Outside the 24-hour messaging window: the customer last wrote 25 hours ago',
		);
	});

	it('passes to another app by id', async () => {
		const scope = nock(GRAPH)
			.post(`${V}/pass_thread_control`, { recipient: { id: CUSTOMER }, target_app_id: '555000000000001' })
			.reply(200, { success: true });
		const { output } = await run(
			control('passToHumanInbox', { target: 'app', targetAppId: '555000000000001' }),
		);
		expect(output('Instagram Messaging')[0]?.json).toMatchObject({
			targetAppId: '555000000000001',
			toInstagramInbox: false,
		});
		expect(scope.isDone()).toBe(true);
	});

	it.each([
		[
			'a username as customer',
			{ customerId: 'jane.doe' },
			'Customer ID "jane.doe" is not an Instagram-scoped ID',
		],
		[
			'a non-numeric target app',
			{ target: 'app', targetAppId: 'helpdesk' },
			'Target App ID "helpdesk" is not a Meta app ID',
		],
		[
			'metadata over 1000 characters',
			{ options: { metadata: 'x'.repeat(1001) } },
			'Metadata is too long: 1001 characters, Meta accepts at most 1000',
		],
		[
			'a notice over 1000 bytes',
			{ options: { notice: 'ä'.repeat(501) } },
			'Notice to Customer is too long: 1002 bytes, Instagram accepts at most 1000',
		],
	])('refuses %s before any call', async (_name, parameters, message) => {
		const { error } = await run(control('passToHumanInbox', parameters));
		expect(error('Instagram Messaging')?.message).toBe(message);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('keeps going with Continue On Fail: one good and one bad item, each paired', async () => {
		const scope = nock(GRAPH)
			.post(`${V}/pass_thread_control`, {
				recipient: { id: CUSTOMER },
				target_app_id: INSTAGRAM_INBOX_APP_ID,
			})
			.reply(200, { success: true });
		const { output } = await run(control('passToHumanInbox', {}, { onError: 'continueRegularOutput' }), [
			inbound(CUSTOMER),
			inbound('not-an-id'),
		]);
		const items = output('Instagram Messaging');
		expect(items).toHaveLength(2);
		expect(items[0]).toMatchObject({
			json: { customerId: CUSTOMER, success: true },
			pairedItem: { item: 0 },
		});
		expect(items[1]).toEqual({
			json: {
				error: 'Customer ID "not-an-id" is not an Instagram-scoped ID',
				details: expect.stringContaining('{{ $json.customerId }}'),
			},
			pairedItem: { item: 1 },
		});
		expect(scope.isDone()).toBe(true);
	});
});

describe('Conversation Control → Take, Release, Request', () => {
	it('take posts recipient and metadata', async () => {
		const scope = nock(GRAPH)
			.post(`${V}/take_thread_control`, { recipient: { id: CUSTOMER }, metadata: 'bot resumes' })
			.reply(200, { success: true });
		const { output } = await run(control('takeControl', { options: { metadata: 'bot resumes' } }));
		expect(output('Instagram Messaging')).toEqual([
			{ json: { customerId: CUSTOMER, action: 'take', success: true }, pairedItem: { item: 0 } },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('release posts the recipient, and metadata when given (Conversation Control APIs, Jun 21 2026)', async () => {
		const withMetadata = nock(GRAPH)
			.post(`${V}/release_thread_control`, { recipient: { id: OTHER }, metadata: 'handed back' })
			.reply(200, { success: true });
		await run(control('releaseControl', { options: { metadata: 'handed back' } }), [inbound(OTHER)]);
		expect(withMetadata.isDone()).toBe(true);
		const scope = nock(GRAPH)
			.post(`${V}/release_thread_control`, { recipient: { id: OTHER } })
			.reply(200, { success: true });
		const { output } = await run(control('releaseControl'), [inbound(OTHER)]);
		expect(output('Instagram Messaging')[0]?.json).toEqual({
			customerId: OTHER,
			action: 'release',
			success: true,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('request posts recipient (metadata optional) and one call per item, in item order', async () => {
		const scope = nock(GRAPH)
			.post(`${V}/request_thread_control`, { recipient: { id: CUSTOMER } })
			.reply(200, { success: true })
			.post(`${V}/request_thread_control`, { recipient: { id: OTHER } })
			.reply(200, { success: true });
		const { output } = await run(control('requestControl'), [inbound(CUSTOMER), inbound(OTHER)]);
		expect(
			output('Instagram Messaging').map((i) => [i.json.customerId, i.json.action, i.pairedItem]),
		).toEqual([
			[CUSTOMER, 'request', { item: 0 }],
			[OTHER, 'request', { item: 1 }],
		]);
		expect(scope.isDone()).toBe(true);
	});

	it("explains Meta's refusal when this app is not the primary app", async () => {
		nock(GRAPH)
			.post(`${V}/take_thread_control`)
			.reply(400, {
				error: {
					message: '(#10) Only the primary receiver app can take thread control',
					type: 'OAuthException',
					code: 10,
				},
			});
		const { error } = await run(control('takeControl'));
		const failure = error('Instagram Messaging') as Error & { httpCode?: string };
		expect(failure.message).toBe('The token is missing a permission for this call');
		expect(failure.httpCode).toBe('400');
		expect(JSON.stringify(failure)).not.toContain(TOKEN);
	});

	it('explains error 27: take needs Conversation Routing', async () => {
		nock(GRAPH)
			.post(`${V}/take_thread_control`)
			.reply(400, {
				error: {
					message: '(#27) Take thread control is not supported when Conversation Routing is not enabled.',
					type: 'OAuthException',
					code: 27,
				},
			});
		const { error } = await run(control('takeControl'));
		const failure = error('Instagram Messaging') as Error & { description?: string };
		expect(failure.message).toBe('Take Control needs Conversation Routing with this app as the default app');
		expect(failure.description).toContain('Request Control');
	});

	it('accepts success as the string "true" too', async () => {
		nock(GRAPH).post(`${V}/release_thread_control`).reply(200, { success: 'true' });
		const { output } = await run(control('releaseControl'));
		expect(output('Instagram Messaging')[0]?.json).toMatchObject({ action: 'release', success: true });
	});

	it('refuses a bad customer id before any call', async () => {
		const { error } = await run(control('releaseControl', { customerId: '@jane' }));
		expect(error('Instagram Messaging')?.message).toBe('Customer ID "@jane" is not an Instagram-scoped ID');
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('Conversation Control → Get Owner', () => {
	const owner = (appId?: string) =>
		nock(GRAPH)
			.get(`${V}/thread_owner`)
			.query({ recipient: CUSTOMER })
			.reply(200, appId ? { data: [{ thread_owner: { app_id: appId } }] } : { data: [] });

	it('reports the Instagram Inbox as owner', async () => {
		const scope = owner(INSTAGRAM_INBOX_APP_ID);
		const { output } = await run(control('getOwner'));
		expect(output('Instagram Messaging')).toEqual([
			{
				json: {
					customerId: CUSTOMER,
					ownerAppId: INSTAGRAM_INBOX_APP_ID,
					ownedByThisApp: null,
					ownedByInbox: true,
					idle: false,
					heldByUnnamedApp: false,
					expiresAt: null,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('says whether this app holds the thread when its app id is given', async () => {
		const scope = owner('990000000000001');
		const { output } = await run(control('getOwner', { options: { thisAppId: '990000000000001' } }));
		expect(output('Instagram Messaging')[0]?.json).toEqual({
			customerId: CUSTOMER,
			ownerAppId: '990000000000001',
			ownedByThisApp: true,
			ownedByInbox: false,
			idle: false,
			heldByUnnamedApp: false,
			expiresAt: null,
		});
		expect(scope.isDone()).toBe(true);
	});

	it("counts the Facebook Page Inbox as a person's inbox too", async () => {
		const scope = owner('263902037430900');
		const { output } = await run(control('getOwner'));
		expect(output('Instagram Messaging')[0]?.json).toMatchObject({
			ownerAppId: '263902037430900',
			ownedByInbox: true,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('an empty answer means the thread is idle', async () => {
		const scope = owner();
		const { output } = await run(control('getOwner', { options: { thisAppId: '990000000000001' } }));
		expect(output('Instagram Messaging')[0]?.json).toEqual({
			customerId: CUSTOMER,
			ownerAppId: null,
			ownedByThisApp: false,
			ownedByInbox: false,
			idle: true,
			heldByUnnamedApp: false,
			expiresAt: null,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('an expiration without app id: held by an app Meta does not name, so not this app and not idle', async () => {
		const scope = nock(GRAPH)
			.get(`${V}/thread_owner`)
			.query({ recipient: CUSTOMER })
			.reply(200, { data: [{ thread_owner: { expiration: 1796000000 } }] });
		const { output } = await run(control('getOwner', { options: { thisAppId: '990000000000001' } }));
		expect(output('Instagram Messaging')[0]?.json).toEqual({
			customerId: CUSTOMER,
			ownerAppId: null,
			ownedByThisApp: false,
			ownedByInbox: null,
			idle: false,
			heldByUnnamedApp: true,
			expiresAt: new Date(1796000000 * 1000).toISOString(),
		});
		expect(scope.isDone()).toBe(true);
	});

	it('Continue On Fail: a Meta error on one item, a result on the other', async () => {
		nock(GRAPH)
			.get(`${V}/thread_owner`)
			.query({ recipient: CUSTOMER })
			.reply(200, { data: [{ thread_owner: { app_id: INSTAGRAM_INBOX_APP_ID } }] })
			.get(`${V}/thread_owner`)
			.query({ recipient: OTHER })
			.reply(400, {
				error: {
					message: '(#100) No matching user found',
					type: 'OAuthException',
					code: 100,
					error_subcode: 2018001,
				},
			});
		const { output } = await run(control('getOwner', {}, { onError: 'continueRegularOutput' }), [
			inbound(CUSTOMER),
			inbound(OTHER),
		]);
		const items = output('Instagram Messaging');
		expect(items[0]).toMatchObject({ json: { ownedByInbox: true }, pairedItem: { item: 0 } });
		expect(items[1]).toMatchObject({
			json: { error: 'No matching Instagram user: the recipient id is not a customer of this account' },
			pairedItem: { item: 1 },
		});
	});
});
