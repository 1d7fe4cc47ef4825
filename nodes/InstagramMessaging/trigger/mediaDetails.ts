import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getConnection, graphRequest } from '../transport';

export const mediaDetailsOption: INodeProperties = {
	displayName: 'Add Post or Reel Details',
	name: 'mediaDetails',
	type: 'boolean',
	default: false,
	description:
		"Whether to read the commented post or reel's link and caption into entryPoint.permalink and entryPoint.caption (one call per post or reel and execution; a failed read adds mediaDetailsError and keeps the event)",
};

/**
 * `GET /{media-id}?fields=permalink,caption,media_product_type` for the posts and reels that the
 * execution's comments are about (Meta's comment webhook names the media, not its link), read
 * inside the execution like attachment downloads, so that Meta's answer never waits for it.
 */
export async function addMediaDetails(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const mediaIdOf = (item: INodeExecutionData) => {
		const entry = item.json.entryPoint as IDataObject | null | undefined;
		return typeof entry?.mediaId === 'string' ? entry.mediaId : null;
	};
	const ids = [...new Set(items.map(mediaIdOf).filter((id): id is string => id !== null))];
	if (ids.length === 0) return items;
	const credentialType = ctx.getNodeParameter('authentication', 0, 'instagramLoginApi') as string;
	const connection = await getConnection.call(ctx, credentialType);
	const details = new Map<string, IDataObject | Error>();
	for (const id of ids) {
		try {
			details.set(
				id,
				await graphRequest.call(ctx, connection, {
					method: 'GET',
					path: `/${id}`,
					qs: { fields: 'permalink,caption,media_product_type' },
				}),
			);
		} catch (error) {
			details.set(id, error as Error);
		}
	}
	return items.map((item) => {
		const id = mediaIdOf(item);
		const found = id === null ? undefined : details.get(id);
		if (found === undefined) return item;
		const entry = item.json.entryPoint as IDataObject;
		if (found instanceof Error) return { ...item, json: { ...item.json, mediaDetailsError: found.message } };
		const text = (value: unknown) => (typeof value === 'string' ? value : null);
		return {
			...item,
			json: {
				...item.json,
				entryPoint: {
					...entry,
					permalink: text(found.permalink),
					caption: text(found.caption),
					mediaProductType: text(entry.mediaProductType) ?? text(found.media_product_type),
				},
			},
		};
	});
}
