/**
 * The entry-point examples, imported as shipped (credential ids bound, a verify token chosen, and
 * the reel picked in the trigger's Only These Posts or Reels, as the workflow's note asks) into a
 * real n8n 2.41.1, driven by the sandbox's signed comment and story-mention webhooks:
 * - `examples/comment-to-dm.json`: GUIDE on the chosen reel → a private reply with the link (with
 *   the automation disclosure) and a public reply; once per person; other posts and other words
 *   start nothing;
 * - `examples/story-mention-thanks.json`: a story mention → one thank-you DM.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { SANDBOX_DEFAULTS, type MetaSandbox } from '../../sandbox';
import { nodeOutput, outcomeOf, useScenario, type N8nServer, type WorkflowJson } from './harness';

function example(file: string): WorkflowJson {
	return JSON.parse(
		readFileSync(join(__dirname, '..', '..', 'examples', `${file}.json`), 'utf8'),
	) as WorkflowJson;
}

const REEL = '17900000000000500';
const OTHER_POST = '17900000000000501';
const COMMENT_PATH = 'instagram-comment-to-dm/webhook';
const MENTION_PATH = 'instagram-story-mention/webhook';
const VERIFY_TOKEN = 'e2e-verify-token-6f1d2c9a8b7e';
const DISCLOSURE = "You're chatting with an automated assistant.";
const account = SANDBOX_DEFAULTS.instagram;

/** The step the example's note asks for: pick the reel in Only These Posts or Reels. */
function withReelPicked(workflow: WorkflowJson): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowJson;
	const trigger = copy.nodes.find((n) => n.name === 'Instagram Messaging Trigger');
	const options = trigger?.parameters.options as { onlyMedia: { items: Array<{ id: { value: string } }> } };
	options.onlyMedia.items[0].id.value = REEL;
	return copy;
}

describe('the entry-point examples in a real n8n', () => {
	let sandbox: MetaSandbox;
	let server: N8nServer;
	let commentWorkflowId: string;
	let mentionWorkflowId: string;

	useScenario(
		{
			name: 'example-entry-points',
			shared: true,
			workflows: [withReelPicked(example('comment-to-dm')), example('story-mention-thanks')],
			webhookPaths: [COMMENT_PATH, MENTION_PATH],
			verifyToken: VERIFY_TOKEN,
			prepareSandbox: (meta) => {
				meta.addMedia({ id: REEL, caption: 'Spring guide reel', productType: 'REELS' });
				meta.addMedia({ id: OTHER_POST, caption: 'Another post' });
			},
		},
		(scenario) => {
			({ sandbox, server } = scenario);
			[commentWorkflowId, mentionWorkflowId] = scenario.workflowIds;
		},
	);

	const comment = (from: string, text: string, mediaId = REEL) =>
		sandbox.customerEnters({
			via: 'comment',
			from,
			text,
			mediaId,
			callbackUrl: server.webhookUrl(COMMENT_PATH),
		});

	it('GUIDE on the chosen reel: a private reply with the link, then a public reply; once per person', async () => {
		const jane = '4100000000000001';
		const { delivery, comment: written } = await comment(jane, 'GUIDE please!');
		expect(delivery.status).toBe(200);
		const [execution] = await server.waitForExecutions(commentWorkflowId, 1);
		expect(outcomeOf(execution)).toEqual({ status: 'success', failed: [] });
		expect(nodeOutput(execution, 'Instagram Messaging Trigger')).toEqual([
			expect.objectContaining({
				eventType: 'comment',
				matchedKeyword: 'guide',
				entryPoint: expect.objectContaining({ type: 'comment', mediaId: REEL, commentId: written?.id }),
			}),
		]);
		const [dm] = await sandbox.waitForSent({ recipientId: jane, count: 1 });
		expect(dm).toMatchObject({
			commentId: written?.id,
			text: `${DISCLOSURE}\n\nHere is the guide you asked for: https://example.com/spring-guide`,
		});
		const replies = sandbox.state.listComments(account.igUserId).filter((c) => c.parentId === written?.id);
		expect(replies.map((c) => [c.text, c.byAccount])).toEqual([['Sent you a DM 📩', true]]);

		// The same person again: the trigger emits nothing, nothing is sent.
		await comment(jane, 'guide?');
		const executions = await server.waitForExecutions(commentWorkflowId, 2);
		const second = executions.find((e) => e.id !== execution.id);
		expect(second && nodeOutput(second, 'Instagram Messaging Trigger')).toEqual([]);
		expect(sandbox.sent({ recipientId: jane })).toHaveLength(1);
	});

	it('another post, or a comment without the keyword, starts nothing', async () => {
		const joe = '4100000000000002';
		expect((await comment(joe, 'GUIDE', OTHER_POST)).delivery.status).toBe(200);
		expect((await comment(joe, 'nice reel')).delivery.status).toBe(200);
		const before = (await server.executions({ workflowId: commentWorkflowId })).length;
		await comment(joe, 'Guide me');
		await server.waitForExecutions(commentWorkflowId, before + 1);
		expect(sandbox.sent({ recipientId: joe })).toHaveLength(1);
	});

	it('a story mention gets one thank-you DM that says it is automated', async () => {
		const ana = '4100000000000003';
		const { delivery } = await sandbox.customerEnters({
			via: 'storyMention',
			from: ana,
			callbackUrl: server.webhookUrl(MENTION_PATH),
		});
		expect(delivery.status).toBe(200);
		const [execution] = await server.waitForExecutions(mentionWorkflowId, 1);
		expect(nodeOutput(execution, 'Instagram Messaging Trigger')[0]).toMatchObject({
			messageKind: 'story_mention',
			entryPoint: expect.objectContaining({ type: 'story_mention' }),
		});
		const [sent] = await sandbox.waitForSent({ recipientId: ana, count: 1 });
		expect(sent.text).toBe(`${DISCLOSURE}\n\nThank you for the shout-out in your story! 💛`);
	});
});
