import type { INodeProperties } from 'n8n-workflow';

export type KeywordMatch = 'word' | 'exact' | 'startsWith';

export interface KeywordRule {
	match: KeywordMatch;
	/** As the user wrote them, and normalised, in the same order. */
	keywords: Array<{ keyword: string; normalised: string }>;
}

/** Lower case, accents removed (NFKD, combining marks dropped), whitespace collapsed. */
export function normaliseText(text: string): string {
	return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** Leading and trailing characters that are not letters or digits ("Guide!!" → "guide"). */
function stripEdges(text: string): string {
	return text.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function containsWord(text: string, word: string): boolean {
	let from = 0;
	for (;;) {
		const at = text.indexOf(word, from);
		if (at < 0) return false;
		const before = at === 0 ? '' : text[at - 1];
		const after = text.slice(at + word.length, at + word.length + 1);
		if (!LETTER_OR_DIGIT.test(before) && !LETTER_OR_DIGIT.test(after)) return true;
		from = at + 1;
	}
}

function matches(text: string, keyword: string, match: KeywordMatch): boolean {
	if (keyword === '') return false;
	if (match === 'exact') return stripEdges(text) === keyword;
	if (match === 'startsWith') return stripEdges(text).startsWith(keyword);
	return containsWord(text, keyword);
}

/** The first keyword (as the user wrote it) the text matches, or null. */
export function matchedKeyword(text: string | null, rule: KeywordRule): string | null {
	if (text === null) return null;
	const normalised = normaliseText(text);
	return rule.keywords.find((k) => matches(normalised, k.normalised, rule.match))?.keyword ?? null;
}

export function keywordRuleOf(keywords: unknown, match: unknown): KeywordRule | null {
	if (keywords === undefined) return null;
	const list = (Array.isArray(keywords) ? keywords : [keywords])
		.filter((k): k is string => typeof k === 'string')
		.map((keyword) => ({ keyword: keyword.trim(), normalised: stripEdges(normaliseText(keyword)) }))
		.filter((k) => k.normalised !== '');
	const mode: KeywordMatch = match === 'exact' || match === 'startsWith' ? match : 'word';
	return { match: mode, keywords: list };
}

export const keywordOptions: INodeProperties[] = [
	{
		displayName: 'Keywords',
		name: 'keywords',
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Keyword' },
		default: [],
		placeholder: 'GUIDE',
		description:
			'Only emit messages, story replies and comments whose text matches one of these keywords (case and accents ignored); the keyword is added as matchedKeyword. Other events are not affected.',
	},
	{
		displayName: 'Keyword Match',
		name: 'keywordMatch',
		type: 'options',
		options: [
			{
				name: 'Whole Word',
				value: 'word',
				description: 'The keyword appears as a word or phrase in the text',
			},
			{ name: 'Exact Message', value: 'exact', description: 'The whole text is the keyword' },
			{ name: 'Starts With', value: 'startsWith', description: 'The text begins with the keyword' },
		],
		default: 'word',
		description: 'How Keywords are matched',
	},
];
