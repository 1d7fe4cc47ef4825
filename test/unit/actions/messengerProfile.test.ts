import nock from 'nock';

import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import { actionNode, GRAPH, instagramLoginCredentials, runWorkflow, TOKEN } from '../harness';

const path = `/${GRAPH_API_VERSION}/me/messenger_profile`;

function profile(operation: string, parameters: Record<string, unknown> = {}, extra = {}) {
	return actionNode({ resource: 'messengerProfile', operation, ...parameters }, extra);
}

async function run(node: ReturnType<typeof profile>, input = [{ json: {} }]) {
	return await runWorkflow({ nodes: [node], credentials: instagramLoginCredentials, input });
}

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

describe('Messenger Profile → Set Ice Breakers', () => {
	it("groups the rows by locale and posts Meta's body exactly", async () => {
		const scope = nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.post(path, { platform: 'instagram', ice_breakers: ICE_BREAKERS })
			.reply(200, { result: 'success' });
		const { output } = await run(
			profile('setIceBreakers', {
				iceBreakers: {
					question: [
						{ locale: 'default', question: 'Where is my order?', payload: 'IB_ORDER' },
						{ locale: 'de_DE', question: 'Wo ist meine Bestellung?', payload: 'IB_ORDER' },
						{ locale: 'default', question: 'Do you ship abroad?', payload: 'IB_SHIPPING' },
					],
				},
			}),
		);
		expect(output('Instagram Messaging')).toEqual([
			{
				json: {
					field: 'ice_breakers',
					success: true,
					locales: ['default', 'de_DE'],
					iceBreakers: ICE_BREAKERS,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	it("accepts Meta's JSON format", async () => {
		const scope = nock(GRAPH)
			.post(path, { platform: 'instagram', ice_breakers: ICE_BREAKERS })
			.reply(200, { result: 'success' });
		const { output } = await run(
			profile('setIceBreakers', { defineUsing: 'json', iceBreakersJson: JSON.stringify(ICE_BREAKERS) }),
		);
		expect(output('Instagram Messaging')[0]?.json.success).toBe(true);
		expect(scope.isDone()).toBe(true);
	});

	const row = (locale: string, n: number) => ({ locale, question: `Question ${n}?`, payload: `P${n}` });

	it.each([
		[
			'no "default" locale',
			{ iceBreakers: { question: [row('de_DE', 1)] } },
			'Ice Breakers: the "default" locale is missing',
		],
		[
			'five questions in one locale',
			{ iceBreakers: { question: [1, 2, 3, 4, 5].map((n) => row('default', n)) } },
			'Ice Breakers: locale "default" has 5 questions, Instagram allows at most 4',
		],
		['no rows at all', { iceBreakers: {} }, 'Ice Breakers: nothing to set'],
		[
			'a question without payload',
			{ iceBreakers: { question: [{ locale: 'default', question: 'Hi?', payload: '' }] } },
			'Ice Breakers: question 1 of locale "default" has no payload',
		],
		[
			'a malformed locale',
			{ iceBreakers: { question: [row('default', 1), row('german', 2)] } },
			'Ice Breakers: locale "german" is not valid',
		],
		[
			'invalid JSON',
			{ defineUsing: 'json', iceBreakersJson: '[{ "locale": ' },
			'Ice Breakers (JSON) is not valid JSON',
		],
		[
			'a duplicate locale in JSON',
			{ defineUsing: 'json', iceBreakersJson: JSON.stringify([ICE_BREAKERS[0], ICE_BREAKERS[0]]) },
			'Ice Breakers: locale "default" appears twice',
		],
	])('refuses %s before calling Meta', async (_name, parameters, message) => {
		const { error } = await run(profile('setIceBreakers', parameters));
		expect(error('Instagram Messaging')?.message).toBe(message);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('accepts exactly four questions per locale', async () => {
		const scope = nock(GRAPH)
			.post(path, (body) => body.ice_breakers[0].call_to_actions.length === 4)
			.reply(200, { result: 'success' });
		await run(
			profile('setIceBreakers', { iceBreakers: { question: [1, 2, 3, 4].map((n) => row('default', n)) } }),
		);
		expect(scope.isDone()).toBe(true);
	});

	it('Continue On Fail: one good and one bad item, each paired', async () => {
		const scope = nock(GRAPH).post(path).reply(200, { result: 'success' });
		const { output } = await run(
			profile(
				'setIceBreakers',
				{ iceBreakers: { question: [{ locale: '={{ $json.locale }}', question: 'Hi?', payload: 'HI' }] } },
				{ onError: 'continueRegularOutput' },
			),
			[{ json: { locale: 'default' } }, { json: { locale: 'fr_FR' } }],
		);
		const items = output('Instagram Messaging');
		expect(items).toHaveLength(2);
		expect(items[0]).toMatchObject({
			json: { success: true, locales: ['default'] },
			pairedItem: { item: 0 },
		});
		expect(items[1]).toMatchObject({
			json: { error: 'Ice Breakers: the "default" locale is missing' },
			pairedItem: { item: 1 },
		});
		expect(scope.isDone()).toBe(true);
	});
});

describe('Messenger Profile → Set Persistent Menu', () => {
	it('posts postback and web_url items exactly, without fields of the other type', async () => {
		const scope = nock(GRAPH)
			.post(path, { platform: 'instagram', persistent_menu: MENU })
			.reply(200, { result: 'success' });
		const { output } = await run(
			profile('setPersistentMenu', {
				menuItems: {
					item: [
						{ locale: 'default', type: 'postback', title: 'Talk to an agent', payload: 'CARE_HELP' },
						{ locale: 'default', type: 'web_url', title: 'Shop now', url: 'https://shop.example.com' },
					],
				},
			}),
		);
		expect(output('Instagram Messaging')[0]?.json).toEqual({
			field: 'persistent_menu',
			success: true,
			locales: ['default'],
			persistentMenu: MENU,
		});
		expect(scope.isDone()).toBe(true);
	});

	it("accepts Meta's JSON format", async () => {
		const scope = nock(GRAPH)
			.post(path, { platform: 'instagram', persistent_menu: MENU })
			.reply(200, { result: 'success' });
		await run(
			profile('setPersistentMenu', { defineUsing: 'json', persistentMenuJson: JSON.stringify(MENU) }),
		);
		expect(scope.isDone()).toBe(true);
	});

	const item = (n: number) => ({ locale: 'default', type: 'postback', title: `Item ${n}`, payload: `P${n}` });

	it.each([
		[
			'a 31-character title',
			{ menuItems: { item: [{ ...item(1), title: 'x'.repeat(31) }] } },
			`Persistent Menu: item 1 of locale "default": title "${'x'.repeat(31)}" is 31 characters, Meta allows at most 30`,
		],
		[
			'21 items',
			{ menuItems: { item: Array.from({ length: 21 }, (_, n) => item(n)) } },
			'Persistent Menu: locale "default" has 21 items, Meta allows at most 20',
		],
		[
			'a web_url item with a relative URL',
			{ menuItems: { item: [{ locale: 'default', type: 'web_url', title: 'Shop', url: '/shop' }] } },
			'Persistent Menu: item 1 of locale "default": URL "/shop" is not a web address',
		],
		[
			'a nested item in JSON',
			{
				defineUsing: 'json',
				persistentMenuJson: JSON.stringify([
					{ locale: 'default', call_to_actions: [{ type: 'nested', title: 'More' }] },
				]),
			},
			'Persistent Menu: item 1 of locale "default": type "nested" is not supported',
		],
		[
			'no "default" locale',
			{ menuItems: { item: [{ ...item(1), locale: 'es_ES' }] } },
			'Persistent Menu: the "default" locale is missing',
		],
	])('refuses %s before calling Meta', async (_name, parameters, message) => {
		const { error } = await run(profile('setPersistentMenu', parameters));
		expect(error('Instagram Messaging')?.message).toBe(message);
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('Messenger Profile → Get', () => {
	it('reads each field with its own GET and returns one item', async () => {
		const scope = nock(GRAPH)
			.get(path)
			.query({ platform: 'instagram', fields: 'ice_breakers' })
			.reply(200, { data: ICE_BREAKERS })
			.get(path)
			.query({ platform: 'instagram', fields: 'persistent_menu' })
			.reply(200, { data: [{ persistent_menu: MENU }] });
		const { output } = await run(profile('get', { fields: ['ice_breakers', 'persistent_menu'] }));
		expect(output('Instagram Messaging')).toEqual([
			{ json: { iceBreakers: ICE_BREAKERS, persistentMenu: MENU }, pairedItem: { item: 0 } },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('an empty profile gives empty lists', async () => {
		const scope = nock(GRAPH)
			.get(path)
			.query({ platform: 'instagram', fields: 'persistent_menu' })
			.reply(200, { data: [] });
		const { output } = await run(profile('get', { fields: ['persistent_menu'] }));
		expect(output('Instagram Messaging')[0]?.json).toEqual({ persistentMenu: [] });
		expect(scope.isDone()).toBe(true);
	});
});

describe('Messenger Profile → Delete', () => {
	it('sends DELETE with the chosen fields', async () => {
		const scope = nock(GRAPH)
			.delete(path, { platform: 'instagram', fields: ['ice_breakers', 'persistent_menu'] })
			.reply(200, { result: 'success' });
		const { output } = await run(profile('delete', { fields: ['ice_breakers', 'persistent_menu'] }));
		expect(output('Instagram Messaging')[0]?.json).toEqual({
			deleted: ['ice_breakers', 'persistent_menu'],
			success: true,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('refuses an unknown field (e.g. from an AI agent) before calling Meta', async () => {
		const { error } = await run(profile('delete', { fields: '={{ ["greeting"] }}' }));
		expect(error('Instagram Messaging')?.message).toBe('Fields: "greeting" is not a profile field');
		expect(nock.pendingMocks()).toEqual([]);
	});
});
