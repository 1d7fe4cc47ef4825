import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { getConnection, graphRequest, type MetaError } from '../transport';
import { keywordRuleOf } from './keywords';
import { oncePerPersonOf } from './oncePerPerson';

function locatorList(name: string, displayName: string, label: string, method: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: `Add ${label}`,
		default: {},
		options: [
			{
				displayName: label,
				name: 'items',
				values: [
					{
						displayName: label,
						name: 'id',
						type: 'resourceLocator',
						default: { mode: 'list', value: '' },
						modes: [
							{
								displayName: 'From List',
								name: 'list',
								type: 'list',
								typeOptions: { searchListMethod: method, searchable: true },
							},
							{ displayName: 'By ID', name: 'id', type: 'string', placeholder: '17900000000000002' },
						],
					},
				],
			},
		],
	};
}

const ENTRY_POINT_OPTIONS = [
	{ name: 'Ad (Click-to-Direct)', value: 'ad', description: 'The first message after tapping an ad' },
	{ name: 'Comment', value: 'comment' },
	{
		name: 'Direct Message',
		value: 'direct_message',
		description: 'A DM in the thread, a reaction or an edit',
	},
	{ name: 'Ig.me Link', value: 'link', description: 'An ig.me link with a ref' },
	{ name: 'Live Comment', value: 'live_comment' },
	{
		name: 'Mention',
		value: 'mention',
		description:
			'An @mention in a caption or comment on another account (Page setup; Instagram Login delivers mentions as comments)',
	},
	{ name: 'Postback', value: 'postback', description: 'An ice breaker, button or menu tap' },
	{ name: 'Shop', value: 'shop', description: 'An Instagram Shop product' },
	{ name: 'Story Mention', value: 'story_mention' },
	{ name: 'Story Reply', value: 'story_reply' },
];

export const entryOptions: INodeProperties[] = [
	{
		displayName: 'Only These Entry Points',
		name: 'entryPoints',
		type: 'multiOptions',
		options: ENTRY_POINT_OPTIONS,
		default: [],
		description:
			"Only emit events whose entryPoint is one of these (for example only the people an ad brought); the business's own and system events have none. Empty means all.",
	},
	{
		...locatorList('onlyMedia', 'Only These Posts or Reels', 'Post or Reel', 'searchMedia'),
		description:
			'Only emit comments and Live comments on these posts or reels. Other events are not affected.',
	},
	{
		...locatorList('onlyStories', 'Only These Stories', 'Story', 'searchStories'),
		description:
			'Only emit story replies to these stories (listed through a Facebook Page; by ID on Instagram Login). Other events are not affected.',
	},
];

/** The ids of a `locatorList` option: resource locator values, or plain strings from an expression. */
export function locatorIds(value: unknown): string[] {
	if (typeof value !== 'object' || value === null) return [];
	const items = (value as IDataObject).items;
	if (!Array.isArray(items)) return [];
	return items
		.map((item) => {
			const id = (item as IDataObject | null)?.id;
			const raw = typeof id === 'object' && id !== null ? (id as IDataObject).value : id;
			return typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
		})
		.filter((id) => id !== '');
}

/** Refused at activation, before any call to Meta: settings that could never emit what they name. */
export function assertEntryOptions(ctx: IHookFunctions): void {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const rule = keywordRuleOf(options.keywords, options.keywordMatch);
	if (rule !== null && rule.keywords.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Keywords is on but holds no keyword', {
			description:
				'Add at least one keyword (for example GUIDE), or remove the Keywords option to emit every message and comment.',
		});
	}
	const once = oncePerPersonOf(options);
	if (once !== null && once.campaign === '') {
		throw new NodeOperationError(ctx.getNode(), 'Once Per Person needs a campaign name', {
			description:
				'Give the campaign a name (for example spring-guide): people are counted per name, so a new name starts a new campaign.',
		});
	}
	for (const [name, label] of [
		['onlyMedia', 'Only These Posts or Reels'],
		['onlyStories', 'Only These Stories'],
	] as const) {
		if (options[name] === undefined) continue;
		const ids = locatorIds(options[name]);
		const bad = ids.find((id) => !/^\d+$/.test(id));
		if (ids.length === 0 || bad !== undefined) {
			throw new NodeOperationError(
				ctx.getNode(),
				bad === undefined ? `${label} is on but names nothing` : `${label}: "${bad}" is not a media ID`,
				{
					description: `Pick each one from the list or enter its numeric ID (such as 17900000000000002), or remove the ${label} option.`,
				},
			);
		}
	}
}

/**
 * Each post or reel of Only These Posts or Reels, read once with the trigger's credential when
 * someone activates or saves the workflow: Meta answers (#100) for a media id the account cannot
 * read — another account's post, a deleted one, a mistyped id — and activation says which. When
 * n8n starts (or a new leader takes over) nothing is checked: a reel deleted since, or Meta out
 * of reach at that moment, must not stop the trigger and every DM with it.
 */
export async function assertOwnMedia(ctx: IHookFunctions): Promise<void> {
	const ids = locatorIds((ctx.getNodeParameter('options', {}) as IDataObject).onlyMedia);
	if (ids.length === 0) return;
	const mode = ctx.getActivationMode();
	if (mode === 'init' || mode === 'leadershipChange') return;
	const credentialType = ctx.getNodeParameter('authentication', 'instagramLoginApi') as string;
	const connection = await getConnection.call(ctx, credentialType);
	for (const id of ids) {
		let failure: unknown;
		try {
			await graphRequest.call(ctx, connection, { method: 'GET', path: `/${id}`, qs: { fields: 'id' } });
		} catch (error) {
			failure = error;
		}
		if (failure === undefined) continue;
		const meta =
			failure instanceof NodeApiError ? (failure.errorResponse as MetaError | undefined) : undefined;
		// Anything else (an expired token, Meta unreachable) stops activation with its own words.
		if (meta?.code !== 100) throw failure;
		throw new NodeOperationError(
			ctx.getNode(),
			`Only These Posts or Reels: ${id} is not a post or reel of this account`,
			{
				description:
					"Pick it from the list (it shows the account's own posts and reels), or check the ID: Meta could not find it for this account.",
			},
		);
	}
}
