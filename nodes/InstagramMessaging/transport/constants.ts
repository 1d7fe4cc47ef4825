export { GRAPH_API_VERSION } from './graphApi';

/** Inbox app ids Meta documents for handing a thread to a person (instagram-api.md §6.1). */
export const INSTAGRAM_INBOX_APP_ID = '1217981644879628';
export const FACEBOOK_PAGE_INBOX_APP_ID = '263902037430900';

/** Messaging windows (instagram-api.md §3.2). */
export const STANDARD_WINDOW_MS = 24 * 60 * 60 * 1000;
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** Text messages are limited to 1000 UTF-8 bytes (instagram-api.md §3.3). */
export const MAX_TEXT_BYTES = 1000;
