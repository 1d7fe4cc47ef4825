import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { Flavour, GraphConnection } from '../../transport';
import { assertSetup } from '../setups';
import { assertCount, assertNumericId, assertUrl, recipientIdParameter } from '../validation';
import { recipientIdProperty } from './common';
import { rateClassFor, readMediaFile, uploadAttachment, type MediaFile, type MediaType } from './media';
import { sendPolicyProperties, sendToInstagram } from '../send';

/** Up to 10 images in one message, through the plural `attachments` array (instagram-api.md §3.4). */
export const MAX_IMAGES = 10;

type Source = 'url' | 'binary' | 'attachmentId';

const sourceOptions = [
	{
		name: 'Attachment ID',
		value: 'attachmentId',
		description:
			'An attachment uploaded before (the attachmentIds output of an earlier send), for up to 90 days: Meta expires attachment IDs after that. Facebook Page setup only.',
	},
	{
		name: 'Binary File',
		value: 'binary',
		description:
			"A file from a previous node, uploaded to Meta first. Facebook Page setup only: Meta's attachment upload exists only there.",
	},
	{
		name: 'URL',
		value: 'url',
		description: 'A public address Meta downloads the file from',
	},
];

const properties: INodeProperties[] = [
	recipientIdProperty,
	{
		displayName: 'Media Type',
		name: 'mediaType',
		type: 'options',
		options: [
			{ name: 'Audio', value: 'audio', description: 'Aac, m4a, wav or mp4, at most 25 MB' },
			{ name: 'File', value: 'file', description: 'PDF, at most 25 MB' },
			{ name: 'Image', value: 'image', description: 'Png, jpeg or gif, at most 8 MB' },
			{ name: 'Several Images', value: 'images', description: 'Up to 10 images in one message' },
			{ name: 'Video', value: 'video', description: 'Mp4, ogg, avi, mov or webm, at most 25 MB' },
		],
		default: 'image',
	},
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		options: sourceOptions,
		default: 'url',
		displayOptions: { hide: { mediaType: ['images'] } },
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://cdn.example.com/photo.jpg',
		description: 'Public address of the file; Meta downloads it, so avoid redirects and logins',
		displayOptions: { show: { source: ['url'] }, hide: { mediaType: ['images'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to send',
		displayOptions: { show: { source: ['binary'] }, hide: { mediaType: ['images'] } },
	},
	{
		displayName: 'Attachment ID',
		name: 'attachmentId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '1850000000000001',
		description:
			'ID of an attachment uploaded before. Meta expires attachment IDs 90 days after the upload: keep the file or its URL to upload it again.',
		displayOptions: { show: { source: ['attachmentId'] }, hide: { mediaType: ['images'] } },
	},
	{
		displayName: 'Images',
		name: 'images',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Image',
		default: {},
		description: 'Up to 10 images, shown together in one message',
		displayOptions: { show: { mediaType: ['images'] } },
		options: [
			{
				displayName: 'Image',
				name: 'image',
				values: [
					{
						displayName: 'Source',
						name: 'source',
						type: 'options',
						options: sourceOptions,
						default: 'url',
					},
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						default: '',
						placeholder: 'https://cdn.example.com/photo.jpg',
						displayOptions: { show: { source: ['url'] } },
					},
					{
						displayName: 'Input Binary Field',
						name: 'binaryPropertyName',
						type: 'string',
						default: 'data',
						displayOptions: { show: { source: ['binary'] } },
					},
					{
						displayName: 'Attachment ID',
						name: 'attachmentId',
						type: 'string',
						default: '',
						displayOptions: { show: { source: ['attachmentId'] } },
					},
				],
			},
		],
	},
	...sendPolicyProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendMedia'] } },
	properties,
);

interface MediaSource {
	source?: Source;
	url?: string;
	binaryPropertyName?: string;
	attachmentId?: string;
}

/** Either a ready Meta attachment, or a file to upload first. */
type Planned = { attachment: IDataObject } | { file: MediaFile };

/** Meta's Attachment Upload API is documented for the Facebook Page setup only. */
const UPLOAD_SETUPS: readonly Flavour[] = ['facebookPage'];

/**
 * An uploaded asset, in the form Meta documents: an image by `attachment_id` ("Send a Message",
 * Mar 2026); other media as `MEDIA_SHARE` ("Upload Media for Instagram Messaging", Apr 2026).
 */
function uploadedAsset(type: MediaType, attachmentId: string): IDataObject {
	return { type: type === 'image' ? 'image' : 'MEDIA_SHARE', payload: { attachment_id: attachmentId } };
}

async function plan(
	ctx: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
	type: MediaType,
	input: MediaSource,
	field: string,
): Promise<Planned> {
	const source = input.source ?? 'url';
	if (source === 'binary') {
		assertSetup(ctx, connection, UPLOAD_SETUPS, `${field}Sending a binary file`, itemIndex);
		return { file: await readMediaFile(ctx, itemIndex, input.binaryPropertyName || 'data', type, field) };
	}
	if (source === 'attachmentId') {
		assertSetup(ctx, connection, UPLOAD_SETUPS, `${field}Sending by attachment ID`, itemIndex);
		const id = assertNumericId(ctx, input.attachmentId ?? '', itemIndex, `${field}Attachment ID`);
		return { attachment: uploadedAsset(type, id) };
	}
	return {
		attachment: { type, payload: { url: assertUrl(ctx, input.url ?? '', itemIndex, `${field}URL`) } },
	};
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<IDataObject> {
	const recipientId = recipientIdParameter(this, itemIndex);
	const mediaType = this.getNodeParameter('mediaType', itemIndex) as MediaType | 'images';
	const type: MediaType = mediaType === 'images' ? 'image' : mediaType;

	// Everything is checked (and binary files read) before the first call to Meta, in the
	// customer's queue: a file that takes long to read keeps its place among their messages.
	let planned: Planned[] = [];
	const planAll = async (): Promise<void> => {
		if (mediaType === 'images') {
			const images =
				(this.getNodeParameter('images', itemIndex, {}) as { image?: MediaSource[] }).image ?? [];
			assertCount(this, images.length, itemIndex, 'Images', MAX_IMAGES);
			for (const [index, image] of images.entries()) {
				planned.push(await plan(this, itemIndex, connection, 'image', image, `Image ${index + 1}: `));
			}
		} else {
			const input: MediaSource = { source: this.getNodeParameter('source', itemIndex) as Source };
			if (input.source === 'url') input.url = this.getNodeParameter('url', itemIndex) as string;
			if (input.source === 'binary')
				input.binaryPropertyName = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
			if (input.source === 'attachmentId')
				input.attachmentId = this.getNodeParameter('attachmentId', itemIndex) as string;
			planned = [await plan(this, itemIndex, connection, type, input, '')];
		}
	};

	const uploaded: string[] = [];
	const toAttachments = async (): Promise<IDataObject[]> => {
		const attachments: IDataObject[] = [];
		for (const step of planned) {
			if ('file' in step) {
				const attachmentId = await uploadAttachment(this, itemIndex, connection, type, step.file);
				uploaded.push(attachmentId);
				attachments.push(uploadedAsset(type, attachmentId));
			} else {
				attachments.push(step.attachment);
			}
		}
		return attachments;
	};

	const body: IDataObject = { recipient: { id: recipientId }, message: {} };
	const result = await sendToInstagram.call(this, itemIndex, connection, body, {
		policy: true,
		rateClass: rateClassFor(type),
		validate: planAll,
		prepare: async (request) => {
			const attachments = await toAttachments();
			const message = mediaType === 'images' ? { attachments } : { attachment: attachments[0] };
			return { ...request, message };
		},
	});
	if (uploaded.length > 0) result.attachmentIds = uploaded;
	return result;
}
