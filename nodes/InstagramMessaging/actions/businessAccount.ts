import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { perRunMap } from '../processMemory';
import { graphRequest, type GraphConnection } from '../transport';

/** Per node run (keyed by its execute context), so a run looks the account up once. */
const accountIds = perRunMap<Map<string, Promise<string>>>('businessAccountIds');

async function lookupAccountId(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
	connection: GraphConnection,
	itemIndex: number | undefined,
): Promise<string> {
	if (connection.flavour === 'facebookPage') {
		const credentials = await ctx.getCredentials(connection.credentialType);
		const configured = String(credentials.instagramAccountId ?? '').trim();
		if (configured !== '') return configured;
		const page = await graphRequest.call(ctx, connection, {
			method: 'GET',
			path: `/${connection.selfId}`,
			qs: { fields: 'instagram_business_account' },
			itemIndex,
		});
		const linked = (page.instagram_business_account as IDataObject | undefined)?.id;
		if (linked === undefined || linked === null || linked === '') {
			throw new NodeOperationError(ctx.getNode(), 'The Facebook Page has no linked Instagram account', {
				itemIndex,
				description:
					'Link an Instagram professional account to the Page (Meta Business Suite → Settings → Instagram accounts), or enter its ID as "Instagram Account ID" in the credential.',
			});
		}
		return String(linked);
	}
	const me = await graphRequest.call(ctx, connection, {
		method: 'GET',
		path: `/${connection.selfId}`,
		qs: { fields: 'user_id' },
		itemIndex,
	});
	const userId = me.user_id;
	if (userId === undefined || userId === null || userId === '') {
		throw new NodeOperationError(ctx.getNode(), 'Could not read the Instagram account ID of the credential', {
			itemIndex,
			description:
				'Meta did not return user_id for /me. Check that the credential holds an Instagram Login token (Instagram API with Instagram Login) with the instagram_business_basic permission.',
		});
	}
	return String(userId);
}

/**
 * The business Instagram account id (IG_ID, the id in webhooks and in `from.id` of its own
 * messages): `/me?fields=user_id` on Instagram Login, the credential's Instagram Account ID (or the
 * Page's linked account) on the Page setup. Looked up once per node run.
 */
export async function businessAccountId(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	connection: GraphConnection,
	itemIndex?: number,
): Promise<string> {
	let perRun = accountIds.get(this);
	if (!perRun) {
		perRun = new Map();
		accountIds.set(this, perRun);
	}
	let pending = perRun.get(connection.accountKey);
	if (!pending) {
		pending = lookupAccountId(this, connection, itemIndex);
		perRun.set(connection.accountKey, pending);
		pending.catch(() => perRun?.delete(connection.accountKey));
	}
	return await pending;
}
