/**
 * Meta requires automated experiences to offer a way to a person (instagram-api.md §6.3). The
 * trigger marks `wantsHuman` on an event when the customer asks for one in words or taps a
 * quick reply / button whose payload says so.
 */
export const DEFAULT_ESCALATION_PHRASES = [
	'talk to a human',
	'talk to a person',
	'talk to someone',
	'speak to a human',
	'speak to a person',
	'speak to someone',
	'real person',
	'human agent',
	'live agent',
	'customer service',
	'representative',
	'operator',
];

export const DEFAULT_ESCALATION_PAYLOADS = ['TALK_TO_HUMAN', 'HUMAN', 'HUMAN_AGENT'];

/** Lower case, accents and punctuation removed, single spaces: "Talk to a HUMAN!!" → "talk to a human". */
export function normalizeText(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

/** Splits a comma- or newline-separated list as typed in the node's UI. */
export function parseList(value: string | string[] | undefined, fallback: string[]): string[] {
	if (value === undefined) return fallback;
	const items = (Array.isArray(value) ? value : value.split(/[\n,]/)).map((s) => s.trim()).filter(Boolean);
	return items.length ? items : fallback;
}

/** Whether the text contains one of the phrases as whole words. */
export function textAsksForHuman(text: string | null | undefined, phrases: string[]): boolean {
	if (!text) return false;
	const haystack = ` ${normalizeText(text)} `;
	return phrases.some((phrase) => {
		const needle = normalizeText(phrase);
		return needle !== '' && haystack.includes(` ${needle} `);
	});
}

export function payloadAsksForHuman(payload: string | null | undefined, payloads: string[]): boolean {
	if (!payload) return false;
	return payloads.some((p) => p.trim() !== '' && p.trim().toUpperCase() === payload.trim().toUpperCase());
}
