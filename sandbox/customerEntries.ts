/**
 * Where a customer's conversation with the business begins, each as the signed webhook Meta sends
 * (docs/meta-fidelity.md, "Entry points"; docs/research/meta-entry-points-2026-12.md):
 * - `comment` / `liveComment`: a `comments` / `live_comments` change with `id`, `from`, `text`,
 *   `media{id,media_product_type}` and `parent_id` for a reply in a thread;
 * - `storyReply`: a `messages` item with `reply_to.story{id,url}`;
 * - `storyMention`: a `messages` item with a `story_mention` attachment (`payload.url`);
 * - `ad`: the first message after a Click-to-Direct ad, `referral{ref?,ad_id,source:"ADS",
 *   type:"OPEN_THREAD",ads_context_data}` — the window then lasts up to 7 days from it;
 * - `link`: an ig.me link with `ref`: `message.referral` in a new thread, a `messaging_referral`
 *   event (which reopens the 24-hour window) in an existing one.
 */
import type { SandboxComment } from './contentTypes';
import type { CustomerServices } from './customerEvents';
import { HUMAN_AGENT_WINDOW_MS, SANDBOX_DEFAULTS } from './defaults';
import { newMid } from './ids';
import type { DeliveryResult } from './recordTypes';
import type { AccountRef, JsonObject } from './types';
import {
	attachmentMessageEvent,
	referralEvent,
	textMessageEvent,
	type MessagingEvent,
} from './webhooks/payloads';
import { envelopeByOwnership } from './webhooks/standby';

export type EntryVia = 'comment' | 'liveComment' | 'storyReply' | 'storyMention' | 'ad' | 'link';
export const ENTRY_VIAS: readonly EntryVia[] = [
	'comment',
	'liveComment',
	'storyReply',
	'storyMention',
	'ad',
	'link',
];

export interface CustomerEntryOptions {
	via: EntryVia;
	/** The comment, the story reply, or the message sent after the ad or link. */
	text?: string;
	from?: string;
	fromUsername?: string;
	account?: AccountRef;
	/** Comments: the post or reel (default: the account's newest, or a new one). */
	mediaId?: string;
	/** A comment replying to this top-level comment. */
	parentId?: string;
	/** Story replies: the account's story (default: a new one). */
	storyId?: string;
	ref?: string;
	adId?: string;
	adTitle?: string;
	callbackUrl?: string;
}

export interface CustomerEntryResult {
	payload: JsonObject;
	delivery: DeliveryResult;
	/** The comment, for `comment` and `liveComment`. */
	comment?: SandboxComment;
}

function messagingEntry(
	services: CustomerServices,
	accountId: string,
	from: string,
	opts: CustomerEntryOptions,
	at: number,
): MessagingEvent {
	const { state, clock } = services;
	const base = { accountId, customerId: from, timestamp: at };
	const text = opts.text ?? '';
	switch (opts.via) {
		case 'storyReply': {
			const story =
				(opts.storyId !== undefined ? state.media(opts.storyId) : undefined) ??
				state.addMedia({ id: opts.storyId, accountId, at: clock.now(), productType: 'STORY' });
			const event = textMessageEvent({ ...base, text });
			if (event.message)
				event.message.reply_to = {
					story: { id: story.id, url: `https://lookaside.fbsbx.com/story/${story.id}` },
				};
			state.recordInbound(accountId, from, { mid: event.message?.mid ?? newMid(), at, text });
			return event;
		}
		case 'storyMention': {
			const url = `https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=${newMid().slice(-12)}`;
			const event = attachmentMessageEvent({
				...base,
				attachments: [{ type: 'story_mention', payload: { url } }],
			});
			state.recordInbound(accountId, from, {
				mid: event.message?.mid ?? newMid(),
				at,
				text: '(mentioned you in their story)',
			});
			return event;
		}
		case 'ad': {
			const event = textMessageEvent({ ...base, text: text || 'Hi! I saw your ad.' });
			const referral: JsonObject = {
				ad_id: opts.adId ?? '120200000000000001',
				source: 'ADS',
				type: 'OPEN_THREAD',
				ads_context_data: {
					ad_title: opts.adTitle ?? 'Sandbox ad',
					photo_url: 'https://scontent.cdninstagram.com/ad.jpg',
				},
			};
			if (opts.ref !== undefined) referral.ref = opts.ref;
			if (event.message) event.message.referral = referral;
			state.recordInbound(accountId, from, {
				mid: event.message?.mid ?? newMid(),
				at,
				text: event.message?.text,
			});
			state.openAdWindow(accountId, from, at + HUMAN_AGENT_WINDOW_MS);
			return event;
		}
		default: {
			const ref = opts.ref ?? 'sandbox';
			const existing = (state.conversation(accountId, from)?.messages.length ?? 0) > 0;
			if (existing) {
				// "This action resets the 24-hour window for standard messaging" (Using ig.me Links).
				const event = referralEvent({ ...base, ref });
				state.recordInbound(accountId, from, { mid: newMid(), at, text: `(opened ig.me link ref=${ref})` });
				return event;
			}
			const event = textMessageEvent({ ...base, text: text || 'Hi!' });
			if (event.message) event.message.referral = { ref, source: 'SHORTLINKS', type: 'OPEN_THREAD' };
			state.recordInbound(accountId, from, {
				mid: event.message?.mid ?? newMid(),
				at,
				text: event.message?.text,
			});
			return event;
		}
	}
}

function commentEntry(
	services: CustomerServices,
	accountId: string,
	from: string,
	opts: CustomerEntryOptions,
	at: number,
): { change: JsonObject; comment: SandboxComment } {
	const { state } = services;
	const live = opts.via === 'liveComment';
	const mediaId =
		opts.mediaId ??
		state.listMedia(accountId).find((m) => m.productType !== 'STORY' && (m.live === true) === live)?.id ??
		state.addMedia({ accountId, at, ...(live ? { live: true } : {}) }).id;
	const comment = state.addComment({
		accountId,
		mediaId,
		from,
		text: opts.text ?? '',
		at,
		...(opts.fromUsername !== undefined ? { fromUsername: opts.fromUsername } : {}),
		...(opts.parentId !== undefined ? { parentId: opts.parentId } : {}),
		...(live ? { live: true } : {}),
	});
	const username = opts.fromUsername ?? state.customer(accountId, from)?.username;
	const value: JsonObject = {
		id: comment.id,
		from: { id: from, ...(username !== undefined ? { username } : {}) },
		text: comment.text,
		media: { id: mediaId, media_product_type: state.media(mediaId)?.productType ?? 'FEED' },
	};
	if (opts.parentId !== undefined) value.parent_id = opts.parentId;
	return { change: { field: live ? 'live_comments' : 'comments', value }, comment };
}

/** A customer reaches the business through one of Instagram's entry points; the webhook is delivered. */
export async function customerEnters(
	services: CustomerServices,
	opts: CustomerEntryOptions,
): Promise<CustomerEntryResult> {
	const { state, clock, deliver } = services;
	const account = state.account(opts.account ?? 'instagram');
	const from = opts.from ?? SANDBOX_DEFAULTS.customer.id;
	const at = clock.now();
	if (
		(opts.via === 'comment' || opts.via === 'liveComment' || opts.via === 'storyReply') &&
		!opts.text?.trim()
	) {
		throw new Error(`text is required for ${opts.via}`);
	}
	if (opts.via === 'comment' || opts.via === 'liveComment') {
		const { change, comment } = commentEntry(services, account.igUserId, from, opts, at);
		const payload: JsonObject = {
			object: 'instagram',
			entry: [{ id: account.igUserId, time: at, changes: [change] }],
		};
		const delivery = await deliver(payload, { account: account.igUserId, callbackUrl: opts.callbackUrl });
		return { payload, delivery, comment };
	}
	const event = messagingEntry(services, account.igUserId, from, opts, at);
	const payload = envelopeByOwnership(state.threads, account, from, [event], Math.max(at, clock.now()));
	const delivery = await deliver(payload, { account: account.igUserId, callbackUrl: opts.callbackUrl });
	return { payload: payload as unknown as JsonObject, delivery };
}
