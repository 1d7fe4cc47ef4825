import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { graphRequest, isUserConsentError, type GraphConnection, type MetaError } from '../../transport';
import { assertCustomerId, customerIdDescription } from '../validation';

/** Every User Profile API field (instagram-api.md §4.5). */
export const PROFILE_FIELDS =
	'name,username,profile_pic,follower_count,is_user_follow_business,is_business_follow_user,is_verified_user';
/** The fields left when the follow and verification fields are refused. */
export const BASIC_PROFILE_FIELDS = 'name,username,profile_pic';

const properties: INodeProperties[] = [
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '1111111111111111',
		description: `${customerIdDescription}. Instagram shares a profile only once the person has messaged the account.`,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Fall Back to Basic Fields',
				name: 'fallbackToBasicFields',
				type: 'boolean',
				default: true,
				description:
					'Whether to retry with only name, username and profile picture when Meta refuses the follower, follow and verification fields (missing fields are then null)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['getProfile'] } },
	properties,
);

function orNull(value: unknown): IDataObject[string] {
	return value === undefined ? null : (value as IDataObject[string]);
}

function metaErrorOf(error: unknown): MetaError | undefined {
	return error instanceof NodeApiError ? (error.errorResponse as MetaError | undefined) : undefined;
}

/** Worth retrying with fewer fields: Meta refused a field or a permission, not the person or the token. */
function refusedFields(error: unknown): boolean {
	const meta = metaErrorOf(error);
	if (meta === undefined || isUserConsentError(meta)) return false;
	const code = meta.code ?? 0;
	return code === 100 || code === 10 || (code >= 200 && code < 300);
}

/**
 * `GET /{igsid}?fields=…` (instagram-api.md §4.5). Meta answers only for people who messaged the
 * account (consent); otherwise the error says so.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const userId = assertCustomerId(this, this.getNodeParameter('userId', itemIndex), itemIndex, 'User ID');
	const options = this.getNodeParameter('options', itemIndex, {}) as { fallbackToBasicFields?: boolean };
	const request = (fields: string) =>
		graphRequest.call(this, connection, {
			method: 'GET',
			path: `/${userId}`,
			qs: { fields },
			itemIndex,
		});

	let profile: IDataObject | undefined;
	let refusal: unknown;
	try {
		profile = await request(PROFILE_FIELDS);
	} catch (error) {
		refusal = error;
	}
	const basicOnly = profile === undefined;
	if (profile === undefined) {
		if (options.fallbackToBasicFields !== true || !refusedFields(refusal)) throw refusal;
		profile = await request(BASIC_PROFILE_FIELDS);
	}
	return {
		id: String(profile.id ?? userId),
		name: orNull(profile.name),
		username: orNull(profile.username),
		profilePic: orNull(profile.profile_pic),
		followerCount: orNull(profile.follower_count),
		isUserFollowBusiness: orNull(profile.is_user_follow_business),
		isBusinessFollowUser: orNull(profile.is_business_follow_user),
		isVerifiedUser: orNull(profile.is_verified_user),
		basicFieldsOnly: basicOnly,
	};
}
