import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { GraphConnection } from './flavour';
import { isRefreshDueHere, storedTokenState } from './tokenRules';

/** At most one re-read of a run's credential per this long while its token stays due. */
const REREAD_EVERY_MS = 1_000;

/** What n8n's contexts offer to read a credential (every context the transport runs in). */
interface CredentialReader {
	getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
}

/**
 * A run reads its credential once (`getConnection`). When the copy's token is due for a refresh in
 * this process, the credential is read again first: another n8n process (queue mode's other
 * worker) may have refreshed the token and n8n saved it, and refreshing the old copy would refresh
 * the token once per process.
 */
export async function rereadWhenTokenDue(ctx: CredentialReader, connection: GraphConnection): Promise<void> {
	const data = connection.credentials?.data;
	if (data === undefined) return;
	const source = typeof data.accessToken === 'string' ? data.accessToken.trim() : '';
	const state = storedTokenState(data, source);
	const now = Date.now();
	if (state === undefined || !isRefreshDueHere(state, now)) return;
	if (now - (connection.rereadAt ?? 0) < REREAD_EVERY_MS) return;
	connection.rereadAt = now;
	Object.assign(data, await ctx.getCredentials(connection.credentialType));
}
