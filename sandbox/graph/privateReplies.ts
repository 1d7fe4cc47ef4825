/**
 * Private replies (instagram-api.md §3.14): `POST /{id}/messages` with `recipient.comment_id`.
 * One per comment, within 7 days of the comment; no messaging window, no tag; the reply goes to
 * the commenter and does not open the 24-hour window.
 */
import { HUMAN_AGENT_WINDOW_MS } from '../defaults';
import { GraphError, graphErrors } from '../errors';
import type { HandlerResult } from '../http';
import { newMid } from '../ids';
import type { SentRecord } from '../recordTypes';
import type { JsonObject } from '../types';
import type { GraphContext } from './context';
import { conversationAttachments } from './sendShapes';

/** Private replies are allowed this long after the comment was written. */
export const PRIVATE_REPLY_WINDOW_MS = HUMAN_AGENT_WINDOW_MS;

/**
 * Meta's refusals. The community cites subcode 2534025 for a reused comment (§7.2, uncertain);
 * the sandbox uses it for both the second reply and an expired comment, with Meta-style wording.
 */
export const privateReplyErrors = {
	unknownComment: (commentId: string) =>
		graphErrors.invalidParameter(
			`Invalid comment_id ${commentId}: the comment does not exist or is not on a post of this account`,
		),
	alreadyReplied: () =>
		new GraphError(400, {
			message: '(#10) A private reply has already been sent to this comment.',
			type: 'IGApiException',
			code: 10,
			error_subcode: 2534025,
			is_transient: false,
		}),
	tooOld: () =>
		new GraphError(400, {
			message: '(#10) Private replies can only be sent within 7 days of the comment.',
			type: 'IGApiException',
			code: 10,
			error_subcode: 2534025,
			is_transient: false,
		}),
} as const;

export function sendPrivateReply(
	ctx: GraphContext,
	body: JsonObject,
	send: { commentId: string; text?: string; attachments: JsonObject[] },
): HandlerResult {
	const { account, services } = ctx;
	const accountId = account.igUserId;
	const comment = services.state.comment(send.commentId);
	if (!comment || comment.accountId !== accountId) throw privateReplyErrors.unknownComment(send.commentId);
	if (comment.privateReply) throw privateReplyErrors.alreadyReplied();
	const now = services.clock.now();
	if (now - comment.at > PRIVATE_REPLY_WINDOW_MS) throw privateReplyErrors.tooOld();

	const record: SentRecord = {
		seq: services.state.nextSeq(),
		at: now,
		accountId,
		flavour: account.flavour,
		recipientId: comment.from,
		kind: 'message',
		body,
		messageId: newMid(),
		commentId: comment.id,
	};
	if (send.text !== undefined) record.text = send.text;
	if (send.attachments.length > 0) record.attachments = send.attachments;
	const messageId = record.messageId ?? '';
	services.state.sent.push(record);
	comment.privateReply = { at: now, messageId, sentSeq: record.seq };
	// Appears in the commenter's thread, but only their own message opens the window.
	services.state.recordOutbound(accountId, comment.from, {
		mid: messageId,
		at: now,
		text: send.text,
		attachments:
			send.attachments.length > 0 ? conversationAttachments(services.state, send.attachments) : undefined,
		sentSeq: record.seq,
		commentId: comment.id,
	});
	services.onSent(record);
	return { status: 200, json: { recipient_id: comment.from, message_id: messageId } };
}
