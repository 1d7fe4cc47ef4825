import type { EntryPoint, EntryPointType, InstagramEvent, Referral } from './types';

/**
 * How the customer reached the business with this event (docs/meta-fidelity.md, "Entry points"):
 * Meta marks a Click-to-Direct ad with `referral.source: "ADS"` (Webhook Notification Examples,
 * Nov 24 2025), an ig.me link with a `ref` by another source whose value its pages disagree on
 * (`SHORTLINK` / `SHORTLINKS`), an Instagram Shop product by `referral.product`; story replies
 * carry `reply_to.story`, story mentions a `story_mention` attachment. Meta's postback does not
 * say whether an ice breaker, a button or the menu was tapped.
 */
function referralEntry(referral: Referral): EntryPointType {
	if (referral.source !== null && referral.source.toUpperCase() === 'ADS') return 'ad';
	if (referral.adId !== null) return 'ad';
	if (referral.productId !== null) return 'shop';
	return 'link';
}

function typeOf(event: InstagramEvent): EntryPointType | null {
	// A mention through a Page names no author (`media_id`, `comment_id` only): an entry all the same.
	if (event.eventType === 'mention' && !event.isSelf) return 'mention';
	// Only what a customer did: not the business's own messages, comments or echoes.
	if (event.isEcho || event.isSelf || event.customerId === null || event.customerId !== event.senderId) {
		return null;
	}
	switch (event.eventType) {
		case 'comment':
			return 'comment';
		case 'live_comment':
			return 'live_comment';
		case 'mention':
			return 'mention';
		case 'referral':
			return event.referral === null ? 'link' : referralEntry(event.referral);
		case 'postback':
			return event.referral === null ? 'postback' : referralEntry(event.referral);
		case 'message':
			if (event.referral !== null) return referralEntry(event.referral);
			if (event.messageKind === 'story_mention') return 'story_mention';
			if (event.messageKind === 'story_reply') return 'story_reply';
			return 'direct_message';
		case 'message_unsupported':
		case 'message_edit':
		case 'reaction':
		case 'unreaction':
			return 'direct_message';
		default:
			return null;
	}
}

function storyOf(event: InstagramEvent): { storyId: string | null; storyUrl: string | null } {
	if (event.replyTo !== null && 'storyId' in event.replyTo) {
		return { storyId: event.replyTo.storyId, storyUrl: event.replyTo.storyUrl };
	}
	const mention = event.attachments.find((attachment) => attachment.type === 'story_mention');
	return { storyId: null, storyUrl: mention?.url ?? null };
}

/** The entry point of a customer's event; null for the business's own and system events. */
export function entryPointOf(event: InstagramEvent): EntryPoint | null {
	const type = typeOf(event);
	if (type === null) return null;
	const { storyId, storyUrl } = storyOf(event);
	const referral = event.referral;
	const adsContext = referral?.adsContextData ?? null;
	const adTitle = adsContext !== null && typeof adsContext.ad_title === 'string' ? adsContext.ad_title : null;
	return {
		type,
		mediaId: event.comment?.mediaId ?? null,
		mediaProductType: event.comment?.mediaProductType ?? null,
		permalink: null,
		caption: null,
		commentId: event.comment?.id ?? null,
		storyId,
		storyUrl,
		adId: referral?.adId ?? event.comment?.adId ?? null,
		adTitle,
		ref: referral?.ref ?? null,
	};
}
