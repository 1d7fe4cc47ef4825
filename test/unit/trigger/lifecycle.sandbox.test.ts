/**
 * The Automatic subscription against the sandbox, which answers as Meta documents: the Meta app
 * on `/{app-id}/subscriptions`, the Instagram app id in graph.instagram.com's `subscribed_apps`,
 * only the field names Meta lists (docs/meta-fidelity.md).
 */
import http from 'http';
import type { AddressInfo } from 'net';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { MetaSandbox } from '../../../sandbox';
import { triggerNode } from '../harness';
import { automaticNode, callHook, pageTriggerNode, workflowFor } from './helpers';

const ALL_EVENTS = [
	'message',
	'echo',
	'message_deleted',
	'message_unsupported',
	'message_edit',
	'reaction',
	'unreaction',
	'seen',
	'postback',
	'referral',
	'optin',
	'handover_pass',
	'handover_take',
	'handover_request',
	'handover_metadata',
	'app_roles',
	'policy_enforcement',
	'comment',
	'live_comment',
	'mention',
];

/** n8n's webhook URLs, answering Meta's verification handshake. */
async function handshakeServer(verifyToken: string) {
	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		const ok = url.searchParams.get('hub.verify_token') === verifyToken;
		res.writeHead(ok ? 200 : 403).end(ok ? url.searchParams.get('hub.challenge') : 'no');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('Automatic subscription against the sandbox', () => {
	let sandbox: MetaSandbox;
	let n8n: { base: string; close: () => Promise<void> };

	beforeAll(async () => {
		sandbox = await MetaSandbox.start();
		n8n = await handshakeServer('unit-verify-token');
	});
	afterAll(async () => {
		await n8n.close();
		await sandbox.stop();
	});
	beforeEach(() => {
		sandbox.reset();
		sandbox.state.clearSubscriptions();
	});

	const sandboxUrl = () => ({ apiBaseUrl: sandbox.url });
	const igCredentials = (app: {
		appId: string;
		appSecret: string;
	}): Record<string, ICredentialDataDecryptedObject> => ({
		instagramLoginApi: {
			accessToken: sandbox.instagram.accessToken,
			appSecret: sandbox.instagram.instagramAppSecret,
			...sandboxUrl(),
		},
		metaAppApi: { ...app, ...sandboxUrl() },
	});
	const pageCredentials = (): Record<string, ICredentialDataDecryptedObject> => {
		const page = sandbox.facebookPage;
		return {
			facebookPageApi: {
				accessToken: page.pageAccessToken,
				pageId: page.pageId,
				instagramAccountId: page.igUserId,
				appSecret: page.metaAppSecret,
				addProof: false,
				...sandboxUrl(),
			},
			metaAppApi: { appId: page.metaAppId, appSecret: page.metaAppSecret, ...sandboxUrl() },
		};
	};
	const metaAppOfInstagram = () => ({
		appId: sandbox.instagram.metaAppId,
		appSecret: sandbox.instagram.metaAppSecret,
	});

	it('Instagram Login: an account subscribed before activation stays subscribed after deactivation', async () => {
		const ig = sandbox.instagram;
		// Subscribed in Meta's dashboard: graph.instagram.com lists the Instagram app.
		sandbox.state.setAccountSubscription(ig.igUserId, ig.instagramAppId, ['messages']);
		const node = automaticNode(triggerNode({ events: ['message', 'reaction'] }));
		const workflow = workflowFor(node);
		const credentials = igCredentials(metaAppOfInstagram());
		await callHook('create', { node, workflow, credentials, webhookBaseUrl: n8n.base });
		expect(sandbox.state.appSubscription(ig.metaAppId, 'instagram')?.fields).toEqual([
			'message_reactions',
			'messages',
		]);
		await callHook('delete', { node, workflow, credentials, webhookBaseUrl: n8n.base });
		expect(sandbox.state.appSubscription(ig.metaAppId, 'instagram')).toBeUndefined();
		expect(sandbox.state.accountSubscription(ig.igUserId, ig.instagramAppId)).toBeDefined();
	});

	it('Instagram Login: an account this node subscribed is unsubscribed again', async () => {
		const ig = sandbox.instagram;
		const node = automaticNode(triggerNode({ events: ['message'] }));
		const workflow = workflowFor(node);
		const credentials = igCredentials(metaAppOfInstagram());
		await callHook('create', { node, workflow, credentials, webhookBaseUrl: n8n.base });
		expect(sandbox.state.accountSubscription(ig.igUserId, ig.instagramAppId)).toEqual(['messages']);
		await callHook('delete', { node, workflow, credentials, webhookBaseUrl: n8n.base });
		expect(sandbox.state.accountSubscription(ig.igUserId, ig.instagramAppId)).toBeUndefined();
	});

	it('Facebook Page: with another app already on the Page, deactivation deletes no account subscription', async () => {
		const page = sandbox.facebookPage;
		sandbox.state.setAccountSubscription(page.igUserId, '555000000000001', ['messages']);
		const node = automaticNode(pageTriggerNode({ events: ['message'] }));
		const workflow = workflowFor(node);
		const credentials = pageCredentials();
		await callHook('create', { node, workflow, credentials, webhookBaseUrl: n8n.base });
		expect(sandbox.state.accountSubscription(page.igUserId, page.metaAppId)).toEqual(['messages']);
		await callHook('delete', { node, workflow, credentials, webhookBaseUrl: n8n.base });
		expect(sandbox.state.appSubscription(page.metaAppId, 'instagram')).toBeUndefined();
		expect(sandbox.state.accountSubscription(page.igUserId, '555000000000001')).toEqual(['messages']);
		expect(sandbox.state.accountSubscription(page.igUserId, page.metaAppId)).toEqual(['messages']);
	});

	it('the Instagram app id in the Meta App credential: a clear error naming the Meta app, nothing changed', async () => {
		const ig = sandbox.instagram;
		const node = automaticNode(triggerNode({ events: ['message'] }));
		const credentials = igCredentials({ appId: ig.instagramAppId, appSecret: ig.instagramAppSecret });
		await expect(callHook('create', { node, credentials, webhookBaseUrl: n8n.base })).rejects.toMatchObject({
			message: `Meta does not accept the app ${ig.instagramAppId} for webhook subscriptions`,
			description: expect.stringContaining('not the Instagram app ID'),
		});
		expect(sandbox.state.accountSubscription(ig.igUserId, ig.instagramAppId)).toBeUndefined();
	});

	it.each(['instagramLogin', 'facebookPage'] as const)(
		'%s: every event type subscribes only fields Meta accepts',
		async (setup) => {
			const page = sandbox.facebookPage;
			const node =
				setup === 'instagramLogin'
					? automaticNode(triggerNode({ events: ALL_EVENTS, options: { includeStandby: true } }))
					: automaticNode(pageTriggerNode({ events: ALL_EVENTS, options: { includeStandby: true } }));
			const credentials =
				setup === 'instagramLogin' ? igCredentials(metaAppOfInstagram()) : pageCredentials();
			const { result } = await callHook('create', { node, credentials, webhookBaseUrl: n8n.base });
			expect(result).toBe(true);
			const appId = setup === 'instagramLogin' ? sandbox.instagram.metaAppId : page.metaAppId;
			expect(sandbox.state.appSubscription(appId, 'instagram')?.fields).not.toContain('message_edit');
		},
	);
});
