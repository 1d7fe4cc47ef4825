import nock from 'nock';

import { actionNode, CUSTOMER, GRAPH, instagramLoginCredentials, runWorkflow, TOKEN } from '../harness';
import { V } from './conversationHelpers';

const FIELDS =
	'name,username,profile_pic,follower_count,is_user_follow_business,is_business_follow_user,is_verified_user';
const BASIC = 'name,username,profile_pic';

function getProfile(parameters: Record<string, unknown> = {}, extra = {}) {
	return actionNode({ resource: 'user', operation: 'getProfile', userId: CUSTOMER, ...parameters }, extra);
}

async function run(node: ReturnType<typeof getProfile>, input = [{ json: {} }]) {
	return await runWorkflow({ nodes: [node], credentials: instagramLoginCredentials, input });
}

const consentError = {
	error: {
		message: 'User consent is required to access user profile',
		type: 'IGApiException',
		code: 230,
		fbtrace_id: 'trace-consent',
	},
};

describe('User → Get Profile', () => {
	it('asks for every profile field and returns them in camelCase', async () => {
		const scope = nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get(`${V}/${CUSTOMER}`)
			.query({ fields: FIELDS })
			.reply(200, {
				name: 'Jane Doe',
				username: 'jane_doe',
				profile_pic: 'https://cdn.test/jane.jpg',
				follower_count: 321,
				is_user_follow_business: true,
				is_business_follow_user: false,
				is_verified_user: false,
				id: CUSTOMER,
			});
		const { output } = await run(getProfile());
		expect(output('Instagram Messaging')).toEqual([
			{
				json: {
					id: CUSTOMER,
					name: 'Jane Doe',
					username: 'jane_doe',
					profilePic: 'https://cdn.test/jane.jpg',
					followerCount: 321,
					isUserFollowBusiness: true,
					isBusinessFollowUser: false,
					isVerifiedUser: false,
					basicFieldsOnly: false,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	it("explains Meta's consent rule: the person must message the account first, a comment is not enough", async () => {
		const scope = nock(GRAPH).get(`${V}/${CUSTOMER}`).query({ fields: FIELDS }).reply(400, consentError);
		const { error } = await run(getProfile({ options: { fallbackToBasicFields: true } }));
		const failure = error('Instagram Messaging') as Error & { description?: string; httpCode?: string };
		expect(failure.message).toBe(
			'This person has not messaged the account, so Instagram does not share their profile',
		);
		expect(failure.description).toContain('they must send the account a direct message');
		expect(failure.description).toContain('A comment or a mention alone is not consent');
		expect(failure.description).toContain('Meta says: User consent is required to access user profile');
		expect(failure.httpCode).toBe('400');
		// never retried, not even with the basic fields
		expect(scope.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('falls back to name, username and picture when Meta refuses the follow and verification fields', async () => {
		const scope = nock(GRAPH)
			.get(`${V}/${CUSTOMER}`)
			.query({ fields: FIELDS })
			.reply(400, {
				error: {
					message: '(#100) Tried accessing nonexisting field (follower_count) on node type (User)',
					code: 100,
				},
			})
			.get(`${V}/${CUSTOMER}`)
			.query({ fields: BASIC })
			.reply(200, { username: 'jane_doe', id: CUSTOMER });
		const { output } = await run(getProfile({ options: { fallbackToBasicFields: true } }));
		expect(output('Instagram Messaging')[0].json).toEqual({
			id: CUSTOMER,
			name: null,
			username: 'jane_doe',
			profilePic: null,
			followerCount: null,
			isUserFollowBusiness: null,
			isBusinessFollowUser: null,
			isVerifiedUser: null,
			basicFieldsOnly: true,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('does not fall back unless asked', async () => {
		nock(GRAPH)
			.get(`${V}/${CUSTOMER}`)
			.query({ fields: FIELDS })
			.reply(400, {
				error: { message: '(#100) Tried accessing nonexisting field (follower_count)', code: 100 },
			});
		const { error } = await run(getProfile());
		expect(error('Instagram Messaging')?.message).toBe('Meta rejected a parameter of the request');
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('keeps going with Continue On Fail: one good and one bad item, each paired', async () => {
		nock(GRAPH)
			.get(`${V}/${CUSTOMER}`)
			.query({ fields: FIELDS })
			.reply(200, { username: 'jane_doe', id: CUSTOMER });
		const { output } = await run(
			getProfile({ userId: '={{ $json.id }}' }, { onError: 'continueRegularOutput' }),
			[{ json: { id: CUSTOMER } }, { json: { id: '@jane_doe' } }],
		);
		const items = output('Instagram Messaging');
		expect(items).toHaveLength(2);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[0].json).toMatchObject({ id: CUSTOMER, username: 'jane_doe', followerCount: null });
		expect(items[1].pairedItem).toEqual({ item: 1 });
		expect(items[1].json.error).toBe('User ID "@jane_doe" is not an Instagram-scoped ID');
	});
});
