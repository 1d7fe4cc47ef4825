/**
 * What the Send API accepts inside `message` and alongside `sender_action` (instagram-api.md
 * §3.4–3.12), checked the way Meta does, plus the checks that need state (uploaded attachment
 * ids, own posts, the message a reaction points at).
 */
import { GraphError, graphErrors } from '../errors';
import { isJsonObject, optObject, optString } from '../http';
import type { SandboxState } from '../state';
import type { JsonObject, JsonValue } from '../types';

export const MEDIA_TYPES = ['image', 'video', 'audio', 'file'];
export const MAX_IMAGES_PER_MESSAGE = 10;
export const MAX_QUICK_REPLIES = 13;
/** Phone and email quick replies were disabled on 5 Oct 2026 (Instagram Platform changelog). */
export const QUICK_REPLY_CONTENT_TYPES = ['text'];
export const MAX_TEMPLATE_ELEMENTS = 10;
export const MAX_TEMPLATE_TEXT = 80;
export const MAX_TEMPLATE_BUTTONS = 3;
export const MAX_BUTTON_TEMPLATE_TEXT = 640;
export const BUTTON_TYPES = ['web_url', 'postback'];

const invalid = (message: string): GraphError => graphErrors.invalidParameter(message);

function isWebUrl(value: unknown): boolean {
	if (typeof value !== 'string') return false;
	try {
		const url = new URL(value);
		return url.protocol === 'https:' || url.protocol === 'http:';
	} catch {
		return false;
	}
}

function characters(text: string): number {
	return [...text].length;
}

/** `payload` of an image/video/audio/file attachment: exactly one of `url` or `attachment_id`. */
function checkMediaPayload(attachment: JsonObject, where: string): void {
	const payload = optObject(attachment, 'payload');
	if (!payload) throw invalid(`Param ${where}[payload] is required`);
	const url = payload.url;
	const id = optString(payload, 'attachment_id');
	if (url !== undefined && id !== undefined)
		throw invalid(`Param ${where}[payload] must have either url or attachment_id, not both`);
	if (url === undefined && id === undefined)
		throw invalid(`Param ${where}[payload] must have url or attachment_id`);
	if (url !== undefined && !isWebUrl(url)) throw invalid(`Param ${where}[payload][url] must be a valid URL`);
	if (id !== undefined && !/^\d+$/.test(id))
		throw invalid(`Param ${where}[payload][attachment_id] must be a valid ID`);
	// Meta documents sending an uploaded asset by id as an image ("Send a Message", Mar 2026) or as
	// MEDIA_SHARE ("Upload Media for Instagram Messaging"); for video, audio and file it shows no
	// such form, so the sandbox refuses it (docs/meta-fidelity.md).
	if (id !== undefined && attachment.type !== 'image')
		throw invalid(
			`Param ${where}[payload][attachment_id] is only supported for image attachments; send other uploaded media as MEDIA_SHARE`,
		);
}

function checkButtons(buttons: JsonValue | undefined, where: string, min: number): void {
	if (buttons === undefined && min === 0) return;
	if (!Array.isArray(buttons)) throw invalid(`Param ${where}[buttons] must be an array`);
	if (buttons.length < min) throw invalid(`Param ${where}[buttons] must contain at least ${min} element`);
	if (buttons.length > MAX_TEMPLATE_BUTTONS) {
		throw invalid(`Param ${where}[buttons] must contain at most ${MAX_TEMPLATE_BUTTONS} elements`);
	}
	buttons.forEach((button, index) => {
		const at = `${where}[buttons][${index}]`;
		if (!isJsonObject(button)) throw invalid(`Param ${at} must be a JSON object`);
		const type = optString(button, 'type');
		if (!type || !BUTTON_TYPES.includes(type))
			throw invalid(`Param ${at}[type] must be one of {${BUTTON_TYPES.join(', ')}}`);
		if (!optString(button, 'title')) throw invalid(`Param ${at}[title] is required`);
		if (type === 'web_url' && !isWebUrl(button.url)) throw invalid(`Param ${at}[url] must be a valid URL`);
		if (type === 'postback' && !optString(button, 'payload'))
			throw invalid(`Param ${at}[payload] is required`);
	});
}

function checkTemplate(attachment: JsonObject, where: string): void {
	const payload = optObject(attachment, 'payload');
	if (!payload) throw invalid(`Param ${where}[payload] is required`);
	const templateType = optString(payload, 'template_type');
	if (templateType === 'generic') {
		const elements = payload.elements;
		if (!Array.isArray(elements) || elements.length === 0) {
			throw invalid(`Param ${where}[payload][elements] must be a non-empty array`);
		}
		if (elements.length > MAX_TEMPLATE_ELEMENTS) {
			throw invalid(
				`Param ${where}[payload][elements] must contain at most ${MAX_TEMPLATE_ELEMENTS} elements`,
			);
		}
		elements.forEach((element, index) => {
			const at = `${where}[payload][elements][${index}]`;
			if (!isJsonObject(element)) throw invalid(`Param ${at} must be a JSON object`);
			const title = optString(element, 'title');
			if (!title) throw invalid(`Param ${at}[title] is required`);
			if (characters(title) > MAX_TEMPLATE_TEXT)
				throw invalid(`Param ${at}[title] must be at most ${MAX_TEMPLATE_TEXT} characters`);
			const subtitle = optString(element, 'subtitle');
			if (subtitle !== undefined && characters(subtitle) > MAX_TEMPLATE_TEXT) {
				throw invalid(`Param ${at}[subtitle] must be at most ${MAX_TEMPLATE_TEXT} characters`);
			}
			if (element.image_url !== undefined && !isWebUrl(element.image_url))
				throw invalid(`Param ${at}[image_url] must be a valid URL`);
			const action = element.default_action;
			if (action !== undefined) {
				if (!isJsonObject(action) || action.type !== 'web_url' || !isWebUrl(action.url)) {
					throw invalid(`Param ${at}[default_action] must be a web_url action with a valid url`);
				}
			}
			checkButtons(element.buttons, at, 0);
			const extra = ['subtitle', 'image_url', 'default_action', 'buttons'].some(
				(key) => element[key] !== undefined,
			);
			if (!extra) throw invalid(`Param ${at} must have at least one property besides title`);
		});
		return;
	}
	if (templateType === 'button') {
		const text = optString(payload, 'text');
		if (!text) throw invalid(`Param ${where}[payload][text] is required`);
		if (characters(text) > MAX_BUTTON_TEMPLATE_TEXT) {
			throw invalid(`Param ${where}[payload][text] must be at most ${MAX_BUTTON_TEMPLATE_TEXT} characters`);
		}
		checkButtons(payload.buttons, `${where}[payload]`, 1);
		return;
	}
	throw invalid(`Param ${where}[payload][template_type] must be one of {generic, button}`);
}

function checkAttachment(attachment: JsonValue, where: string): JsonObject {
	if (!isJsonObject(attachment)) throw invalid(`Param ${where} must be a JSON object`);
	const type = optString(attachment, 'type');
	if (type !== undefined && MEDIA_TYPES.includes(type)) checkMediaPayload(attachment, where);
	else if (type === 'like_heart') {
		// The heart sticker carries no payload (§3.5).
	} else if (type === 'MEDIA_SHARE') {
		// A post of the account (`payload.id`) or an uploaded asset (`payload.attachment_id`).
		const payload = optObject(attachment, 'payload');
		const id = payload ? (optString(payload, 'id') ?? optString(payload, 'attachment_id')) : undefined;
		if (!id) throw invalid(`Param ${where}[payload][id] is required`);
	} else if (type === 'template') checkTemplate(attachment, where);
	else {
		throw invalid(
			`Param ${where}[type] must be one of {${[...MEDIA_TYPES, 'like_heart', 'MEDIA_SHARE', 'template'].join(', ')}}`,
		);
	}
	return attachment;
}

function checkQuickReplies(value: JsonValue, hasText: boolean): void {
	if (!Array.isArray(value)) throw invalid('Param message[quick_replies] must be an array');
	if (!hasText) throw invalid('Param message[text] is required with message[quick_replies]');
	if (value.length === 0) throw invalid('Param message[quick_replies] must be a non-empty array');
	if (value.length > MAX_QUICK_REPLIES) {
		throw invalid(`Param message[quick_replies] must contain at most ${MAX_QUICK_REPLIES} elements`);
	}
	value.forEach((reply, index) => {
		const at = `message[quick_replies][${index}]`;
		if (!isJsonObject(reply)) throw invalid(`Param ${at} must be a JSON object`);
		const contentType = optString(reply, 'content_type');
		if (!contentType || !QUICK_REPLY_CONTENT_TYPES.includes(contentType)) {
			throw invalid(`Param ${at}[content_type] must be one of {${QUICK_REPLY_CONTENT_TYPES.join(', ')}}`);
		}
		if (contentType === 'text') {
			// Titles longer than 20 characters are accepted and truncated on screen (§3.9).
			if (!optString(reply, 'title')) throw invalid(`Param ${at}[title] is required`);
			if (!optString(reply, 'payload')) throw invalid(`Param ${at}[payload] is required`);
		}
	});
}

/** The attachments of a `message` object (single `attachment` or plural `attachments`), validated. */
export function messageAttachments(message: JsonObject, hasText: boolean): JsonObject[] {
	const single = message.attachment;
	const plural = message.attachments;
	if (single !== undefined && plural !== undefined) {
		throw invalid('Param message must have either attachment or attachments, not both');
	}
	if ((single !== undefined || plural !== undefined) && hasText) {
		throw invalid('Param message must have either text or an attachment, not both');
	}
	if (message.quick_replies !== undefined) checkQuickReplies(message.quick_replies, hasText);
	if (single !== undefined) return [checkAttachment(single, 'message[attachment]')];
	if (plural === undefined) return [];
	if (!Array.isArray(plural) || plural.length === 0)
		throw invalid('Param message[attachments] must be a non-empty array');
	if (plural.length > MAX_IMAGES_PER_MESSAGE) {
		throw invalid(`Param message[attachments] must contain at most ${MAX_IMAGES_PER_MESSAGE} elements`);
	}
	return plural.map((attachment, index) => {
		const checked = checkAttachment(attachment, `message[attachments][${index}]`);
		if (checked.type !== 'image')
			throw invalid(
				`Param message[attachments][${index}][type] must be image: only images can be sent together`,
			);
		return checked;
	});
}

/** Typing indicators and mark_seen go alone; react/unreact add only their `payload` (§3.6, §3.12). */
export function checkSenderActionAlone(params: JsonObject, senderAction: string): void {
	const allowed =
		senderAction === 'react' || senderAction === 'unreact'
			? ['recipient', 'sender_action', 'payload']
			: ['recipient', 'sender_action'];
	const extra = Object.keys(params).filter((key) => !allowed.includes(key));
	if (extra.length > 0) {
		throw invalid(`Param sender_action must be sent alone: remove ${extra.join(', ')}`);
	}
}

/**
 * "Attachment IDs expire after 90 days. After an attachment ID expires, you need to re-upload your
 * media to get a new attachment ID" (Messenger Platform, Saving assets, Apr 22 2026; Instagram's
 * upload page says nothing else): docs/meta-fidelity.md.
 */
export const ATTACHMENT_ID_LIFETIME_MS = 90 * 24 * 3_600_000;

/** Checks that need state: uploaded attachment ids of this account (not expired), posts owned by it. */
export function checkReferences(
	state: SandboxState,
	accountId: string,
	attachments: JsonObject[],
	now: number,
): void {
	attachments.forEach((attachment) => {
		const payload = optObject(attachment, 'payload') ?? {};
		const attachmentId = optString(payload, 'attachment_id');
		if (attachmentId !== undefined) {
			const stored = state.attachment(attachmentId);
			if (!stored || stored.accountId !== accountId) {
				throw graphErrors.invalidParameter(
					`Attachment ${attachmentId} does not exist or does not belong to this account`,
				);
			}
			if (now - stored.at > ATTACHMENT_ID_LIFETIME_MS) {
				throw graphErrors.invalidParameter(
					`Attachment ${attachmentId} has expired: attachment IDs expire after 90 days; upload the media again`,
				);
			}
		}
		if (attachment.type === 'MEDIA_SHARE' && attachmentId === undefined) {
			const mediaId = optString(payload, 'id') ?? '';
			const media = state.media(mediaId);
			if (!media || media.accountId !== accountId) {
				throw graphErrors.invalidParameter(
					`The media ${mediaId} does not exist or is not owned by this account`,
				);
			}
		}
	});
}

/**
 * Attachments as the conversation log keeps them (what `GET /{message-id}` renders): uploaded
 * assets get their CDN url, a shared post becomes an `ig_post` with its media id.
 */
export function conversationAttachments(state: SandboxState, attachments: JsonObject[]): JsonValue[] {
	return attachments.map((attachment): JsonObject => {
		const payload = optObject(attachment, 'payload') ?? {};
		const attachmentId = optString(payload, 'attachment_id');
		if (attachmentId !== undefined) {
			const stored = state.attachment(attachmentId);
			const url = stored?.url ?? `https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=${attachmentId}`;
			// Sent as MEDIA_SHARE, the asset still arrives as what was uploaded (video, audio, file).
			return { ...attachment, type: stored?.type ?? attachment.type, payload: { ...payload, url } };
		}
		// Since 27 Apr 2026 a shared post arrives as `ig_post` only (the legacy `share` was removed:
		// Instagram Messaging changelog; payload as in "Instagram Post Shares: New Attachment Type").
		if (attachment.type === 'MEDIA_SHARE') {
			const mediaId = optString(payload, 'id') ?? '';
			return {
				type: 'ig_post',
				payload: {
					ig_post_media_id: mediaId,
					url: `https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=${mediaId}&signature=sandbox`,
				},
			};
		}
		if (attachment.type === 'like_heart') {
			return {
				type: 'sticker',
				payload: { url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/like_heart.png' },
			};
		}
		return attachment;
	});
}
