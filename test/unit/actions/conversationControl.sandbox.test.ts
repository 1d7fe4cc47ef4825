/**
 * The Conversation Control and Messenger Profile operations against the Meta sandbox (loopback,
 * real HTTP through n8n-core): ownership, the 10/2018300 refusal, standby routing and the
 * messenger profile round trip.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { HOUR_MS, MetaSandbox, SANDBOX_DEFAULTS } from '../../../sandbox';
import { INSTAGRAM_INBOX_APP_ID } from '../../../sandbox/state/threadOwnership';
import { actionNode, runWorkflow } from '../harness';

const A = SANDBOX_DEFAULTS.instagram;
const B = SANDBOX_DEFAULTS.facebookPage;
const CUSTOMER = SANDBOX_DEFAULTS.customer.id;
const NODE = 'Instagram Messaging';

describe('Conversation Control and Messenger Profile against the sandbox', () => {
	let sandbox: MetaSandbox;
	let credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Conversation Routing is a Facebook Page feature. */
	let pageCredentials: Record<string, ICredentialDataDecryptedObject>;

	beforeAll(async () => {
		sandbox = await MetaSandbox.start();
		credentials = {
			instagramLoginApi: {
				accessToken: A.accessToken,
				appSecret: A.instagramAppSecret,
				apiBaseUrl: sandbox.url,
			},
		};
		pageCredentials = {
			facebookPageApi: {
				accessToken: B.pageAccessToken,
				pageId: B.pageId,
				instagramAccountId: B.igUserId,
				appSecret: B.metaAppSecret,
				addProof: false,
				apiBaseUrl: sandbox.url,
			},
		};
	});
	afterAll(async () => {
		await sandbox.stop();
	});
	beforeEach(async () => {
		sandbox.reset();
		await sandbox.customerSays({
			text: 'I need a human',
			account: 'facebookPage',
			at: sandbox.now() - HOUR_MS,
			deliver: false,
		});
	});

	const node = (parameters: Record<string, unknown>) =>
		actionNode(
			{ authentication: 'facebookPageApi', customerId: CUSTOMER, ...parameters },
			{ credentials: { facebookPageApi: { id: '2', name: 'Page' } } },
		);
	const ownerOfB = () => sandbox.threadOwner(CUSTOMER, 'facebookPage');
	const lastWrote = { windowOptions: { lastCustomerMessageAt: '={{ Date.now() - 3600000 }}' } };

	it('notice, pass, refused send, get owner, take back, send again', async () => {
		const pass = await runWorkflow({
			nodes: [
				node({
					resource: 'conversationControl',
					operation: 'passToHumanInbox',
					options: { notice: 'Connecting you with a person…', metadata: 'escalated' },
					...lastWrote,
				}),
			],
			credentials: pageCredentials,
		});
		expect(pass.output(NODE)[0]?.json).toMatchObject({ customerId: CUSTOMER, action: 'pass', success: true });
		expect(sandbox.sent().map((r) => r.text)).toEqual(['Connecting you with a person…']);
		expect(ownerOfB()).toBe(INSTAGRAM_INBOX_APP_ID);
		// the notice reached Meta before the pass
		const calls = sandbox.requests().map((r) => r.path.replace(/^\/v\d+\.0\/me\//, ''));
		expect(calls).toEqual(['messages', 'pass_thread_control']);

		const refused = await runWorkflow({
			nodes: [
				node({
					resource: 'message',
					operation: 'sendText',
					recipientId: CUSTOMER,
					text: 'Bot here',
					...lastWrote,
				}),
			],
			credentials: pageCredentials,
		});
		expect(refused.error(NODE)?.message).toBe('Another app controls this conversation');

		const owner = await runWorkflow({
			nodes: [
				node({
					resource: 'conversationControl',
					operation: 'getOwner',
					options: { thisAppId: B.metaAppId },
				}),
			],
			credentials: pageCredentials,
		});
		expect(owner.output(NODE)[0]?.json).toEqual({
			customerId: CUSTOMER,
			ownerAppId: INSTAGRAM_INBOX_APP_ID,
			ownedByThisApp: false,
			ownedByInbox: true,
			idle: false,
			heldByUnnamedApp: false,
			expiresAt: expect.any(String),
		});

		const take = await runWorkflow({
			nodes: [node({ resource: 'conversationControl', operation: 'takeControl' })],
			credentials: pageCredentials,
		});
		expect(take.output(NODE)[0]?.json).toEqual({ customerId: CUSTOMER, action: 'take', success: true });
		expect(ownerOfB()).toBe(B.metaAppId);

		const again = await runWorkflow({
			nodes: [
				node({
					resource: 'message',
					operation: 'sendText',
					recipientId: CUSTOMER,
					text: 'Bot here',
					...lastWrote,
				}),
			],
			credentials: pageCredentials,
		});
		expect(again.error(NODE)).toBeUndefined();
		expect(sandbox.sent().map((r) => r.text)).toEqual(['Connecting you with a person…', 'Bot here']);
	});

	it('hand over with the notice: one call, the notice is sent and the inbox holds the thread; without routing nothing happens', async () => {
		const passInNotice = () =>
			runWorkflow({
				nodes: [
					node({
						resource: 'conversationControl',
						operation: 'passToHumanInbox',
						options: { notice: 'Connecting you…', handOverWithNotice: true },
						...lastWrote,
					}),
				],
				credentials: pageCredentials,
			});
		sandbox.state.threads.setRouting(sandbox.facebookPage, false);
		const refused = await passInNotice();
		expect(refused.error(NODE)).toBeDefined();
		expect(sandbox.sent()).toEqual([]);
		expect(ownerOfB()).toBe(B.metaAppId);

		sandbox.state.threads.setRouting(sandbox.facebookPage, true);
		const passed = await passInNotice();
		expect(passed.output(NODE)[0]?.json).toMatchObject({ action: 'pass', success: true });
		expect(sandbox.sent().map((r) => r.text)).toEqual(['Connecting you…']);
		expect(ownerOfB()).toBe(INSTAGRAM_INBOX_APP_ID);
		expect(sandbox.requests().map((r) => r.path.replace(/^\/v\d+\.0\/me\//, ''))).toEqual([
			'messages',
			'messages',
		]);
	});

	it('take without Conversation Routing: error 27 explained, the thread stays with the inbox', async () => {
		sandbox.state.threads.setRouting(sandbox.facebookPage, false);
		await sandbox.inboxTakes({ account: 'facebookPage' });
		const take = await runWorkflow({
			nodes: [node({ resource: 'conversationControl', operation: 'takeControl' })],
			credentials: pageCredentials,
		});
		expect(take.error(NODE)?.message).toBe(
			'Take Control needs Conversation Routing with this app as the default app',
		);
		expect(ownerOfB()).toBe(INSTAGRAM_INBOX_APP_ID);
	});

	it('release leaves the thread idle; request (no routing) while the inbox holds it is accepted', async () => {
		const release = await runWorkflow({
			nodes: [node({ resource: 'conversationControl', operation: 'releaseControl' })],
			credentials: pageCredentials,
		});
		expect(release.output(NODE)[0]?.json).toEqual({ customerId: CUSTOMER, action: 'release', success: true });
		expect(ownerOfB()).toBeNull();

		sandbox.state.threads.setRouting(sandbox.facebookPage, false);
		await sandbox.inboxTakes({ account: 'facebookPage' });
		const request = await runWorkflow({
			nodes: [
				node({
					resource: 'conversationControl',
					operation: 'requestControl',
					options: { metadata: 'customer wrote again' },
				}),
			],
			credentials: pageCredentials,
		});
		expect(request.output(NODE)[0]?.json).toEqual({ customerId: CUSTOMER, action: 'request', success: true });
		expect(sandbox.state.threads.requests).toHaveLength(1);
	});

	it('messenger profile: set ice breakers and menu, get them, delete one', async () => {
		const setIce = await runWorkflow({
			nodes: [
				actionNode({
					resource: 'messengerProfile',
					operation: 'setIceBreakers',
					iceBreakers: {
						question: [
							{ locale: 'default', question: 'Where is my order?', payload: 'IB_ORDER' },
							{ locale: 'de_DE', question: 'Wo ist meine Bestellung?', payload: 'IB_ORDER' },
						],
					},
				}),
			],
			credentials,
		});
		expect(setIce.output(NODE)[0]?.json.success).toBe(true);
		const setMenu = await runWorkflow({
			nodes: [
				actionNode({
					resource: 'messengerProfile',
					operation: 'setPersistentMenu',
					menuItems: {
						item: [{ locale: 'default', type: 'web_url', title: 'Shop', url: 'https://shop.example.com' }],
					},
				}),
			],
			credentials,
		});
		expect(setMenu.output(NODE)[0]?.json.success).toBe(true);

		const get = await runWorkflow({
			nodes: [
				actionNode({
					resource: 'messengerProfile',
					operation: 'get',
					fields: ['ice_breakers', 'persistent_menu'],
				}),
			],
			credentials,
		});
		expect(get.output(NODE)[0]?.json).toEqual({
			iceBreakers: [
				{ call_to_actions: [{ question: 'Where is my order?', payload: 'IB_ORDER' }], locale: 'default' },
				{ call_to_actions: [{ question: 'Wo ist meine Bestellung?', payload: 'IB_ORDER' }], locale: 'de_DE' },
			],
			persistentMenu: [
				{
					locale: 'default',
					call_to_actions: [{ type: 'web_url', title: 'Shop', url: 'https://shop.example.com' }],
				},
			],
		});

		const del = await runWorkflow({
			nodes: [actionNode({ resource: 'messengerProfile', operation: 'delete', fields: ['ice_breakers'] })],
			credentials,
		});
		expect(del.output(NODE)[0]?.json).toEqual({ deleted: ['ice_breakers'], success: true });
		expect(sandbox.state.messengerProfile(A.igUserId)).toEqual({
			persistent_menu: [
				{
					locale: 'default',
					call_to_actions: [{ type: 'web_url', title: 'Shop', url: 'https://shop.example.com' }],
				},
			],
		});
	});
});
