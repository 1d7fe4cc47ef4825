/**
 * `POST /vX/{me|IG_ID|PAGE_ID}/messages` — the Send API (instagram-api.md §3), with Meta's
 * validation, the messaging window (§3.2) and the per-account rate limits (§7.4, `sendRateLimit.ts`).
 */
import { MAX_TEXT_BYTES } from '../defaults';
import { graphErrors, threadErrors } from '../errors';
import type { HandlerResult } from '../http';
import { isJsonObject, optObject, optString, withoutSecrets, formToObject } from '../http';
import { newMid } from '../ids';
import { accountSelfIds } from '../state';
import type { ConversationMessage } from '../contentTypes';
import type { SentRecord } from '../recordTypes';
import type { JsonObject, JsonValue } from '../types';
import { windowAllows } from '../window';
import type { GraphContext, GraphRoute } from './context';
import { sendPrivateReply } from './privateReplies';
import { isPrivateReply, sendRateClass } from './sendRateLimit';
import { applyThreadControl, threadControlOf } from './sendThreadControl';
import {
	checkReferences,
	checkSenderActionAlone,
	conversationAttachments,
	messageAttachments,
} from './sendShapes';

const MESSAGING_TYPES = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG'];
const SENDER_ACTIONS = ['typing_on', 'typing_off', 'mark_seen', 'react', 'unreact'];

/** Graph merges query-string and body parameters; the body wins. Secrets are dropped. */
export function sendParams(ctx: GraphContext): JsonObject {
	return withoutSecrets({ ...formToObject(ctx.req.query), ...ctx.req.body });
}

/** Best-effort recipient id of a (possibly invalid) send body, for the rejected list. */
export function recipientIdOf(params: JsonObject): string | undefined {
	const recipient = params.recipient;
	return isJsonObject(recipient) ? optString(recipient, 'id') : undefined;
}

interface ValidatedSend {
	recipientId: string;
	kind: SentRecord['kind'];
	text?: string;
	attachments?: JsonValue[];
	tag?: string;
	messagingType?: string;
	senderAction?: string;
	/** Private reply (§3.14): `recipient.comment_id` instead of `recipient.id`. */
	commentId?: string;
}

function validate(params: JsonObject): ValidatedSend {
	const recipient = params.recipient;
	if (!isJsonObject(recipient)) throw graphErrors.invalidParameter('The parameter recipient is required');
	const commentId = optString(recipient, 'comment_id');
	if (commentId !== undefined && recipient.id !== undefined) {
		throw graphErrors.invalidParameter('Param recipient must have either id or comment_id, not both');
	}
	const recipientId = optString(recipient, 'id') ?? '';
	if (!recipientId && !commentId) throw graphErrors.invalidParameter('The parameter recipient is required');

	const messagingType = optString(params, 'messaging_type');
	if (messagingType !== undefined && !MESSAGING_TYPES.includes(messagingType)) {
		throw graphErrors.invalidParameter(`Param messaging_type must be one of {${MESSAGING_TYPES.join(', ')}}`);
	}
	const tag = optString(params, 'tag');
	if (messagingType === 'MESSAGE_TAG' && !tag) {
		throw graphErrors.invalidParameter('Param tag must be set when messaging_type is MESSAGE_TAG');
	}

	const senderAction = optString(params, 'sender_action');
	const message = params.message;
	if (message === undefined && senderAction === undefined) {
		throw graphErrors.invalidParameter('Must send either message or state');
	}
	if (message !== undefined && senderAction !== undefined) {
		throw graphErrors.invalidParameter('Param sender_action cannot be sent together with message');
	}

	if (senderAction !== undefined) {
		if (!SENDER_ACTIONS.includes(senderAction)) {
			throw graphErrors.invalidParameter(`Param sender_action must be one of {${SENDER_ACTIONS.join(', ')}}`);
		}
		if (commentId !== undefined)
			throw graphErrors.invalidParameter('Param sender_action cannot be sent to recipient[comment_id]');
		checkSenderActionAlone(params, senderAction);
		if (senderAction === 'react' || senderAction === 'unreact') {
			const payload = optObject(params, 'payload');
			if (!payload || !optString(payload, 'message_id')) {
				throw graphErrors.invalidParameter('Param payload[message_id] is required');
			}
			if (senderAction === 'react' && !optString(payload, 'reaction')) {
				throw graphErrors.invalidParameter('Param payload[reaction] is required');
			}
		}
		return { recipientId, kind: 'senderAction', senderAction, tag, messagingType };
	}

	if (!isJsonObject(message)) throw graphErrors.invalidParameter('Param message must be a JSON object');
	const rawText = message.text;
	if (rawText !== undefined && typeof rawText !== 'string') {
		throw graphErrors.invalidParameter('Param message[text] must be a string');
	}
	const text = rawText === '' ? undefined : rawText;
	const attachments: JsonValue[] = messageAttachments(message, text !== undefined);
	if (text === undefined && attachments.length === 0) throw graphErrors.emptyMessage();
	if (text !== undefined && Buffer.byteLength(text, 'utf8') > MAX_TEXT_BYTES) throw graphErrors.textTooLong();
	return {
		recipientId,
		kind: 'message',
		text,
		attachments: attachments.length > 0 ? attachments : undefined,
		tag,
		messagingType,
		...(commentId !== undefined ? { commentId } : {}),
	};
}

function postMessages(ctx: GraphContext, params: Record<string, string>): HandlerResult {
	const { account, services } = ctx;
	const pathId = params.id ?? '';
	if (pathId !== 'me' && !accountSelfIds(account).includes(pathId)) {
		throw graphErrors.unsupportedRequest('POST', pathId);
	}
	if (ctx.req.bodyError) throw graphErrors.invalidParameter(`Invalid request body: ${ctx.req.bodyError}`);

	const body = sendParams(ctx);
	// §7.4: throttled calls are refused before Meta looks at them (nothing is sent).
	const allowed = isPrivateReply(body)
		? services.state.takePrivateReply(account.igUserId, services.clock.now())
		: services.state.takeSendCall(account.igUserId, sendRateClass(body));
	if (!allowed) throw graphErrors.throttled();
	const send = validate(body);

	const accountId = account.igUserId;
	const attachments = (send.attachments ?? []).filter(isJsonObject);
	checkReferences(services.state, accountId, attachments, services.clock.now());
	if (send.commentId !== undefined) {
		return sendPrivateReply(ctx, body, { commentId: send.commentId, text: send.text, attachments });
	}
	if (!services.state.customer(accountId, send.recipientId)) throw graphErrors.noMatchingUser();
	// §6.1: while another app (e.g. the Instagram Inbox) holds the thread, this app may not send.
	if (!services.state.threads.maySend(account, send.recipientId)) throw threadErrors.anotherAppControls();

	const now = services.clock.now();
	const conversation = services.state.conversation(accountId, send.recipientId);
	// A tag counts when sent alone or with messaging_type MESSAGE_TAG (§3.2).
	const humanAgent =
		send.tag === 'HUMAN_AGENT' && (send.messagingType === undefined || send.messagingType === 'MESSAGE_TAG');
	if (!windowAllows(conversation?.lastInboundAt, now, humanAgent, conversation?.adWindowUntil))
		throw graphErrors.outsideWindow(account.flavour);
	const reactedTo = reactionTarget(ctx, send, body);
	assertReplyTarget(ctx, send, body);
	const control = threadControlOf(ctx, body, send.recipientId);

	const record: SentRecord = {
		seq: services.state.nextSeq(),
		at: now,
		accountId,
		flavour: account.flavour,
		recipientId: send.recipientId,
		kind: send.kind,
		body,
	};
	if (send.kind === 'message') record.messageId = newMid();
	if (send.text !== undefined) record.text = send.text;
	if (send.tag !== undefined) record.tag = send.tag;
	if (send.messagingType !== undefined) record.messagingType = send.messagingType;
	if (send.senderAction !== undefined) record.senderAction = send.senderAction;
	if (attachments.length > 0) record.attachments = attachments;
	services.state.sent.push(record);
	if (reactedTo) applyReaction(reactedTo, accountId, send.senderAction, body);
	if (record.messageId !== undefined) {
		services.state.recordOutbound(accountId, send.recipientId, {
			mid: record.messageId,
			at: now,
			text: send.text,
			attachments: attachments.length > 0 ? conversationAttachments(services.state, attachments) : undefined,
			sentSeq: record.seq,
		});
	}
	services.onSent(record);
	if (control) applyThreadControl(ctx, send.recipientId, control, now);

	const json: JsonObject = { recipient_id: send.recipientId };
	if (record.messageId !== undefined) json.message_id = record.messageId;
	return { status: 200, json };
}

/**
 * Message Replies (`reply_to.mid`; Instagram Login too since 21 Sep 2026, Instagram Platform
 * changelog) quote a message of this conversation.
 */
function assertReplyTarget(ctx: GraphContext, send: ValidatedSend, body: JsonObject): void {
	const replyTo = body.reply_to;
	if (replyTo === undefined) return;
	const mid = isJsonObject(replyTo) ? optString(replyTo, 'mid') : undefined;
	const found = mid ? ctx.services.state.findMessage(ctx.account.igUserId, mid) : undefined;
	if (!found || found.conversation.customerId !== send.recipientId) {
		throw graphErrors.invalidParameter(
			`Param reply_to[mid] must be a message of the conversation with ${send.recipientId}`,
		);
	}
}

/** react / unreact (§3.6) point at a message of this conversation. */
function reactionTarget(
	ctx: GraphContext,
	send: ValidatedSend,
	body: JsonObject,
): ConversationMessage | undefined {
	if (send.senderAction !== 'react' && send.senderAction !== 'unreact') return undefined;
	const mid = optString(optObject(body, 'payload') ?? {}, 'message_id') ?? '';
	const found = ctx.services.state.findMessage(ctx.account.igUserId, mid);
	if (!found || found.conversation.customerId !== send.recipientId) {
		throw graphErrors.invalidParameter(
			`Param payload[message_id] is not a message of the conversation with ${send.recipientId}`,
		);
	}
	return found.message;
}

/** One reaction per reactor: reacting again replaces it, unreact removes it. */
function applyReaction(
	message: ConversationMessage,
	accountId: string,
	senderAction: string | undefined,
	body: JsonObject,
): void {
	const others = (message.reactions ?? []).filter((r) => r.userId !== accountId);
	const reaction = optString(optObject(body, 'payload') ?? {}, 'reaction');
	message.reactions =
		senderAction === 'react' && reaction ? [...others, { userId: accountId, reaction }] : others;
}

export const messagesRoutes: GraphRoute[] = [
	{ method: 'POST', path: '/:id/messages', handler: postMessages, recordRejections: true },
];
