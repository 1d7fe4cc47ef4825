import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

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
const cache = new Map<string, { secrets: string[]; at: number }>();

function cacheKey(ctx: IWebhookFunctions): string {
	const node = ctx.getNode();
	const ids = Object.entries(node.credentials ?? {})
		.map(([type, ref]) => `${type}=${ref.id ?? ''}`)
		.sort()
		.join(',');
	return `${ctx.getWorkflow().id ?? ''}|${node.id}|${ids}`;
}

/**
 * Reading credentials costs tens of milliseconds per webhook in n8n 2.41 (most of the trigger's
 * request time), so the secrets are kept in this process for a minute. A signature that does
 * not match the kept secrets is checked again against freshly read ones, so a rotated secret
 * applies at once for valid deliveries (the old one stays accepted for at most that minute).
 */
export async function verifyWithSigningSecrets(
	ctx: IWebhookFunctions,
	verify: (secrets: string[]) => boolean,
): Promise<{ valid: boolean; secrets: string[] }> {
	const key = cacheKey(ctx);
	const cached = cache.get(key);
	if (cached && Date.now() - cached.at < CACHE_TTL_MS && verify(cached.secrets)) {
		return { valid: true, secrets: cached.secrets };
	}
	const secrets = await signingSecrets(ctx);
	if (cache.size > 1_000) cache.clear();
	cache.set(key, { secrets, at: Date.now() });
	return { valid: secrets.length > 0 && verify(secrets), secrets };
}
