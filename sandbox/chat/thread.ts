/**
 * One conversation as the Instagram app would show it to the customer: the messages both ways
 * (outbound ones with what the Send API carried: quick replies, templates, media, stickers),
 * reactions, the latest typing / seen indicator, and who holds the thread.
 */
import type { SentRecord } from '../recordTypes';
import type { JsonObject, JsonValue } from '../types';
import { isJsonObject } from '../http';

export interface ChatButton {
	type: 'postback' | 'web_url';
	title: string;
	payload?: string;
	url?: string;
}

export interface ChatCard {
	title: string;
	subtitle?: string;
	imageUrl?: string;
	buttons: ChatButton[];
}

export interface ChatMedia {
	type: string;
	url?: string;
	attachmentId?: string;
}

export interface ChatItem {
	mid: string;
	at: number;
	from: 'customer' | 'business';
	text?: string;
	quickReplies?: Array<{ title: string; payload: string }>;
	cards?: ChatCard[];
	/** Button template: text above up to 3 buttons. */
	buttons?: ChatButton[];
	media?: ChatMedia[];
	sticker?: string;
	reactions: string[];
}

export interface ChatThread {
	customerId: string;
	accountUsername: string;
	items: ChatItem[];
	/** From the latest sender action the business sent. */
	typing: boolean;
	/** The business marked the customer's messages as seen after the last one. */
	seen: boolean;
	/** Who holds the thread: this app (or nobody), or another app such as the Instagram Inbox. */
	heldBy: 'bot' | 'humanInbox';
}

export interface ThreadSource {
	accountUsername: string;
	customerId: string;
	messages: Array<{
		direction: 'inbound' | 'outbound';
		mid: string;
		at: number;
		text?: string;
		sentSeq?: number;
		reactions?: Array<{ reaction: string }>;
	}>;
	sent: SentRecord[];
	heldByOtherApp: boolean;
}

const REACTION_EMOJI: Record<string, string> = { love: '\u2764\ufe0f' };

export function buildThread(source: ThreadSource): ChatThread {
	const bySeq = new Map(source.sent.map((r) => [r.seq, r]));
	const items = source.messages.map((m): ChatItem => {
		const item: ChatItem = {
			mid: m.mid,
			at: m.at,
			from: m.direction === 'inbound' ? 'customer' : 'business',
			reactions: (m.reactions ?? []).map((r) => REACTION_EMOJI[r.reaction] ?? r.reaction),
		};
		if (m.text !== undefined) item.text = m.text;
		const record = m.sentSeq !== undefined ? bySeq.get(m.sentSeq) : undefined;
		if (record) Object.assign(item, fromSendBody(record.body));
		return item;
	});
	const actions = source.sent.filter((r) => r.kind === 'senderAction');
	const lastAction = actions[actions.length - 1];
	const lastMessageSeq = Math.max(-1, ...source.sent.filter((r) => r.kind === 'message').map((r) => r.seq));
	const lastInbound = [...source.messages].reverse().find((m) => m.direction === 'inbound');
	const typing = lastAction?.senderAction === 'typing_on' && lastAction.seq > lastMessageSeq;
	const seen = actions.some(
		(r) => r.senderAction === 'mark_seen' && lastInbound !== undefined && r.at >= lastInbound.at,
	);
	return {
		customerId: source.customerId,
		accountUsername: source.accountUsername,
		items,
		typing,
		seen,
		heldBy: source.heldByOtherApp ? 'humanInbox' : 'bot',
	};
}

function fromSendBody(body: JsonObject): Partial<ChatItem> {
	const message = body.message;
	if (!isJsonObject(message)) return {};
	const out: Partial<ChatItem> = {};
	if (typeof message.text === 'string') out.text = message.text;
	if (Array.isArray(message.quick_replies)) {
		out.quickReplies = message.quick_replies.filter(isJsonObject).map((q) => ({
			title: String(q.title ?? ''),
			payload: String(q.payload ?? ''),
		}));
	}
	const attachments = [
		...(isJsonObject(message.attachment) ? [message.attachment] : []),
		...(Array.isArray(message.attachments) ? message.attachments.filter(isJsonObject) : []),
	];
	for (const attachment of attachments) Object.assign(out, fromAttachment(attachment, out));
	return out;
}

function fromAttachment(attachment: JsonObject, sofar: Partial<ChatItem>): Partial<ChatItem> {
	const type = String(attachment.type ?? '');
	const payload = isJsonObject(attachment.payload) ? attachment.payload : {};
	if (type === 'like_heart') return { sticker: '\u2764\ufe0f' };
	if (type === 'template') {
		if (payload.template_type === 'button')
			return { text: String(payload.text ?? ''), buttons: buttonsOf(payload.buttons) };
		const elements = Array.isArray(payload.elements) ? payload.elements.filter(isJsonObject) : [];
		return {
			cards: elements.map((e) => ({
				title: String(e.title ?? ''),
				...(typeof e.subtitle === 'string' && { subtitle: e.subtitle }),
				...(typeof e.image_url === 'string' && { imageUrl: e.image_url }),
				buttons: buttonsOf(e.buttons),
			})),
		};
	}
	const media: ChatMedia = { type: type === 'MEDIA_SHARE' ? 'post' : type };
	if (typeof payload.url === 'string') media.url = payload.url;
	if (typeof payload.attachment_id === 'string') media.attachmentId = payload.attachment_id;
	if (typeof payload.id === 'string') media.attachmentId = payload.id;
	return { media: [...(sofar.media ?? []), media] };
}

function buttonsOf(value: JsonValue | undefined): ChatButton[] {
	if (!Array.isArray(value)) return [];
	return value.filter(isJsonObject).map((b) => ({
		type: b.type === 'web_url' ? 'web_url' : 'postback',
		title: String(b.title ?? ''),
		...(typeof b.payload === 'string' && { payload: b.payload }),
		...(typeof b.url === 'string' && { url: b.url }),
	}));
}
