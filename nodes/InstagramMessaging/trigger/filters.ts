import type { IDataObject } from 'n8n-workflow';

import type { InstagramEvent } from '../events';
import { FACEBOOK_PAGE_INBOX_APP_ID, INSTAGRAM_INBOX_APP_ID } from '../transport';
import { DEFAULT_MAX_ATTACHMENT_MB } from './description';
import { locatorIds } from './entryOptions';
import { keywordRuleOf, matchedKeyword, type KeywordRule } from './keywords';

export interface TriggerOptions {
	includeRaw: boolean;
	includeStandby: boolean;
	downloadAttachments: boolean;
	maxAttachmentBytes: number;
	messageKinds: string[];
	accountIds: string[];
	customerIds: string[];
	/** Keywords for messages, story replies and comments; null when the option is off. */
	keywords: KeywordRule | null;
	/** Comments and Live comments only on these posts or reels; empty = all. */
	mediaIds: string[];
	/** Story replies only to these stories; empty = all. */
	storyIds: string[];
	/** Only events with one of these entry points; empty = all. */
	entryPoints: string[];
}

/** The events Keywords applies to: what a person writes (a DM, a story reply, a comment). */
const KEYWORD_EVENTS: ReadonlySet<string> = new Set(['message', 'comment', 'live_comment']);

/** The keyword the event's text matched; null when the option is off or the event has no text to match. */
export function keywordOf(event: InstagramEvent, options: TriggerOptions): string | null {
	if (options.keywords === null || !KEYWORD_EVENTS.has(event.eventType)) return null;
	return matchedKeyword(event.text, options.keywords);
}

function passesEntryFilters(event: InstagramEvent, options: TriggerOptions): boolean {
	if (
		options.keywords !== null &&
		KEYWORD_EVENTS.has(event.eventType) &&
		keywordOf(event, options) === null
	) {
		return false;
	}
	// Comments on the account's own posts and reels; a mention is on someone else's media.
	const onMedia = event.eventType === 'comment' || event.eventType === 'live_comment';
	const mediaId = onMedia ? (event.comment?.mediaId ?? null) : null;
	if (options.mediaIds.length > 0 && mediaId !== null && !options.mediaIds.includes(mediaId)) return false;
	const entry = event.entryPoint;
	if (options.entryPoints.length > 0 && (entry === null || !options.entryPoints.includes(entry.type)))
		return false;
	if (options.storyIds.length > 0 && entry?.type === 'story_reply') {
		return entry.storyId !== null && options.storyIds.includes(entry.storyId);
	}
	return true;
}

function idList(value: unknown): string[] {
	if (typeof value !== 'string') return [];
	return value
		.split(/[\s,;]+/)
		.map((id) => id.trim())
		.filter((id) => id !== '');
}

/** The "Options" collection, with defaults and normalised id lists. */
export function readOptions(raw: IDataObject): TriggerOptions {
	const mb =
		typeof raw.maxAttachmentMb === 'number' && raw.maxAttachmentMb > 0
			? raw.maxAttachmentMb
			: DEFAULT_MAX_ATTACHMENT_MB;
	return {
		includeRaw: raw.includeRaw === true,
		includeStandby: raw.includeStandby === true,
		downloadAttachments: raw.downloadAttachments === true,
		maxAttachmentBytes: Math.floor(mb * 1024 * 1024),
		messageKinds: Array.isArray(raw.messageKinds)
			? raw.messageKinds.filter((k): k is string => typeof k === 'string')
			: [],
		accountIds: idList(raw.accountIds),
		customerIds: idList(raw.customerIds),
		keywords: keywordRuleOf(raw.keywords, raw.keywordMatch),
		mediaIds: locatorIds(raw.onlyMedia),
		storyIds: locatorIds(raw.onlyStories),
		entryPoints: Array.isArray(raw.entryPoints)
			? raw.entryPoints.filter((v): v is string => typeof v === 'string')
			: [],
	};
}

/** Whether the event passes "Trigger On" and the options' filters. */
export function isWanted(
	event: InstagramEvent,
	events: ReadonlySet<string>,
	options: TriggerOptions,
): boolean {
	if (!events.has(event.eventType)) return false;
	if (event.isStandby && !options.includeStandby) return false;
	if (
		event.eventType === 'message' &&
		options.messageKinds.length > 0 &&
		(event.messageKind === null || !options.messageKinds.includes(event.messageKind))
	) {
		return false;
	}
	if (
		options.accountIds.length > 0 &&
		(event.accountId === null || !options.accountIds.includes(event.accountId))
	) {
		return false;
	}
	if (
		options.customerIds.length > 0 &&
		(event.customerId === null || !options.customerIds.includes(event.customerId))
	) {
		return false;
	}
	return passesEntryFilters(event, options);
}

export type EchoSource = 'app' | 'instagramApp' | 'unknown';

/**
 * Who sent an echo. Meta does not document an `app_id` on Instagram echoes; when one is present
 * (Messenger-style) the inbox apps mean a person in the Instagram / Page inbox and any other id an
 * app (this one or another). Without it the sender cannot be told apart: `unknown`.
 */
export function echoSourceOf(event: InstagramEvent): { echoSource: EchoSource; echoAppId: string | null } {
	const message = event.raw.message;
	const appId =
		typeof message === 'object' && message !== null && !Array.isArray(message)
			? (message as IDataObject).app_id
			: undefined;
	const id = typeof appId === 'string' || typeof appId === 'number' ? String(appId) : null;
	if (id === null || id === '') return { echoSource: 'unknown', echoAppId: null };
	const inbox = id === INSTAGRAM_INBOX_APP_ID || id === FACEBOOK_PAGE_INBOX_APP_ID;
	return { echoSource: inbox ? 'instagramApp' : 'app', echoAppId: id };
}
