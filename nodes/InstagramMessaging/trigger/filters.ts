import type { IDataObject } from 'n8n-workflow';

import type { InstagramEvent } from '../events';
import { FACEBOOK_PAGE_INBOX_APP_ID, INSTAGRAM_INBOX_APP_ID } from '../transport';
import { DEFAULT_MAX_ATTACHMENT_MB } from './description';

export interface TriggerOptions {
	includeRaw: boolean;
	includeStandby: boolean;
	downloadAttachments: boolean;
	maxAttachmentBytes: number;
	messageKinds: string[];
	accountIds: string[];
	customerIds: string[];
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
	return true;
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
