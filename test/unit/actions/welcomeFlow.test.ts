import nock from 'nock';

import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import { actionNode, GRAPH, instagramLoginCredentials, runWorkflow } from '../harness';
import { facebookPageCredentials, GRAPH_FB } from './conversationHelpers';

const FLOWS = `/${GRAPH_API_VERSION}/me/welcome_message_flows`;
const FLOW_ID = '2400000000000001';
const quickReplies = { quickReply: [{ title: 'Prices', payload: 'PRICES' }, { title: 'Talk to us' }] };
const message = [
	{
		message: {
			text: 'Hi! What would you like to know?',
			quick_replies: [
				{ content_type: 'text', title: 'Prices', payload: 'PRICES' },
				{ content_type: 'text', title: 'Talk to us', payload: 'Talk to us' },
			],
		},
	},
];

function described(error: Error | undefined): string | undefined {
	return (error as (Error & { description?: string }) | undefined)?.description;
}

async function run(operation: string, parameters: Record<string, unknown> = {}) {
	return await runWorkflow({
		nodes: [actionNode({ resource: 'welcomeFlow', operation, ...parameters })],
		credentials: instagramLoginCredentials,
		input: [{ json: {} }],
	});
}

const flow = (used: boolean) => ({
	id: FLOW_ID,
	name: 'Spring',
	welcome_message: message,
	eligible_platforms: ['instagram'],
	last_update_time: '2026-12-01T10:00:00+0000',
	is_used_in_ad: used,
});

describe('Welcome Flow', () => {
	it('Create posts Instagram as the platform, the name and one message with its quick replies', async () => {
		const scope = nock(GRAPH)
			.post(FLOWS, { eligible_platforms: ['instagram'], name: 'Spring', welcome_message_flow: message })
			.reply(200, { flow_id: FLOW_ID });
		const { output } = await run('create', {
			name: 'Spring',
			text: 'Hi! What would you like to know?',
			quickReplies,
		});
		expect(output('Instagram Messaging')[0].json).toEqual({ flowId: FLOW_ID, name: 'Spring' });
		expect(scope.isDone()).toBe(true);
	});

	it('Create refuses, before calling Meta, a flow without quick replies, 14 of them, or a title too long', async () => {
		const none = await run('create', { name: 'Spring', text: 'Hi' });
		expect(none.error('Instagram Messaging')?.message).toBe('Quick Replies: add at least 1');
		const many = await run('create', {
			name: 'Spring',
			text: 'Hi',
			quickReplies: { quickReply: Array.from({ length: 14 }, (_, i) => ({ title: `Q${i}` })) },
		});
		expect(many.error('Instagram Messaging')?.message).toMatch(
			/Quick Replies: 14 given, Instagram accepts at most 13/,
		);
		const long = await run('create', {
			name: 'Spring',
			text: 'Hi',
			quickReplies: { quickReply: [{ title: 'x'.repeat(21) }] },
		});
		expect(long.error('Instagram Messaging')?.message).toMatch(/Quick Reply 1: Title/);
	});

	it("Get Many reads the list (an array, as in Meta's sample) with the limit; Get one by flow_id", async () => {
		const scope = nock(GRAPH)
			.get(FLOWS)
			.query({ limit: '2' })
			.reply(200, [flow(false), { ...flow(true), id: '2400000000000002' }])
			.get(FLOWS)
			.query({ flow_id: FLOW_ID })
			.reply(200, flow(true));
		const many = await run('getMany', { limit: 2 });
		expect(many.output('Instagram Messaging').map((i) => i.json.flowId)).toEqual([
			FLOW_ID,
			'2400000000000002',
		]);
		expect(many.output('Instagram Messaging')[0].json).toEqual({
			flowId: FLOW_ID,
			name: 'Spring',
			welcomeMessage: message,
			eligiblePlatforms: ['instagram'],
			lastUpdateTime: '2026-12-01T10:00:00+0000',
			isUsedInAd: false,
		});
		const one = await run('get', { flowId: FLOW_ID });
		expect(one.output('Instagram Messaging')[0].json.isUsedInAd).toBe(true);
		expect(scope.isDone()).toBe(true);
	});

	it('Update reads the flow, then posts flow_id with only what changes', async () => {
		const scope = nock(GRAPH)
			.get(FLOWS)
			.query({ flow_id: FLOW_ID })
			.reply(200, flow(false))
			.post(FLOWS, { flow_id: FLOW_ID, name: 'Summer' })
			.reply(200, { success: true });
		const { output } = await run('update', { flowId: FLOW_ID, name: 'Summer' });
		expect(output('Instagram Messaging')[0].json).toEqual({ flowId: FLOW_ID, success: true });
		expect(scope.isDone()).toBe(true);
	});

	it('Update and Delete refuse a flow an ad uses, with what to do, and change nothing', async () => {
		nock(GRAPH).get(FLOWS).query({ flow_id: FLOW_ID }).times(2).reply(200, flow(true));
		const update = await run('update', { flowId: FLOW_ID, name: 'Summer' });
		expect(update.error('Instagram Messaging')?.message).toBe(
			'The welcome flow is used in an ad: Meta does not allow you to update it',
		);
		expect(described(update.error('Instagram Messaging'))).toMatch(/Create a new flow/);
		const remove = await run('delete', { flowId: FLOW_ID });
		expect(remove.error('Instagram Messaging')?.message).toMatch(/does not allow you to delete it/);
		const nothing = await run('update', { flowId: FLOW_ID });
		expect(nothing.error('Instagram Messaging')?.message).toBe('Nothing to update');
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('Delete through a Facebook Page (/me is the Page with its token)', async () => {
		const path = `/${GRAPH_API_VERSION}/me/welcome_message_flows`;
		const scope = nock(GRAPH_FB)
			.get(path)
			.query({ flow_id: FLOW_ID })
			.reply(200, { data: [flow(false)] })
			.delete(path)
			.query({ flow_id: FLOW_ID })
			.reply(200, { success: true });
		const { output, error } = await runWorkflow({
			nodes: [
				actionNode(
					{
						authentication: 'facebookPageApi',
						resource: 'welcomeFlow',
						operation: 'delete',
						flowId: FLOW_ID,
					},
					{ credentials: { facebookPageApi: { id: '2', name: 'Page' } } },
				),
			],
			credentials: facebookPageCredentials,
			input: [{ json: {} }],
		});
		expect(error('Instagram Messaging')?.message).toBeUndefined();
		expect(output('Instagram Messaging')[0].json).toEqual({ flowId: FLOW_ID, deleted: true });
		expect(scope.isDone()).toBe(true);
	});
});
