export { GRAPH_API_VERSION } from './graphApi';

/** Inbox app ids Meta documents for handing a thread to a person (instagram-api.md §6.1). */
export const INSTAGRAM_INBOX_APP_ID = '1217981644879628';
export const FACEBOOK_PAGE_INBOX_APP_ID = '263902037430900';

/** Messaging windows (instagram-api.md §3.2). */
export const STANDARD_WINDOW_MS = 24 * 60 * 60 * 1000;
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/**
 * The standard window after a person's first message following a Click-to-Direct ad "may last up
 * to 7 days from that message" (Messenger Platform and IG Messaging API policy, Sep 28 2026).
 * Meta gives no signal of the length it granted: the package allows bot messages for the 7 days,
 * and Meta's refusal (10/2534022) says when the window was shorter (docs/meta-fidelity.md).
 */
export const AD_WINDOW_MS = HUMAN_AGENT_WINDOW_MS;

/** Text messages are limited to 1000 UTF-8 bytes (instagram-api.md §3.3). */
export const MAX_TEXT_BYTES = 1000;
