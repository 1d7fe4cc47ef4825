import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { perProcessMap } from '../processMemory';

/**
 * Where each credential keeps the secret Meta signs webhooks with (instagram-api.md §2.3):
 * Instagram Login → the Instagram app secret; Facebook Page → the Meta app secret. Adding a
 * credential type is one line here.
 */
export const SIGNING_SECRET_FIELD: Readonly<Record<string, string>> = {
	instagramLoginApi: 'appSecret',
	facebookPageApi: 'appSecret',
	instagramLoginOAuth2Api: 'clientSecret',
	metaAppApi: 'appSecret',
};

export function signingSecretOf(credentialType: string, credentials: IDataObject): string | null {
	const field = SIGNING_SECRET_FIELD[credentialType];
	if (field === undefined) return null;
	const value = credentials[field];
	return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Every secret a valid signature may be made with: the account credential's, plus the Meta app
 * credential's when one is attached (then either is accepted, as several production setups need).
 */
export async function signingSecrets(ctx: IWebhookFunctions): Promise<string[]> {
	const credentialType = ctx.getNodeParameter('authentication', 'instagramLoginApi') as string;
	const secrets: string[] = [];
	const add = (type: string, credentials: IDataObject) => {
		const secret = signingSecretOf(type, credentials);
		if (secret !== null && !secrets.includes(secret)) secrets.push(secret);
	};
	add(credentialType, await ctx.getCredentials(credentialType));
	if (ctx.getNode().credentials?.metaAppApi !== undefined) {
		try {
			add('metaAppApi', await ctx.getCredentials('metaAppApi'));
		} catch {
			// A dangling Meta app credential must not block the account credential's secret.
		}
	}
	return secrets;
}

const CACHE_TTL_MS = 60_000;
/** After a mismatch, credentials are read again at most this often per node (forged floods stay cheap). */
export const REREAD_INTERVAL_MS = 5_000;

interface CachedSecrets {
	secrets: string[];
	at: number;
	/** When a mismatch last caused a fresh read. */
	rereadAt: number;
	/** The read in flight, shared by concurrent requests. */
	reading?: Promise<string[]>;
}

const cache = perProcessMap<string, CachedSecrets>('signingSecrets', 1_000);

function cacheKey(ctx: IWebhookFunctions): string {
	const node = ctx.getNode();
	const credentialType = ctx.getNodeParameter('authentication', 'instagramLoginApi') as string;
	const ids = Object.entries(node.credentials ?? {})
		.map(([type, ref]) => `${type}=${ref.id ?? ''}`)
		.sort()
		.join(',');
	return `${ctx.getWorkflow().id ?? ''}|${node.id}|${credentialType}|${ids}`;
}

async function readShared(ctx: IWebhookFunctions, entry: CachedSecrets): Promise<string[]> {
	// A credential that cannot be read (deleted, not decryptable) counts as no secret for a while,
	// so that every request is not another read.
	entry.reading ??= signingSecrets(ctx)
		.catch(() => [])
		.finally(() => (entry.reading = undefined));
	const secrets = await entry.reading;
	entry.secrets = secrets;
	entry.at = Date.now();
	return secrets;
}

/**
 * Reading credentials costs tens of milliseconds per webhook in n8n 2.41 (most of the trigger's
 * request time), so the secrets are kept in this process for a minute. A signature that does not
 * match them is checked again against freshly read ones, so a rotated secret applies at once; such
 * re-reads are shared by concurrent requests and happen at most every REREAD_INTERVAL_MS, so a
 * flood of forged requests costs one HMAC each and almost no credential reads.
 */
export async function verifyWithSigningSecrets(
	ctx: IWebhookFunctions,
	verify: (secrets: string[]) => boolean,
): Promise<{ valid: boolean; secrets: string[] }> {
	const key = cacheKey(ctx);
	const now = Date.now();
	let entry = cache.get(key);
	// No secret last time (unreadable credential, or none set): read again only at the re-read pace.
	if (entry !== undefined && entry.secrets.length === 0 && now - entry.at < REREAD_INTERVAL_MS)
		return { valid: false, secrets: [] };
	if (entry === undefined || now - entry.at >= CACHE_TTL_MS || entry.secrets.length === 0) {
		if (cache.size > 1_000) cache.clear();
		entry ??= { secrets: [], at: 0, rereadAt: 0 };
		cache.set(key, entry);
		const secrets = await readShared(ctx, entry);
		return { valid: secrets.length > 0 && verify(secrets), secrets };
	}
	if (verify(entry.secrets)) return { valid: true, secrets: entry.secrets };
	if (now - entry.rereadAt < REREAD_INTERVAL_MS) return { valid: false, secrets: entry.secrets };
	entry.rereadAt = now;
	const secrets = await readShared(ctx, entry);
	return { valid: secrets.length > 0 && verify(secrets), secrets };
}
