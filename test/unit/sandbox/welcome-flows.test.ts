import { MetaSandbox, SANDBOX_DEFAULTS } from '../../../sandbox';
import { errorOf, graph } from './helpers';

const A = SANDBOX_DEFAULTS.instagram;
const B = SANDBOX_DEFAULTS.facebookPage;
const PATH = '/v23.0/me/welcome_message_flows';
const flow = [
	{ message: { text: 'Hi!', quick_replies: [{ content_type: 'text', title: 'Prices', payload: 'PRICES' }] } },
];

describe('sandbox Graph: welcome message flows (Welcome Message Flows, Jun 30 2026)', () => {
	let sandbox: MetaSandbox;
	beforeAll(async () => {
		sandbox = await MetaSandbox.start();
	});
	afterAll(async () => {
		await sandbox.stop();
	});
	beforeEach(() => sandbox.reset());

	const asA = (method: string, path: string, json?: unknown) =>
		graph(sandbox, method, path, { token: A.accessToken, json });

	it('creates, lists as an array, updates and deletes a flow', async () => {
		const created = await asA('POST', PATH, {
			eligible_platforms: ['instagram'],
			name: 'Spring',
			welcome_message_flow: flow,
		});
		const flowId = String(created.json.flow_id);
		expect(flowId).toMatch(/^\d+$/);
		const list = await graph(sandbox, 'GET', PATH, { token: A.accessToken });
		expect(Array.isArray(list.json)).toBe(true);
		expect(list.json).toEqual([
			expect.objectContaining({
				id: flowId,
				name: 'Spring',
				eligible_platforms: ['instagram'],
				is_used_in_ad: false,
			}),
		]);
		expect((await asA('POST', PATH, { flow_id: flowId, name: 'Summer' })).json).toEqual({ success: true });
		expect((await asA('GET', `${PATH}?flow_id=${flowId}`)).json).toMatchObject({ name: 'Summer' });
		expect((await asA('DELETE', `${PATH}?flow_id=${flowId}`)).json).toEqual({ success: true });
		expect((await asA('GET', PATH)).json).toEqual([]);
	});

	it('refuses what Meta refuses: another platform on Instagram Login, no quick reply, a change to a flow an ad uses', async () => {
		expect(
			errorOf(
				await asA('POST', PATH, { eligible_platforms: ['messenger'], name: 'x', welcome_message_flow: flow }),
			),
		).toMatchObject({ code: 100 });
		const bare = [{ message: { text: 'Hi!' } }];
		expect(
			errorOf(
				await asA('POST', PATH, { eligible_platforms: ['instagram'], name: 'x', welcome_message_flow: bare }),
			).message,
		).toMatch(/quick_replies/);
		const created = await asA('POST', PATH, {
			eligible_platforms: ['instagram'],
			name: 'Ad flow',
			welcome_message_flow: flow,
		});
		const flowId = String(created.json.flow_id);
		sandbox.state.welcomeFlows.useInAd(flowId);
		expect(errorOf(await asA('POST', PATH, { flow_id: flowId, name: 'New' })).message).toMatch(
			/cannot be updated/,
		);
		expect(errorOf(await asA('DELETE', `${PATH}?flow_id=${flowId}`)).message).toMatch(/cannot be deleted/);
		// Through a Page, Messenger may be named too (Messenger Platform, Mar 15 2026).
		const page = await graph(sandbox, 'POST', PATH, {
			token: B.pageAccessToken,
			json: { eligible_platforms: ['instagram', 'messenger'], name: 'Both', welcome_message_flow: flow },
		});
		expect(page.status).toBe(200);
	});
});
