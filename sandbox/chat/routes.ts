/**
 * The customer's side of the demo: `GET /_sandbox/chat` is a page where you play the Instagram
 * customer. Typing and tapping go through the same signed webhooks Meta would send.
 */
import type { ControlledSandbox, ControlRoute } from '../controlRoute';
import { SANDBOX_DEFAULTS } from '../defaults';
import { appIdOf } from '../state/accountApps';
import { optString, type HandlerResult } from '../http';
import { entryOptionsOf } from '../control/entryRoutes';
import { ControlError } from '../control/params';
import { CHAT_PAGE } from './page';
import { buildThread } from './thread';

const bad = (message: string): HandlerResult => ({ status: 400, json: { error: { message } } });

function threadOf(sandbox: ControlledSandbox, customerId: string, accountRef: string) {
	const account = sandbox.accounts.find((a) => a.flavour === accountRef || a.igUserId === accountRef);
	if (!account) return undefined;
	const conversation = sandbox.conversations(account.igUserId).find((c) => c.customerId === customerId);
	const owner = sandbox.threadOwner(customerId, account.igUserId);
	const thread = buildThread({
		accountUsername: account.username,
		customerId,
		messages: conversation?.messages ?? [],
		sent: sandbox.sent({ recipientId: customerId, accountId: account.igUserId }),
		heldByOtherApp: owner !== null && owner !== appIdOf(account),
	});
	return { ...thread, comments: commentsOf(sandbox, account.igUserId, customerId) };
}

/** The customer's comments on the account's posts, with the public replies under each. */
function commentsOf(sandbox: ControlledSandbox, accountId: string, customerId: string) {
	const all = sandbox.state.listComments(accountId);
	return all
		.filter((c) => c.from === customerId && c.parentId === undefined)
		.sort((x, y) => x.at - y.at)
		.map((c) => ({
			id: c.id,
			text: c.text,
			live: c.live === true,
			hidden: c.hidden === true,
			post: sandbox.state.media(c.mediaId)?.caption ?? c.mediaId,
			replies: all
				.filter((r) => r.parentId === c.id)
				.sort((x, y) => x.at - y.at)
				.map((r) => ({ text: r.text, byAccount: r.byAccount === true })),
		}));
}

async function delivered(run: () => Promise<{ delivery?: { status: number } }>): Promise<HandlerResult> {
	try {
		const { delivery } = await run();
		return { status: 200, json: { delivered: delivery?.status } };
	} catch (err) {
		return { status: 502, json: { error: { message: err instanceof Error ? err.message : String(err) } } };
	}
}

export const chatRoutes: ControlRoute[] = [
	{
		method: 'GET',
		path: '/_sandbox/chat',
		summary: 'the chat page: play the Instagram customer in a browser',
		handler: () => ({
			status: 200,
			text: CHAT_PAGE,
			headers: { 'Content-Type': 'text/html; charset=UTF-8' },
		}),
	},
	{
		method: 'GET',
		path: '/_sandbox/chat/thread',
		summary: 'the thread as the customer sees it (?customerId, account), with the workflows it can talk to',
		handler: ({ sandbox, req }) => {
			const customerId = req.query.get('customerId') ?? SANDBOX_DEFAULTS.customer.id;
			const thread = threadOf(sandbox, customerId, req.query.get('account') ?? sandbox.chatAccount);
			if (!thread) return bad('unknown account');
			const current = sandbox.webhook(sandbox.chatAccount)?.callbackUrl;
			return {
				status: 200,
				json: {
					...thread,
					targets: sandbox.chatTargets.map((t) => ({
						name: t.name,
						active: t.callbackUrl === current && (t.account ?? 'instagram') === sandbox.chatAccount,
					})),
				},
			};
		},
	},
	{
		method: 'POST',
		path: '/_sandbox/chat/say',
		summary: 'the customer types: { text, customerId? }',
		handler: ({ sandbox, req }) => {
			const text = optString(req.body, 'text');
			if (!text) return Promise.resolve(bad('text is required'));
			return delivered(() =>
				sandbox.customerSays({ text, from: optString(req.body, 'customerId'), account: sandbox.chatAccount }),
			);
		},
	},
	{
		method: 'POST',
		path: '/_sandbox/chat/tap',
		summary: 'the customer taps a quick reply or a postback button: { kind, title, payload, customerId? }',
		handler: ({ sandbox, req }) => {
			const kind = optString(req.body, 'kind');
			const title = optString(req.body, 'title');
			const payload = optString(req.body, 'payload');
			const from = optString(req.body, 'customerId');
			if (!title || payload === undefined) return Promise.resolve(bad('title and payload are required'));
			const account = sandbox.chatAccount;
			if (kind === 'quickReply')
				return delivered(() =>
					sandbox.customerSays({ text: title, quickReplyPayload: payload, from, account }),
				);
			if (kind === 'postback')
				return delivered(() => sandbox.customerTapsButton({ title, payload, from, account }));
			return Promise.resolve(bad('kind must be quickReply or postback'));
		},
	},
	{
		method: 'POST',
		path: '/_sandbox/chat/enter',
		summary: 'the customer arrives from a comment, a story, an ad or a link: { via, text?, customerId?, … }',
		handler: async ({ sandbox, req }) => {
			try {
				const result = await sandbox.customerEnters(entryOptionsOf(sandbox, req.body));
				return { status: 200, json: { delivered: result.delivery.status } };
			} catch (err) {
				const message = err instanceof Error ? err.message : String(err);
				return err instanceof ControlError || /required/.test(message)
					? bad(message)
					: { status: 502, json: { error: { message } } };
			}
		},
	},
	{
		method: 'POST',
		path: '/_sandbox/chat/target',
		summary:
			'which workflow the chat talks to: { name } (one of the chat targets; its account becomes the chat account)',
		handler: ({ sandbox, req }) => {
			const target = sandbox.chatTargets.find((t) => t.name === optString(req.body, 'name'));
			if (!target) return bad('unknown target');
			sandbox.chatAccount = target.account ?? 'instagram';
			sandbox.setWebhook(
				{ callbackUrl: target.callbackUrl, verifyToken: target.verifyToken },
				sandbox.chatAccount,
			);
			return { status: 200, json: { name: target.name } };
		},
	},
];
