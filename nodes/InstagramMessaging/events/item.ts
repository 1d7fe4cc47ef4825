import type { IDataObject } from 'n8n-workflow';

import type { InstagramEvent } from './types';

export type ItemOptions = {
	/** Keep the original messaging item / change object under `raw`. */
	includeRaw: boolean;
};

/** The n8n item JSON for an event: every field, in a stable order; `raw` only when asked for. */
export function toItemJson(event: InstagramEvent, options: ItemOptions): IDataObject {
	const { raw, ...fields } = event;
	return options.includeRaw ? { ...fields, raw } : { ...fields };
}
