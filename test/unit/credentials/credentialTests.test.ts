import type { IAuthenticateRuleResponseSuccessBody } from 'n8n-workflow';

import { FacebookPageApi } from '../../../credentials/FacebookPageApi.credentials';
import { InstagramLoginApi } from '../../../credentials/InstagramLoginApi.credentials';
import { InstagramLoginOAuth2Api } from '../../../credentials/InstagramLoginOAuth2Api.credentials';
import { MetaAppApi } from '../../../credentials/MetaAppApi.credentials';
import { apiBaseUrl, GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/graphApi';
import { explainMetaError } from '../../../nodes/InstagramMessaging/transport/metaErrors';

/** n8n's evaluation of `responseSuccessBody` rules (credentials-tester.service): first exact match wins. */
function verdict(rules: unknown, body: object): string {
	for (const rule of rules as IAuthenticateRuleResponseSuccessBody[]) {
		const value = rule.properties.key
			.split('.')
			.reduce<unknown>((obj, key) => (obj as Record<string, unknown> | undefined)?.[key], body);
		if (value === rule.properties.value) return rule.properties.message;
	}
	return 'Connection successful!';
}

const err = (fields: object) => ({ error: { type: 'OAuthException', fbtrace_id: 'A', ...fields } });
const cannotParse = err({ message: 'Invalid OAuth access token - Cannot parse access token', code: 190 });

describe("credential tests say exactly what is wrong, in the words of the node's own errors", () => {
	const ig = new InstagramLoginApi().test;
	const page = new FacebookPageApi().test;

	it("let Meta's error body reach the rules (n8n applies them to 2xx answers only)", () => {
		expect(ig.request.ignoreHttpStatusErrors).toBe(true);
		expect(page.request.ignoreHttpStatusErrors).toBe(true);
		expect(new InstagramLoginOAuth2Api().test.request.ignoreHttpStatusErrors).toBe(true);
	});

	it('a good token passes', () => {
		expect(verdict(ig.rules, { user_id: '17841400000000001', username: 'shop', id: '27' })).toBe(
			'Connection successful!',
		);
		expect(verdict(page.rules, { id: '1', name: 'Page', instagram_business_account: { id: '2' } })).toBe(
			'Connection successful!',
		);
	});

	it('wrong flavour: a Page token on Instagram Login, an Instagram token on the Page credential', () => {
		expect(verdict(ig.rules, cannotParse)).toMatch(
			/^Meta cannot read this access token \(Meta error 190\)\. .*Facebook Page token \(EAA…\) belongs in the "Instagram via Facebook Page API" credential/,
		);
		expect(verdict(page.rules, cannotParse)).toMatch(
			/^Meta cannot read this access token \(Meta error 190\)\. .*Instagram Login token \(IGAA…\) belongs in the "Instagram Login" credential/,
		);
		// The sandbox (one host for both) answers an IG token asking for the Page with 100/33.
		const unsupported = {
			error: {
				message: "Unsupported get request. Object with ID '1' does not exist",
				type: 'GraphMethodException',
				code: 100,
				error_subcode: 33,
			},
		};
		expect(verdict(page.rules, unsupported)).toMatch(
			/token of that Facebook Page \(EAA…\) rather than an Instagram Login token \(IGAA…\)/,
		);
	});

	it('expired, revoked and invalid tokens', () => {
		expect(
			verdict(
				ig.rules,
				err({ message: 'Error validating access token: Session has expired', code: 190, error_subcode: 463 }),
			),
		).toMatch(/^The access token has expired \(Meta error 190\/463\)\. Reconnect the credential/);
		expect(verdict(ig.rules, err({ message: 'x', code: 190, error_subcode: 460 }))).toMatch(
			/password changed/,
		);
		expect(verdict(page.rules, err({ message: 'x', code: 190 }))).toMatch(
			/^The access token is invalid or has expired \(Meta error 190\)\. Get a new Page access token/,
		);
	});

	it('messaging not available (36103) and missing permissions (10, 200)', () => {
		expect(verdict(ig.rules, err({ message: 'x', code: 36103 }))).toMatch(
			/^Instagram messaging is not available for this account \(Meta error 36103\)\. .*Allow access to messages/,
		);
		expect(
			verdict(ig.rules, err({ message: '(#10) Application does not have permission', code: 10 })),
		).toMatch(
			/missing a permission for this call \(Meta error 10\)\. Grant instagram_business_basic and instagram_business_manage_messages/,
		);
		expect(verdict(page.rules, err({ message: '(#200) Requires permission', code: 200 }))).toMatch(
			/missing a permission for this call \(Meta error 200\)\. Grant instagram_basic, instagram_manage_messages/,
		);
	});

	it('Meta app credential: a wrong secret or app id is named', () => {
		const app = new MetaAppApi().test;
		expect(app.request.ignoreHttpStatusErrors).toBe(true);
		expect(verdict(app.rules, err({ message: 'Invalid OAuth access token signature.', code: 190 }))).toMatch(
			/^Meta refused the app ID and app secret/,
		);
		expect(
			verdict(app.rules, err({ message: 'Unsupported get request', code: 100, error_subcode: 33 })),
		).toMatch(/^Meta does not know this app ID\. Enter the ID of the Meta app/);
		expect(verdict(app.rules, { data: [] })).toBe('Connection successful!');
	});
});

describe('one source of error wording', () => {
	it("a credential test's message is the transport's explanation of the same Meta error", () => {
		const rules = new FacebookPageApi().test.rules as IAuthenticateRuleResponseSuccessBody[];
		const expired = explainMetaError({ code: 190, error_subcode: 463 }, 'facebookPage');
		expect(verdict(rules, err({ message: 'x', code: 190, error_subcode: 463 }))).toBe(
			`${expired.message} (Meta error 190/463). ${expired.fix}`,
		);
	});

	it('the Graph API version of every credential test is the one pinned for the node', () => {
		const tests = [
			new InstagramLoginApi(),
			new InstagramLoginOAuth2Api(),
			new FacebookPageApi(),
			new MetaAppApi(),
		];
		for (const { test } of tests) expect(String(test.request.url)).toContain(`/${GRAPH_API_VERSION}/`);
	});
});

describe('API Base URL: the credential tests and OAuth2 URLs follow the same rule as the node', () => {
	/** The expression's body evaluated as n8n would, with `$credentials` / `$self` in scope. */
	function evaluate(expression: string, data: Record<string, unknown>): unknown {
		const body = expression.replace(/^=\{\{/, '').replace(/\}\}$/, '');
		return new Function('$credentials', '$self', `return (${body});`)(data, data) as unknown;
	}

	it.each([
		[undefined, 'https://graph.facebook.com'],
		['', 'https://graph.facebook.com'],
		['   ', 'https://graph.facebook.com'],
		['http://127.0.0.1:9/', 'http://127.0.0.1:9'],
		['https://graph.facebook.com//', 'https://graph.facebook.com'],
	])('Facebook Page credential test with %p → %s', (value, expected) => {
		const baseURL = String(new FacebookPageApi().test.request.baseURL);
		expect(evaluate(baseURL, { apiBaseUrl: value })).toBe(expected);
		expect(apiBaseUrl('facebookPage', value === undefined ? {} : { apiBaseUrl: value })).toBe(expected);
	});

	it.each(['https://proxy.example.com', 'http://graph.facebook.com'])(
		'a credential test never sends the token to %s (a host that cannot resolve instead)',
		(value) => {
			for (const request of [new FacebookPageApi().test.request, new MetaAppApi().test.request]) {
				expect(evaluate(String(request.baseURL), { apiBaseUrl: value })).toBe(
					'https://api-base-url-must-be-meta-or-loopback.invalid',
				);
			}
			expect(() => apiBaseUrl('facebookPage', { apiBaseUrl: value })).toThrow("is not Meta's host");
		},
	);

	it("OAuth2: Instagram's own login hosts by default, the API Base URL's host otherwise", () => {
		const properties = new InstagramLoginOAuth2Api().properties;
		const url = (name: string) => String(properties.find((p) => p.name === name)?.default);
		expect(evaluate(url('authUrl'), {})).toBe('https://www.instagram.com/oauth/authorize');
		expect(evaluate(url('accessTokenUrl'), { apiBaseUrl: ' ' })).toBe(
			'https://api.instagram.com/oauth/access_token',
		);
		expect(evaluate(url('authUrl'), { apiBaseUrl: 'http://127.0.0.1:9/' })).toBe(
			'http://127.0.0.1:9/oauth/authorize',
		);
	});
});
