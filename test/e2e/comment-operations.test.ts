/**
 * The Comment and Welcome Flow resources once each in a real n8n 2.41.1 against the sandbox, and
 * the trigger's Only These Stories: a signed comment starts a workflow that lists the post's
 * comments, hides and unhides the comment, replies publicly, deletes its own reply, then creates,
 * reads, renames, lists and deletes an ad welcome flow. A story reply reaches a second workflow
 * only when it answers the chosen story.
 */
import type { INode } from 'n8n-workflow';

import { SANDBOX_DEFAULTS, type MetaSandbox } from '../../sandbox';
import { nodeOutput, outcomeOf, useScenario, type N8nServer, type WorkflowJson } from './harness';

const COMMENT_HOOK = 'instagram-comment-ops';
const STORY_HOOK = 'instagram-story-only';
const VERIFY_TOKEN = 'comment-ops-verify-token';
const POST = '17900000000000700';
const STORY = '17900000000000701';
const OTHER_STORY = '17900000000000702';
const credentials = { instagramLoginApi: { id: 'REPLACE', name: 'Instagram account' } };
const account = SANDBOX_DEFAULTS.instagram;
const fromTrigger = (field: string) => `={{ $('Instagram Messaging Trigger').item.json.${field} }}`;

let position = 0;
function op(name: string, parameters: Record<string, unknown>): INode {
	position += 220;
	return {
		id: `7b0c1a2b-0000-4000-8000-${String(position).padStart(12, '0')}`,
		name,
		type: 'n8n-nodes-instagram-messaging.instagramMessaging',
		typeVersion: 1,
		position: [position, 0],
		parameters: { authentication: 'instagramLoginApi', ...parameters },
		credentials,
	} as INode;
}

function trigger(id: string, webhookId: string, events: string[], options: Record<string, unknown>): INode {
	return {
		id,
		name: 'Instagram Messaging Trigger',
		type: 'n8n-nodes-instagram-messaging.instagramMessagingTrigger',
		typeVersion: 2,
		position: [0, 0],
		webhookId,
		parameters: { authentication: 'instagramLoginApi', verifyToken: VERIFY_TOKEN, events, options },
		credentials,
	} as INode;
}

const chain: INode[] = [
	op('Get Comments', {
		resource: 'comment',
		operation: 'getMany',
		mediaId: { __rl: true, mode: 'id', value: fromTrigger('comment.mediaId') },
		returnAll: true,
		options: { includeReplies: true },
	}),
	op('Hide', { resource: 'comment', operation: 'hide', commentId: fromTrigger('comment.id') }),
	op('Unhide', { resource: 'comment', operation: 'unhide', commentId: fromTrigger('comment.id') }),
	op('Reply', {
		resource: 'comment',
		operation: 'reply',
		commentId: fromTrigger('comment.id'),
		text: 'Thanks! 🙌',
	}),
	op('Delete Reply', {
		resource: 'comment',
		operation: 'delete',
		commentId: "={{ $('Reply').item.json.id }}",
	}),
	op('Create Flow', {
		resource: 'welcomeFlow',
		operation: 'create',
		name: 'Spring ad',
		text: 'Hi! What would you like to know?',
		quickReplies: { quickReply: [{ title: 'Prices', payload: 'PRICES' }] },
	}),
	op('Get Flow', {
		resource: 'welcomeFlow',
		operation: 'get',
		flowId: "={{ $('Create Flow').item.json.flowId }}",
	}),
	op('Rename Flow', {
		resource: 'welcomeFlow',
		operation: 'update',
		flowId: "={{ $('Create Flow').item.json.flowId }}",
		name: 'Summer ad',
	}),
	op('List Flows', { resource: 'welcomeFlow', operation: 'getMany', returnAll: true }),
	op('Delete Flow', {
		resource: 'welcomeFlow',
		operation: 'delete',
		flowId: "={{ $('Create Flow').item.json.flowId }}",
	}),
];

function linear(nodes: INode[]): WorkflowJson['connections'] {
	return Object.fromEntries(
		nodes
			.slice(0, -1)
			.map((node, i) => [node.name, { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] }]),
	);
}

const commentWorkflow: WorkflowJson = {
	name: 'Comment operations',
	nodes: [
		trigger('7b0c1a2b-0000-4000-8000-100000000001', COMMENT_HOOK, ['comment'], { mediaDetails: true }),
		...chain,
	],
	connections: linear([{ name: 'Instagram Messaging Trigger' } as INode, ...chain]),
	settings: { executionOrder: 'v1' },
};

const storyWorkflow: WorkflowJson = {
	name: 'Replies to one story',
	nodes: [
		trigger('7b0c1a2b-0000-4000-8000-100000000002', STORY_HOOK, ['message'], {
			onlyStories: { items: [{ id: { __rl: true, mode: 'id', value: STORY } }] },
		}),
	],
	connections: {},
	settings: { executionOrder: 'v1' },
};

describe('Comment and Welcome Flow operations, Only These Stories, in a real n8n', () => {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let commentId: string;
	let storyId: string;

	useScenario(
		{
			name: 'comment-operations',
			shared: true,
			workflows: [commentWorkflow, storyWorkflow],
			webhookPaths: [`${COMMENT_HOOK}/webhook`, `${STORY_HOOK}/webhook`],
			verifyToken: VERIFY_TOKEN,
			prepareSandbox: (meta) => {
				meta.addMedia({ id: POST, caption: 'New collection' });
				meta.addMedia({ id: STORY, caption: 'Story 1', productType: 'STORY' });
				meta.addMedia({ id: OTHER_STORY, caption: 'Story 2', productType: 'STORY' });
			},
		},
		(scenario) => {
			({ sandbox, server } = scenario);
			[commentId, storyId] = scenario.workflowIds;
		},
	);

	it('a comment runs every comment and welcome-flow operation against Meta, in order', async () => {
		const { comment } = await sandbox.customerEnters({
			via: 'comment',
			text: 'Love it!',
			mediaId: POST,
			callbackUrl: server.webhookUrl(`${COMMENT_HOOK}/webhook`),
		});
		const [execution] = await server.waitForExecutions(commentId, 1);
		expect(outcomeOf(execution)).toEqual({ status: 'success', failed: [] });
		// Add Post or Reel Details: the post's link and caption read inside the execution.
		expect(nodeOutput(execution, 'Instagram Messaging Trigger')[0].entryPoint).toMatchObject({
			type: 'comment',
			mediaId: POST,
			permalink: `https://www.instagram.com/p/${POST}/`,
			caption: 'New collection',
		});
		expect(nodeOutput(execution, 'Get Comments')).toEqual([
			expect.objectContaining({ id: comment?.id, text: 'Love it!', mediaId: POST, hidden: false }),
		]);
		expect(nodeOutput(execution, 'Hide')).toEqual([{ commentId: comment?.id, hidden: true, success: true }]);
		expect(nodeOutput(execution, 'Unhide')).toEqual([
			{ commentId: comment?.id, hidden: false, success: true },
		]);
		const [reply] = nodeOutput(execution, 'Reply');
		expect(reply).toMatchObject({ commentId: comment?.id, threadCommentId: comment?.id, text: 'Thanks! 🙌' });
		expect(nodeOutput(execution, 'Delete Reply')).toEqual([{ commentId: reply.id, deleted: true }]);
		expect(sandbox.comment(String(reply.id))).toBeUndefined();
		expect(sandbox.comment(comment?.id ?? '')?.hidden).toBe(false);

		const [created] = nodeOutput(execution, 'Create Flow');
		expect(nodeOutput(execution, 'Get Flow')[0]).toMatchObject({
			flowId: created.flowId,
			name: 'Spring ad',
			isUsedInAd: false,
		});
		expect(nodeOutput(execution, 'Rename Flow')).toEqual([{ flowId: created.flowId, success: true }]);
		expect(nodeOutput(execution, 'List Flows')).toEqual([
			expect.objectContaining({ flowId: created.flowId, name: 'Summer ad' }),
		]);
		expect(nodeOutput(execution, 'Delete Flow')).toEqual([{ flowId: created.flowId, deleted: true }]);
		expect(sandbox.state.welcomeFlows.list(account.igUserId)).toEqual([]);
	});

	it('Only These Stories: a reply to the chosen story starts the workflow, one to another story does not', async () => {
		const callbackUrl = server.webhookUrl(`${STORY_HOOK}/webhook`);
		await sandbox.customerEnters({ via: 'storyReply', storyId: OTHER_STORY, text: 'nice', callbackUrl });
		await sandbox.customerEnters({ via: 'storyReply', storyId: STORY, text: 'love this one', callbackUrl });
		const [execution] = await server.waitForExecutions(storyId, 1);
		expect(nodeOutput(execution, 'Instagram Messaging Trigger')).toEqual([
			expect.objectContaining({
				text: 'love this one',
				entryPoint: expect.objectContaining({ type: 'story_reply', storyId: STORY }),
			}),
		]);
		expect(await server.executions({ workflowId: storyId })).toHaveLength(1);
	});
});
