export * from './types';
export { EVENT_TYPES, EVENT_TYPE_VALUES, MESSAGE_KINDS, MESSAGE_KIND_VALUES } from './catalog';
export type { EventTypeOption, MessageKindOption } from './catalog';
export { DEFAULT_ACCEPTED_OBJECTS, parseWebhookPayload } from './parse';
export { toItemJson } from './item';
export type { ItemOptions } from './item';
export {
	canonicalJson,
	dedupKeyFor,
	isDashboardSample,
	storedDedupKey,
	storedDedupKeys,
	TEST_EVENT_WINDOW_MS,
} from './dedup';
export { DEFAULT_RECENT_KEYS_LIMIT, DEFAULT_RECENT_KEYS_PROPERTY, RecentKeys } from './recentKeys';
export type { RecentKeysState } from './recentKeys';
export { HUMAN_AGENT_WINDOW_MS, STANDARD_WINDOW_MS, opensMessagingWindow } from './event';
export { SHARE_ATTACHMENT_TYPES } from './attachments';
export { fromConversationMessage } from './fromConversationMessage';
export { toId } from './read';
export {
	edgeList,
	isoTime,
	MESSAGE_FIELDS,
	MESSAGES_WITH_DETAILS,
	messagesWithDetails,
	simplifyGraphMessage,
} from './graphMessage';
export type { ConversationMessageContext } from './fromConversationMessage';
