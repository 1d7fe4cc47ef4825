import nock from 'nock';

import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import {
	matchedKeyword,
	keywordRuleOf,
	normaliseText,
} from '../../../nodes/InstagramMessaging/trigger/keywords';
import {
	asFreshProcess,
	ACCOUNT,
	CUSTOMER,
	callWebhook,
	GRAPH,
	instagramLoginCredentials,
	triggerNode,
} from '../harness';
import { callHook, messageEnvelope, RECENT_MS, signedPost } from './helpers';

const POST = '17900000000000002';
const OTHER_POST = '17900000000000009';
const STORY = '17900000000000077';

function rule(keywords: string[], match = 'word') {
	const built = keywordRuleOf(keywords, match);
	if (built === null) throw new Error('no rule');
	return built;
}

describe('keyword matching', () => {
	it('ignores case and accents, and collapses spaces', () => {
		expect(normaliseText('  Café   CRÈME ')).toBe('cafe creme');
		expect(matchedKeyword('I want the GUÍDE please', rule(['guide']))).toBe('guide');
		expect(matchedKeyword('Crème brûlée?', rule(['creme brulee'], 'exact'))).toBe('creme brulee');
	});

	it('Whole Word needs word boundaries; Exact Message the whole text; Starts With the beginning', () => {
		expect(matchedKeyword('guidelines are here', rule(['guide']))).toBeNull();
		expect(matchedKeyword('send the guide!', rule(['guide']))).toBe('guide');
		expect(matchedKeyword('guide please', rule(['guide'], 'exact'))).toBeNull();
		expect(matchedKeyword('Guide!!', rule(['guide'], 'exact'))).toBe('guide');
		expect(matchedKeyword('Guide me', rule(['guide'], 'startsWith'))).toBe('guide');
		expect(matchedKeyword('the guide', rule(['guide'], 'startsWith'))).toBeNull();
	});

	it('reports the first keyword that matches, as the user wrote it; no text matches nothing', () => {
		expect(matchedKeyword('price and LINK', rule(['LINK', 'price']))).toBe('LINK');
		expect(matchedKeyword(null, rule(['link']))).toBeNull();
		expect(keywordRuleOf(undefined, 'word')).toBeNull();
		expect(keywordRuleOf(['  ', '#'], 'word')?.keywords).toEqual([]);
	});
});

function commentEnvelope(id: string, text: string, mediaId = POST, field = 'comments') {
	return {
		object: 'instagram',
		entry: [
			{
				id: ACCOUNT,
				time: RECENT_MS,
				changes: [
					{
						field,
						value: {
							id,
							from: { id: CUSTOMER, username: 'jane' },
							text,
							media: { id: mediaId, media_product_type: 'REELS' },
						},
					},
				],
			},
		],
	};
}

async function emitted(
	options: Record<string, unknown>,
	body: unknown,
	events = ['message', 'comment', 'reaction'],
) {
	asFreshProcess();
	const { emitted } = await callWebhook({
		node: triggerNode({ events, options } as never),
		webhookName: 'default',
		request: signedPost(body),
		credentials: instagramLoginCredentials,
	});
	return (emitted ?? []).map((item) => item.json);
}

describe('the trigger with Keywords and Only These Posts or Reels', () => {
	it('emits a comment whose text has the keyword, with matchedKeyword and its entry point', async () => {
		const [item] = await emitted(
			{ keywords: ['guide'] },
			commentEnvelope('18000000000000101', 'GUIDE please 🙏'),
		);
		expect(item).toMatchObject({
			eventType: 'comment',
			matchedKeyword: 'guide',
			entryPoint: {
				type: 'comment',
				mediaId: POST,
				commentId: '18000000000000101',
				mediaProductType: 'REELS',
			},
		});
	});

	it('drops messages and comments without a keyword; other events pass; no option = matchedKeyword null', async () => {
		expect(await emitted({ keywords: ['guide'] }, commentEnvelope('18000000000000102', 'nice reel'))).toEqual(
			[],
		);
		expect(await emitted({ keywords: ['guide'] }, messageEnvelope({ mid: 'm_kw_1', text: 'hello' }))).toEqual(
			[],
		);
		const [dm] = await emitted(
			{ keywords: ['guide'] },
			messageEnvelope({ mid: 'm_kw_2', text: 'the Guide?' }),
		);
		expect(dm).toMatchObject({
			eventType: 'message',
			matchedKeyword: 'guide',
			entryPoint: { type: 'direct_message' },
		});
		const reaction = messageEnvelope({});
		reaction.entry[0].messaging[0] = {
			...reaction.entry[0].messaging[0],
			reaction: { mid: 'm_x', action: 'react', reaction: 'love', emoji: '❤️' },
		} as never;
		delete (reaction.entry[0].messaging[0] as Record<string, unknown>).message;
		expect((await emitted({ keywords: ['guide'] }, reaction)).map((i) => i.eventType)).toEqual(['reaction']);
		const [plain] = await emitted({}, commentEnvelope('18000000000000103', 'anything'));
		expect(plain.matchedKeyword).toBeNull();
	});

	it('keeps only comments on the chosen posts or reels, picked from the list or by ID', async () => {
		const onlyPost = { onlyMedia: { items: [{ id: { __rl: true, mode: 'list', value: POST } }] } };
		expect(await emitted(onlyPost, commentEnvelope('18000000000000104', 'hi', OTHER_POST))).toEqual([]);
		expect(await emitted(onlyPost, commentEnvelope('18000000000000105', 'hi', POST))).toHaveLength(1);
		const byId = { onlyMedia: { items: [{ id: { __rl: true, mode: 'id', value: ` ${OTHER_POST} ` } }] } };
		expect(await emitted(byId, commentEnvelope('18000000000000106', 'hi', OTHER_POST))).toHaveLength(1);
		// A DM is not about a post: it passes.
		expect(await emitted(onlyPost, messageEnvelope({ mid: 'm_kw_3', text: 'hi' }))).toHaveLength(1);
	});

	it('keeps only story replies to the chosen stories', async () => {
		const onlyStory = { onlyStories: { items: [{ id: { __rl: true, mode: 'id', value: STORY } }] } };
		const reply = (id: string, mid: string) =>
			messageEnvelope({
				mid,
				text: 'love it',
				reply_to: { story: { id, url: 'https://lookaside.fbsbx.com/s' } },
			});
		expect(await emitted(onlyStory, reply('17900000000000078', 'm_st_1'))).toEqual([]);
		const [kept] = await emitted(onlyStory, reply(STORY, 'm_st_2'));
		expect(kept.entryPoint).toMatchObject({ type: 'story_reply', storyId: STORY });
	});

	it('Add Post or Reel Details: one read per post, the link and caption on each comment; a failed read keeps the event', async () => {
		const V = `/${GRAPH_API_VERSION}`;
		const scope = nock(GRAPH)
			.get(`${V}/${POST}`)
			.query({ fields: 'permalink,caption,media_product_type' })
			.reply(200, { id: POST, permalink: 'https://www.instagram.com/reel/abc/', caption: 'Spring guide' })
			.get(`${V}/${OTHER_POST}`)
			.query(true)
			.reply(400, {
				error: { message: '(#100) Unsupported get request', type: 'GraphMethodException', code: 100 },
			});
		const body = commentEnvelope('18000000000000108', 'one', POST);
		body.entry[0].changes.push(
			commentEnvelope('18000000000000109', 'two', POST).entry[0].changes[0],
			commentEnvelope('18000000000000110', 'three', OTHER_POST).entry[0].changes[0],
		);
		const items = await emitted({ mediaDetails: true }, body);
		expect(items.map((i) => (i.entryPoint as Record<string, unknown>).permalink)).toEqual([
			'https://www.instagram.com/reel/abc/',
			'https://www.instagram.com/reel/abc/',
			null,
		]);
		expect((items[0].entryPoint as Record<string, unknown>).caption).toBe('Spring guide');
		expect(items[2].mediaDetailsError).toBe('Meta rejected a parameter of the request');
		expect(scope.isDone()).toBe(true);
	});

	it('Only These Entry Points: only the people an ad brought', async () => {
		const ad = messageEnvelope({
			mid: 'm_ad_1',
			text: 'Is this in stock?',
			referral: { ad_id: '120200000000000001', source: 'ADS', type: 'OPEN_THREAD' },
		});
		const options = { entryPoints: ['ad'] };
		const [lead] = await emitted(options, ad);
		expect(lead.entryPoint).toMatchObject({ type: 'ad', adId: '120200000000000001' });
		expect(await emitted(options, messageEnvelope({ mid: 'm_ad_2', text: 'hello' }))).toEqual([]);
		expect(await emitted(options, commentEnvelope('18000000000000107', 'hi'))).toEqual([]);
	});

	it('activation reads each chosen post or reel: one Meta cannot find for the account is refused, by name', async () => {
		const V = `/${GRAPH_API_VERSION}`;
		const scope = nock(GRAPH)
			.get(`${V}/${POST}`)
			.query({ fields: 'id' })
			.reply(200, { id: POST })
			.get(`${V}/${OTHER_POST}`)
			.query({ fields: 'id' })
			.reply(400, {
				error: {
					message: `Unsupported get request. Object with ID '${OTHER_POST}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
					type: 'GraphMethodException',
					code: 100,
					error_subcode: 33,
				},
			});
		const node = triggerNode({
			verifyToken: 'a-long-chosen-verify-token',
			options: {
				onlyMedia: {
					items: [
						{ id: { __rl: true, mode: 'list', value: POST } },
						{ id: { __rl: true, mode: 'id', value: OTHER_POST } },
					],
				},
			},
		} as never);
		await expect(callHook('checkExists', { node, credentials: instagramLoginCredentials })).rejects.toThrow(
			`Only These Posts or Reels: ${OTHER_POST} is not a post or reel of this account`,
		);
		expect(scope.isDone()).toBe(true);
		// When n8n starts, a reel deleted since must not stop the trigger: nothing is read then.
		const atStart = await callHook('checkExists', {
			node,
			credentials: instagramLoginCredentials,
			activation: 'init',
		});
		expect(atStart.result).toBe(true);
	});

	it('activation refuses Keywords without a keyword and a post list that names nothing or no ID, before any call', async () => {
		const refused = async (options: Record<string, unknown>) =>
			await callHook('checkExists', {
				node: triggerNode({ verifyToken: 'a-long-chosen-verify-token', options } as never),
				credentials: instagramLoginCredentials,
			});
		await expect(refused({ keywords: [' '] })).rejects.toThrow('Keywords is on but holds no keyword');
		await expect(refused({ onlyMedia: { items: [] } })).rejects.toThrow(
			'Only These Posts or Reels is on but names nothing',
		);
		await expect(
			refused({
				onlyStories: { items: [{ id: { __rl: true, mode: 'id', value: 'https://instagram.com/s/1' } }] },
			}),
		).rejects.toThrow('Only These Stories: "https://instagram.com/s/1" is not a media ID');
		expect((await refused({ keywords: ['guide'] })).result).toBe(true);
	});
});
