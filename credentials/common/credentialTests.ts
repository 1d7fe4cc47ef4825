import type { IAuthenticateRuleResponseSuccessBody } from 'n8n-workflow';

type TestFlavour = 'instagramLogin' | 'facebookPage';

function rule(key: string, value: number | string, message: string): IAuthenticateRuleResponseSuccessBody {
	return { type: 'responseSuccessBody', properties: { key, value, message } };
}

const OTHER_CREDENTIAL: Record<TestFlavour, string> = {
	instagramLogin:
		'It is not an Instagram Login token (those start with IG): a Facebook Page token (EAA…) belongs in the "Instagram via Facebook Page API" credential. Otherwise the token was not copied completely.',
	facebookPage:
		'It is not a Facebook token (those start with EAA): an Instagram Login token (IGAA…) belongs in the "Instagram Login" credential. Otherwise the token was not copied completely.',
};

/**
 * The credential test asks Meta with `ignoreHttpStatusErrors`, so Meta's error body reaches these
 * rules (n8n applies `responseSuccessBody` rules to 2xx answers only). First match wins.
 */
export function instagramTestRules(flavour: TestFlavour): IAuthenticateRuleResponseSuccessBody[] {
	const host = flavour === 'instagramLogin' ? 'graph.instagram.com' : 'graph.facebook.com';
	const reconnect =
		flavour === 'instagramLogin'
			? 'Reconnect the credential, or generate a new token in the Meta app dashboard under Instagram → API setup with Instagram login.'
			: 'Get a new Page access token (Graph API Explorer or /me/accounts with a new user token) and paste it here.';
	const permissions =
		flavour === 'instagramLogin'
			? 'instagram_business_basic and instagram_business_manage_messages'
			: 'instagram_basic, instagram_manage_messages, pages_manage_metadata and pages_show_list';
	const rules = [
		rule(
			'error.message',
			'Invalid OAuth access token - Cannot parse access token',
			`${host} cannot read this access token. ${OTHER_CREDENTIAL[flavour]}`,
		),
		rule('error.error_subcode', 463, `The access token has expired. ${reconnect}`),
		rule(
			'error.error_subcode',
			460,
			`The access token was revoked because the account password changed. ${reconnect}`,
		),
		rule(
			'error.error_subcode',
			458,
			`The app is no longer installed for this account, so the token was revoked. ${reconnect}`,
		),
		rule('error.code', 190, `The access token is invalid, expired or revoked. ${reconnect}`),
		rule(
			'error.code',
			36103,
			'Instagram messaging is not available for this account yet (Meta error 36103). The account must be a professional (Business or Creator) account with "Allow access to messages" turned on under Settings → Messages → Connected tools.',
		),
		rule(
			'error.code',
			10,
			`The token is missing a permission (Meta error 10). Grant ${permissions} and get a new token.`,
		),
		rule(
			'error.code',
			200,
			`The token is missing a permission (Meta error 200). Grant ${permissions} and get a new token.`,
		),
	];
	if (flavour === 'facebookPage') {
		rules.push(
			rule(
				'error.error_subcode',
				33,
				'Meta cannot find the Page ID with this token. Check the Page ID, and that the token is a token of that Facebook Page (EAA…) rather than an Instagram Login token (IGAA…).',
			),
		);
	}
	rules.push(
		rule(
			'error.type',
			'OAuthException',
			`Meta refused the credential on ${host}. Check the token and the IDs in this credential.`,
		),
	);
	return rules;
}
