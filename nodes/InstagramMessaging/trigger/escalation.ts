import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { InstagramEvent } from '../events';
import {
	DEFAULT_ESCALATION_PAYLOADS,
	DEFAULT_ESCALATION_PHRASES,
	parseList,
	payloadAsksForHuman,
	textAsksForHuman,
} from '../policy/escalation';

/**
 * `wantsHuman` on every trigger item (instagram-api.md §6.3): the customer asks for a person in
 * words, or taps a quick reply / button whose payload says so. Echoes (the business writing) never
 * want a human.
 */
export const escalationOptions: INodeProperties[] = [
	{
		displayName: 'Escalation Payloads',
		name: 'escalationPayloads',
		type: 'string',
		default: DEFAULT_ESCALATION_PAYLOADS.join(', '),
		description:
			'Comma- or newline-separated quick reply / button payloads that mean "talk to a person" (case-insensitive). Items get wantsHuman: true when one is tapped.',
	},
	{
		displayName: 'Escalation Phrases',
		name: 'escalationPhrases',
		type: 'string',
		typeOptions: { rows: 3 },
		default: DEFAULT_ESCALATION_PHRASES.join(', '),
		description:
			'Comma- or newline-separated phrases that mean "talk to a person" (whole words, case, accents and punctuation ignored). Items get wantsHuman: true when the text contains one.',
	},
];

export interface EscalationSettings {
	phrases: string[];
	payloads: string[];
}

export function readEscalationSettings(options: IDataObject): EscalationSettings {
	const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
	return {
		phrases: parseList(text(options.escalationPhrases), DEFAULT_ESCALATION_PHRASES),
		payloads: parseList(text(options.escalationPayloads), DEFAULT_ESCALATION_PAYLOADS),
	};
}

export function wantsHuman(event: InstagramEvent, settings: EscalationSettings): boolean {
	if (event.isEcho) return false;
	return (
		payloadAsksForHuman(event.quickReplyPayload, settings.payloads) ||
		payloadAsksForHuman(event.postback?.payload, settings.payloads) ||
		textAsksForHuman(event.text, settings.phrases) ||
		textAsksForHuman(event.postback?.title, settings.phrases)
	);
}

/** The item field, from the trigger's "Options" collection. */
export function escalationFields(event: InstagramEvent, options: IDataObject): { wantsHuman: boolean } {
	return { wantsHuman: wantsHuman(event, readEscalationSettings(options)) };
}
