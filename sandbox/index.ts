/**
 * Meta sandbox — our own stateful stand-in for Meta's Graph API (Instagram Login and Facebook
 * Page flavours) and its webhook sender. Dev/test only; never shipped in dist.
 *
 *   const sandbox = await MetaSandbox.start();          // http://127.0.0.1:<random port>
 *   sandbox.setWebhook({ callbackUrl, verifyToken });
 *   await sandbox.customerSays({ text: 'Hi' });         // signed `messages` webhook, opens the window
 *   // … point the node's base URL at sandbox.url, run it …
 *   expect(sandbox.sent()).toHaveLength(1);
 *   await sandbox.stop();
 */
export { MetaSandbox } from './server';
export type {
	AddCommentOptions,
	CustomerSaysOptions,
	CustomerSaysResult,
	DeliverOptions,
	WaitForSentOptions,
} from './sandboxOptions';
export {
	SANDBOX_DEFAULTS,
	HOUR_MS,
	DAY_MS,
	STANDARD_WINDOW_MS,
	HUMAN_AGENT_WINDOW_MS,
	MAX_TEXT_BYTES,
} from './defaults';
export { SandboxClock } from './clock';
export { GraphError, graphErrors } from './errors';
export type { FaultView } from './faults';
export { newMid, newFbtraceId, MID_PREFIX } from './ids';
export { accountAppSecret, accountToken } from './state';
export { RetryingSender, metaLikeBackoff } from './webhooks/retryingSender';
export type { RetryingSenderOptions, SenderStats } from './webhooks/retryingSender';
export { windowAllows, windowState } from './window';
export type { WindowVerdict } from './window';
export type { GraphContext, GraphRoute, GraphServices } from './graph/context';
export {
	buildEnvelope,
	buildEntry,
	envelopeFor,
	textMessageEvent,
	attachmentMessageEvent,
	echoEvent,
	reactionEvent,
	postbackEvent,
	seenEvent,
	referralEvent,
} from './webhooks/payloads';
export type {
	MessagingEvent,
	WebhookAttachment,
	WebhookChange,
	WebhookEntry,
	WebhookEnvelope,
	WebhookMessage,
	WebhookParty,
} from './webhooks/payloads';
export {
	metaJson,
	signBody,
	signBodySha1,
	signRequest,
	verifyCallbackUrl,
	META_USER_AGENT,
} from './webhooks/sender';
export type { SignedRequest, VerifyResult } from './webhooks/sender';
export type * from './types';
export type * from './contentTypes';
export type * from './recordTypes';
