import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest, type GraphConnection } from '../../transport';
import { assertNumericId } from '../validation';

export const commentIdProperty: INodeProperties = {
	displayName: 'Comment ID',
	name: 'commentId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '18000000000000001',
	description:
		'ID of the comment, for example the comment ID of a comment event from the Instagram Messaging Trigger',
};

/** The fields Comment → Get Many reads, and the shape every comment operation outputs. */
export const COMMENT_FIELDS = 'id,text,timestamp,username,from,hidden,like_count,parent_id';

export function commentIdParameter(ctx: IExecuteFunctions, itemIndex: number): string {
	return assertNumericId(
		ctx,
		ctx.getNodeParameter('commentId', itemIndex) as string,
		itemIndex,
		'Comment ID',
	);
}

/** What the input item tells about the comment when it is the trigger's item for that very comment. */
export interface CommentFromInput {
	writtenAt?: number;
	commenterId?: string;
	live: boolean;
	parentId?: string;
}

export function commentFromInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	commentId: string,
): CommentFromInput {
	const json = ctx.getInputData()[itemIndex]?.json ?? {};
	const comment = json.comment as IDataObject | null | undefined;
	const same =
		(json.eventType === 'comment' || json.eventType === 'live_comment') &&
		String(comment?.id ?? '') === commentId;
	if (!same) return { live: false };
	const parentId = comment?.parentId;
	return {
		writtenAt: typeof json.timestampMs === 'number' ? json.timestampMs : undefined,
		commenterId: typeof json.customerId === 'string' && json.customerId !== '' ? json.customerId : undefined,
		live: json.eventType === 'live_comment',
		...(typeof parentId === 'string' && parentId !== '' ? { parentId } : {}),
	};
}

/**
 * Meta supports no public reply, hiding or deleting for comments on a live video (IG Comment and
 * IG Comment Replies references): refused before the call when the input is a Live comment event.
 */
export function assertNotLive(
	ctx: IExecuteFunctions,
	itemIndex: number,
	comment: CommentFromInput,
	action: string,
): void {
	if (!comment.live) return;
	throw new NodeOperationError(ctx.getNode(), `Instagram does not allow you to ${action} a Live comment`, {
		itemIndex,
		description:
			'Comments on a live video can only be answered privately, during the broadcast: use Message → Send Private Reply.',
	});
}

/** One comment as Graph returns it (`COMMENT_FIELDS`), in the node's shape. */
export function simplifyComment(comment: IDataObject, mediaId?: string): IDataObject {
	const from = comment.from as IDataObject | undefined;
	const replies = comment.replies as IDataObject | undefined;
	const simplified: IDataObject = {
		id: String(comment.id ?? ''),
		text: typeof comment.text === 'string' ? comment.text : null,
		timestamp: typeof comment.timestamp === 'string' ? comment.timestamp : null,
		username: typeof comment.username === 'string' ? comment.username : (from?.username ?? null),
		fromId: from?.id === undefined ? null : String(from.id),
		hidden: comment.hidden === true,
		likeCount: typeof comment.like_count === 'number' ? comment.like_count : null,
		parentId: comment.parent_id === undefined ? null : String(comment.parent_id),
	};
	if (mediaId !== undefined) simplified.mediaId = mediaId;
	if (replies !== undefined) {
		const data = Array.isArray(replies.data) ? (replies.data as IDataObject[]) : [];
		simplified.replies = data.map((reply) => simplifyComment(reply));
	}
	return simplified;
}

/**
 * `POST /{comment-id}?hide=true|false` (IG Comment reference): `{ success: true }`. Setting the same
 * state twice is harmless, so it may be retried. Meta always shows the account's own comments.
 */
export async function setHidden(
	ctx: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
	hidden: boolean,
): Promise<IDataObject> {
	const commentId = commentIdParameter(ctx, itemIndex);
	assertNotLive(ctx, itemIndex, commentFromInput(ctx, itemIndex, commentId), hidden ? 'hide' : 'unhide');
	const response = await graphRequest.call(ctx, connection, {
		method: 'POST',
		path: `/${commentId}`,
		qs: { hide: hidden },
		idempotent: true,
		itemIndex,
	});
	return { commentId, hidden, success: response.success === true };
}

/** A post or reel of the account: picked from its media (newest first) or given by ID. */
export const mediaLocatorProperty: INodeProperties = {
	displayName: 'Post or Reel',
	name: 'mediaId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: "One of the account's posts or reels",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a post or reel...',
			typeOptions: { searchListMethod: 'searchMedia', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '17900000000000002',
			hint: 'The media ID, for example mediaId of a comment event from the Instagram Messaging Trigger',
		},
	],
};
