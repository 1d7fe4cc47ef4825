import { MetaSandbox, SANDBOX_DEFAULTS } from '../../../sandbox';
import { errorOf, graph } from './helpers';

const A = SANDBOX_DEFAULTS.instagram;
const B = SANDBOX_DEFAULTS.facebookPage;

const ICE_BREAKERS = [
	{
		locale: 'default',
		call_to_actions: [
			{ question: 'Where is my order?', payload: 'IB_ORDER' },
			{ question: 'Do you ship abroad?', payload: 'IB_SHIPPING' },
		],
	},
	{ locale: 'de_DE', call_to_actions: [{ question: 'Wo ist meine Bestellung?', payload: 'IB_ORDER' }] },
];

const MENU = [
	{
		locale: 'default',
		call_to_actions: [
			{ type: 'postback', title: 'Talk to an agent', payload: 'CARE_HELP' },
			{ type: 'web_url', title: 'Shop now', url: 'https://shop.example.com' },
		],
	},
];

describe('sandbox Graph: messenger profile (§5)', () => {
	let sandbox: MetaSandbox;

	beforeAll(async () => {
		sandbox = await MetaSandbox.start();
	});
	afterAll(async () => {
		await sandbox.stop();
	});
	beforeEach(() => sandbox.reset());

	const call = (method: string, body?: unknown, query = '') =>
		graph(sandbox, method, `/v23.0/me/messenger_profile${query}`, { token: A.accessToken, json: body });

	it('POST ice breakers and the menu, GET them back per field, DELETE one field', async () => {
		expect((await call('POST', { platform: 'instagram', ice_breakers: ICE_BREAKERS })).json).toEqual({
			result: 'success',
		});
		expect((await call('POST', { platform: 'instagram', persistent_menu: MENU })).json).toEqual({
			result: 'success',
		});

		// One field: data[] of { call_to_actions, locale } (§5.1)
		const ice = await call('GET', undefined, '?platform=instagram&fields=ice_breakers');
		expect(ice.status).toBe(200);
		expect(ice.json).toEqual({
			data: ICE_BREAKERS.map((e) => ({ call_to_actions: e.call_to_actions, locale: e.locale })),
		});
		// Several fields: data: [{ <field>: [...] }]
		const both = await call('GET', undefined, '?platform=instagram&fields=ice_breakers,persistent_menu');
		expect(both.json).toEqual({ data: [{ ice_breakers: ICE_BREAKERS, persistent_menu: MENU }] });

		expect((await call('DELETE', { platform: 'instagram', fields: ['ice_breakers'] })).json).toEqual({
			result: 'success',
		});
		expect((await call('GET', undefined, '?platform=instagram&fields=ice_breakers')).json).toEqual({
			data: [],
		});
		expect((await call('GET', undefined, '?platform=instagram&fields=persistent_menu')).json).toEqual({
			data: MENU,
		});
	});

	it('POST replaces a field entirely; profiles are per account and cleared by reset()', async () => {
		await call('POST', { platform: 'instagram', ice_breakers: ICE_BREAKERS });
		const only = [{ locale: 'default', call_to_actions: [{ question: 'Hi?', payload: 'HI' }] }];
		await call('POST', { platform: 'instagram', ice_breakers: only });
		expect(sandbox.state.messengerProfile(A.igUserId).ice_breakers).toEqual(only);
		expect(sandbox.state.messengerProfile(B.igUserId)).toEqual({});
		sandbox.reset();
		expect(sandbox.state.messengerProfile(A.igUserId)).toEqual({});
	});

	it('flavour B needs platform=instagram (query or body)', async () => {
		const path = `/v23.0/${B.pageId}/messenger_profile`;
		const without = await graph(sandbox, 'POST', path, {
			token: B.pageAccessToken,
			json: { ice_breakers: ICE_BREAKERS },
		});
		expect(without.status).toBe(400);
		expect(errorOf(without).code).toBe(100);
		const ok = await graph(sandbox, 'POST', `${path}?platform=instagram`, {
			token: B.pageAccessToken,
			json: { ice_breakers: ICE_BREAKERS },
		});
		expect(ok.json).toEqual({ result: 'success' });
		expect(sandbox.state.messengerProfile(B.igUserId).ice_breakers).toEqual(ICE_BREAKERS);
	});

	it.each([
		[
			'no default locale',
			{ ice_breakers: [{ locale: 'de_DE', call_to_actions: [{ question: 'Q', payload: 'P' }] }] },
			/locale "default"/,
		],
		[
			'five ice breakers',
			{
				ice_breakers: [
					{
						locale: 'default',
						call_to_actions: [1, 2, 3, 4, 5].map((n) => ({ question: `Q${n}`, payload: `P${n}` })),
					},
				],
			},
			/at most 4/,
		],
		['the deprecated flat format', { ice_breakers: [{ question: 'Q', payload: 'P' }] }, /deprecated/],
		[
			'a question without payload',
			{ ice_breakers: [{ locale: 'default', call_to_actions: [{ question: 'Q' }] }] },
			/payload/,
		],
		[
			'a bad locale',
			{ ice_breakers: [{ locale: 'german', call_to_actions: [{ question: 'Q', payload: 'P' }] }] },
			/locale/,
		],
		[
			'a duplicate locale',
			{
				ice_breakers: [
					{ locale: 'default', call_to_actions: [{ question: 'Q', payload: 'P' }] },
					{ locale: 'default', call_to_actions: [{ question: 'Q', payload: 'P' }] },
				],
			},
			/duplicate/,
		],
		[
			'a nested menu item',
			{ persistent_menu: [{ locale: 'default', call_to_actions: [{ type: 'nested', title: 'More' }] }] },
			/postback, web_url/,
		],
		[
			'a 31-character menu title',
			{
				persistent_menu: [
					{ locale: 'default', call_to_actions: [{ type: 'postback', title: 'x'.repeat(31), payload: 'P' }] },
				],
			},
			/at most 30/,
		],
		[
			'a web_url item without a URL',
			{ persistent_menu: [{ locale: 'default', call_to_actions: [{ type: 'web_url', title: 'Shop' }] }] },
			/url/,
		],
		[
			'21 menu items',
			{
				persistent_menu: [
					{
						locale: 'default',
						call_to_actions: Array.from({ length: 21 }, (_, n) => ({
							type: 'postback',
							title: `T${n}`,
							payload: `P${n}`,
						})),
					},
				],
			},
			/at most 20/,
		],
		[
			'composer_input_disabled',
			{
				persistent_menu: [
					{ locale: 'default', composer_input_disabled: true, call_to_actions: MENU[0]?.call_to_actions },
				],
			},
			/composer_input_disabled/,
		],
		['get_started', { get_started: { payload: 'GO' } }, /not supported/],
		['nothing', {}, /at least one/],
	])('refuses %s with (#100) and stores nothing', async (_name, body, message) => {
		const res = await call('POST', { platform: 'instagram', ...body });
		expect(res.status).toBe(400);
		const error = errorOf(res);
		expect(error.code).toBe(100);
		expect(String(error.message)).toMatch(message);
		expect(sandbox.state.messengerProfile(A.igUserId)).toEqual({});
	});

	it('GET and DELETE need fields; unknown fields are refused', async () => {
		expect(errorOf(await call('GET', undefined, '?platform=instagram')).code).toBe(100);
		expect(errorOf(await call('DELETE', { platform: 'instagram' })).code).toBe(100);
		expect(errorOf(await call('DELETE', { platform: 'instagram', fields: ['greeting'] })).code).toBe(100);
	});
});
