/** Control endpoints for conversation routing: who holds a thread, and the Instagram Inbox acting on it. */
import type { ControlledSandbox, ControlRoute } from '../controlRoute';
import { optString } from '../http';
import type { JsonObject } from '../types';
import { ControlError, ok } from './params';

async function inboxAction(
	sandbox: ControlledSandbox,
	body: JsonObject,
	action: 'release' | 'take',
): Promise<unknown> {
	const opts = {
		customerId: optString(body, 'customerId'),
		account: optString(body, 'account'),
		byAppId: optString(body, 'byAppId'),
		metadata: optString(body, 'metadata'),
	};
	try {
		return action === 'release' ? await sandbox.inboxReleases(opts) : await sandbox.inboxTakes(opts);
	} catch (err) {
		throw new ControlError(409, err instanceof Error ? err.message : String(err));
	}
}

export const inboxRoutes: ControlRoute[] = [
	{
		method: 'GET',
		path: '/_sandbox/thread-owner',
		summary: 'which app holds a thread (?customerId, account): { ownerAppId } (null = idle)',
		handler: ({ sandbox, req }) => {
			try {
				return ok({
					ownerAppId: sandbox.threadOwner(
						req.query.get('customerId') ?? undefined,
						req.query.get('account') ?? undefined,
					),
				});
			} catch (err) {
				throw new ControlError(400, err instanceof Error ? err.message : String(err));
			}
		},
	},
	{
		method: 'POST',
		path: '/_sandbox/inbox/release',
		summary:
			'a person in the Instagram Inbox hands the thread back: { customerId?, account?, byAppId?, metadata? }',
		handler: async ({ sandbox, req }) => ok({ change: await inboxAction(sandbox, req.body, 'release') }),
	},
	{
		method: 'POST',
		path: '/_sandbox/inbox/take',
		summary:
			'a person in the Instagram Inbox takes the thread over: { customerId?, account?, byAppId?, metadata? }',
		handler: async ({ sandbox, req }) => ok({ change: await inboxAction(sandbox, req.body, 'take') }),
	},
];
