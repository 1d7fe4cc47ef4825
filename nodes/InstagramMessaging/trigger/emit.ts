import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Attachment } from '../events';
import { downloadAttachments, hasDownloadableAttachment, newDownloadBudget } from './download';
import { readOptions } from './filters';
import { addMediaDetails } from './mediaDetails';
import { keepFirstEntries, oncePerPersonOf } from './oncePerPerson';
import { recordStarted } from './seenEvents';

function attachmentsOf(json: IDataObject): Array<Pick<Attachment, 'type' | 'url'>> {
	if (!Array.isArray(json.attachments)) return [];
	return json.attachments.flatMap((value: unknown) => {
		if (typeof value !== 'object' || value === null) return [];
		const { type, url } = value as { type?: unknown; url?: unknown };
		return typeof type === 'string' ? [{ type, url: typeof url === 'string' ? url : null }] : [];
	});
}

/**
 * The trigger's step inside the execution n8n saved before Meta got its 200: stores the dedup keys
 * (saved with the execution's static data) and downloads attachments, so a slow or failed download
 * can neither delay Meta's answer nor lose the event.
 */
export async function emitEvents(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const rawOptions = this.getNodeParameter('options', 0, {}) as IDataObject;
	const options = readOptions(rawOptions);
	const started = await recordStarted(this, this.getInputData());
	const once = oncePerPersonOf(rawOptions);
	const entries = once === null ? started : await keepFirstEntries(this, started, once);
	const items = rawOptions.mediaDetails === true ? await addMediaDetails(this, entries) : entries;
	if (!options.downloadAttachments) return [items];
	const budget = newDownloadBudget();
	const out: INodeExecutionData[] = [];
	for (const item of items) {
		const attachments = attachmentsOf(item.json);
		if (!hasDownloadableAttachment(attachments)) {
			out.push(item);
			continue;
		}
		const { binary, downloadError } = await downloadAttachments(
			this,
			attachments,
			options.maxAttachmentBytes,
			budget,
		);
		const downloaded: INodeExecutionData = { ...item, json: { ...item.json, downloadError } };
		if (Object.keys(binary).length > 0) downloaded.binary = { ...item.binary, ...binary };
		out.push(downloaded);
	}
	return [out];
}
