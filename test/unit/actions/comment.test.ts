import nock from 'nock';

import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import { actionNode, GRAPH, instagramLoginCredentials, runWorkflow, TOKEN } from '../harness';
import { facebookPageCredentials, GRAPH_FB, PAGE_TOKEN } from './conversationHelpers';

const V = `/${GRAPH_API_VERSION}`;
const COMMENT_ID = '18000000000000001';
const MEDIA_ID = '17900000000000002';
const FIELDS = 'id,text,timestamp,username,from,hidden,like_count,parent_id';

function node(operation: string, parameters: Record<string, unknown> = {}, extra = {}) {
	return actionNode({ resource: 'comment', operation, commentId: COMMENT_ID, ...parameters }, extra);
}

/** The trigger's item for a comment (or a Live comment) on the post. */
function commentItem(eventType = 'comment', extra: Record<string, unknown> = {}) {
	return {
		json: {
			eventType,
			customerId: '1111111111111111',
			timestampMs: Date.now() - 60_000,
			comment: { id: COMMENT_ID, text: 'GUIDE please', mediaId: MEDIA_ID, parentId: null },
			...extra,
		},
	};
}

function described(error: Error | undefined): string | undefined {
	return (error as (Error & { description?: string }) | undefined)?.description;
}

async function run(operation: string, parameters: Record<string, unknown> = {}, input = [commentItem()]) {
	return await runWorkflow({
		nodes: [node(operation, parameters)],
		credentials: instagramLoginCredentials,
		input,
	});
}

describe('Comment → Reply', () => {
	it('reads the comment, then posts the reply with message as a query parameter', async () => {
		const scope = nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get(`${V}/${COMMENT_ID}`)
			.query({ fields: 'id,hidden,parent_id' })
			.reply(200, { id: COMMENT_ID, hidden: false })
			.post(`${V}/${COMMENT_ID}/replies`)
			.query({ message: 'Sent you a DM!' })
			.reply(200, { id: '18000000000000099' });
		const { output } = await run('reply', { text: 'Sent you a DM!' });
		expect(output('Instagram Messaging')[0].json).toEqual({
			id: '18000000000000099',
			commentId: COMMENT_ID,
			threadCommentId: COMMENT_ID,
			text: 'Sent you a DM!',
		});
		expect(scope.isDone()).toBe(true);
	});

	it('says which thread a reply to a reply went to (Meta adds it to the top-level comment)', async () => {
		nock(GRAPH)
			.get(`${V}/${COMMENT_ID}`)
			.query(true)
			.reply(200, { id: COMMENT_ID, hidden: false, parent_id: '18000000000000000' })
			.post(`${V}/${COMMENT_ID}/replies`)
			.query(true)
			.reply(200, { id: '18000000000000098' });
		const { output } = await run('reply', { text: 'Thanks!' });
		expect(output('Instagram Messaging')[0].json.threadCommentId).toBe('18000000000000000');
	});

	it('refuses a hidden comment after reading it, without posting', async () => {
		const read = nock(GRAPH)
			.get(`${V}/${COMMENT_ID}`)
			.query(true)
			.reply(200, { id: COMMENT_ID, hidden: true });
		const { error } = await run('reply', { text: 'Hi' });
		expect(error('Instagram Messaging')?.message).toBe(
			'The comment is hidden: Instagram does not allow replies to it',
		);
		expect(described(error('Instagram Messaging'))).toMatch(/Comment → Unhide.*Send Private Reply/);
		expect(read.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('refuses a Live comment and an empty text before any call to Meta', async () => {
		const live = await run('reply', { text: 'Hi' }, [commentItem('live_comment')]);
		expect(live.error('Instagram Messaging')?.message).toBe(
			'Instagram does not allow you to publicly reply to a Live comment',
		);
		expect(described(live.error('Instagram Messaging'))).toMatch(/Send Private Reply/);
		const empty = await run('reply', { text: '  ' });
		expect(empty.error('Instagram Messaging')?.message).toBe('The reply text is empty');
		const badId = await run('reply', { text: 'Hi', commentId: 'https://instagram.com/p/x' });
		expect(badId.error('Instagram Messaging')?.message).toMatch(/Comment ID .* is not a valid ID/);
	});

	it('does not retry a reply Meta may have posted (a bare 502)', async () => {
		const scope = nock(GRAPH)
			.get(`${V}/${COMMENT_ID}`)
			.query(true)
			.reply(200, { id: COMMENT_ID, hidden: false })
			.post(`${V}/${COMMENT_ID}/replies`)
			.query(true)
			.reply(502, 'Bad Gateway');
		const { error } = await run('reply', { text: 'Hi' });
		expect(error('Instagram Messaging')?.message).toMatch(/^The reply may have been posted/);
		expect(scope.isDone()).toBe(true);
	});

	it("explains a deleted comment with Meta's own error", async () => {
		nock(GRAPH)
			.get(`${V}/${COMMENT_ID}`)
			.query(true)
			.reply(400, {
				error: {
					message: `Unsupported get request. Object with ID '${COMMENT_ID}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
					type: 'GraphMethodException',
					code: 100,
					error_subcode: 33,
				},
			});
		const { error } = await run('reply', { text: 'Hi' });
		expect(error('Instagram Messaging')?.message).toMatch(/does not exist|not found|cannot be loaded/i);
	});
});

describe('Comment → Hide, Unhide, Delete', () => {
	it('hides and unhides with hide=true / hide=false', async () => {
		const scope = nock(GRAPH)
			.post(`${V}/${COMMENT_ID}`)
			.query({ hide: 'true' })
			.reply(200, { success: true })
			.post(`${V}/${COMMENT_ID}`)
			.query({ hide: 'false' })
			.reply(200, { success: true });
		const hidden = await run('hide');
		expect(hidden.output('Instagram Messaging')[0].json).toEqual({
			commentId: COMMENT_ID,
			hidden: true,
			success: true,
		});
		const shown = await run('unhide');
		expect(shown.output('Instagram Messaging')[0].json).toEqual({
			commentId: COMMENT_ID,
			hidden: false,
			success: true,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('deletes through a Facebook Page with the Page token', async () => {
		const scope = nock(GRAPH_FB, { reqheaders: { authorization: `Bearer ${PAGE_TOKEN}` } })
			.delete(`${V}/${COMMENT_ID}`)
			.reply(200, { success: true });
		const { output, error } = await runWorkflow({
			nodes: [
				node(
					'delete',
					{ authentication: 'facebookPageApi' },
					{ credentials: { facebookPageApi: { id: '2', name: 'Page' } } },
				),
			],
			credentials: facebookPageCredentials,
			input: [commentItem()],
		});
		expect(error('Instagram Messaging')?.message).toBeUndefined();
		expect(output('Instagram Messaging')[0].json).toEqual({ commentId: COMMENT_ID, deleted: true });
		expect(scope.isDone()).toBe(true);
	});

	it('refuses to hide or delete a Live comment before calling Meta', async () => {
		for (const operation of ['hide', 'unhide', 'delete']) {
			const { error } = await run(operation, {}, [commentItem('live_comment')]);
			expect(error('Instagram Messaging')?.message).toMatch(
				/^Instagram does not allow you to \w+ a Live comment$/,
			);
		}
	});
});

describe('Comment → Get Many', () => {
	it('reads top-level comments of a post, page by page, up to the limit', async () => {
		const scope = nock(GRAPH)
			.get(`${V}/${MEDIA_ID}/comments`)
			.query({ fields: FIELDS, limit: '50' })
			.reply(200, {
				data: [
					{
						id: '1',
						text: 'first',
						timestamp: '2026-12-01T10:00:00+0000',
						username: 'jane',
						from: { id: '111', username: 'jane' },
						hidden: false,
						like_count: 2,
					},
				],
				paging: { cursors: { after: 'A1' }, next: 'https://graph.instagram.com/next' },
			})
			.get(`${V}/${MEDIA_ID}/comments`)
			.query({ fields: FIELDS, limit: '50', after: 'A1' })
			.reply(200, { data: [{ id: '2', text: 'second', parent_id: undefined }] });
		const { output, error } = await run('getMany', {
			mediaId: { __rl: true, mode: 'list', value: MEDIA_ID },
			returnAll: true,
		});
		expect(error('Instagram Messaging')?.message).toBeUndefined();
		expect(output('Instagram Messaging').map((i) => i.json)).toEqual([
			{
				id: '1',
				text: 'first',
				timestamp: '2026-12-01T10:00:00+0000',
				username: 'jane',
				fromId: '111',
				hidden: false,
				likeCount: 2,
				parentId: null,
				mediaId: MEDIA_ID,
			},
			{
				id: '2',
				text: 'second',
				timestamp: null,
				username: null,
				fromId: null,
				hidden: false,
				likeCount: null,
				parentId: null,
				mediaId: MEDIA_ID,
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('adds replies with Include Replies, and refuses a media ID that is not one', async () => {
		const scope = nock(GRAPH)
			.get(`${V}/${MEDIA_ID}/comments`)
			.query({ fields: `${FIELDS},replies{${FIELDS}}`, limit: '1' })
			.reply(200, {
				data: [{ id: '1', text: 'q', replies: { data: [{ id: '3', text: 'a', username: 'shop' }] } }],
			});
		const { output } = await run('getMany', {
			mediaId: { __rl: true, mode: 'id', value: MEDIA_ID },
			limit: 1,
			options: { includeReplies: true },
		});
		expect(output('Instagram Messaging')[0].json.replies).toEqual([
			{
				id: '3',
				text: 'a',
				timestamp: null,
				username: 'shop',
				fromId: null,
				hidden: false,
				likeCount: null,
				parentId: null,
			},
		]);
		expect(scope.isDone()).toBe(true);
		const bad = await run('getMany', { mediaId: { __rl: true, mode: 'id', value: 'my reel' } });
		expect(bad.error('Instagram Messaging')?.message).toBe('Post or Reel "my reel" is not a valid ID');
	});
});
