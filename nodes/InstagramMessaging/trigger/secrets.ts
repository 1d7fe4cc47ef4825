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
