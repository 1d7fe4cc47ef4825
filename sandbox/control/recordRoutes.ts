/** Control endpoints that read what the sandbox recorded: accounts, sends, requests, deliveries, conversations. */
import type { ControlRoute } from '../controlRoute';
import { mask, ok, recordFilter } from './params';

export const recordRoutes: ControlRoute[] = [
	{
		method: 'GET',
		path: '/_sandbox/accounts',
		summary: 'seeded accounts (tokens and secrets masked)',
		handler: ({ sandbox }) =>
			ok({
				data: sandbox.accounts.map((a) =>
					a.flavour === 'instagram'
						? {
								...a,
								accessToken: mask(a.accessToken),
								instagramAppSecret: mask(a.instagramAppSecret),
								metaAppSecret: mask(a.metaAppSecret),
							}
						: { ...a, pageAccessToken: mask(a.pageAccessToken), metaAppSecret: mask(a.metaAppSecret) },
				),
			}),
	},
	{
		method: 'GET',
		path: '/_sandbox/sent',
		summary: 'accepted sends (?recipientId, accountId, since)',
		handler: ({ sandbox, req }) => ok({ data: sandbox.sent(recordFilter(req.query)) }),
	},
	{
		method: 'GET',
		path: '/_sandbox/rejected',
		summary: 'rejected sends with the Meta error (?recipientId, accountId, since)',
		handler: ({ sandbox, req }) => ok({ data: sandbox.rejected(recordFilter(req.query)) }),
	},
	{
		method: 'GET',
		path: '/_sandbox/requests',
		summary: 'Graph requests received, secrets redacted (?since, method, path)',
		handler: ({ sandbox, req }) => {
			const since = req.query.get('since');
			return ok({
				data: sandbox.requests({
					since: since ? Number(since) : undefined,
					method: req.query.get('method') ?? undefined,
					path: req.query.get('path') ?? undefined,
				}),
			});
		},
	},
	{
		method: 'GET',
		path: '/_sandbox/deliveries',
		summary: 'webhook deliveries made by the sandbox',
		handler: ({ sandbox }) => ok({ data: sandbox.deliveries() }),
	},
	{
		method: 'GET',
		path: '/_sandbox/conversations',
		summary: 'conversations (?account)',
		handler: ({ sandbox, req }) => ok({ data: sandbox.conversations(req.query.get('account') ?? undefined) }),
	},
];
