import type { IDataObject, INodeProperties } from 'n8n-workflow';

/**
 * What a free-text answer must be: Send and Wait for Response checks and normalises it, and asks
 * again with the node's own words when it does not fit (at most Max Re-Asks times); then the
 * execution resumes with `valid: false`. The count of re-asks travels with the answer, signed by
 * the trigger (it keeps the count with the waiting question, `pendingText.ts`).
 */
export type ExpectedAnswer = 'any' | 'email' | 'phone' | 'number' | 'url';

export const MAX_REASKS = 5;
export const DEFAULT_REASKS = 2;

const REASK_DEFAULTS: Record<Exclude<ExpectedAnswer, 'any'>, string> = {
	email: "Sorry, that doesn't look like an email address. Could you send it again (like name@example.com)?",
	phone:
		"Sorry, that doesn't look like a phone number. Could you send it again, with the country code (like +44 20 7946 0958)?",
	number: 'Sorry, I need a number. Could you send it again (like 42)?',
	url: "Sorry, that doesn't look like a web address. Could you send it again (like example.com)?",
};

export const expectedAnswerProperties: INodeProperties[] = [
	{
		displayName: 'Expected Answer',
		name: 'expectedAnswer',
		type: 'options',
		options: [
			{ name: 'Any Text', value: 'any' },
			{ name: 'Email Address', value: 'email', description: 'Output value: the address, lower case domain' },
			{
				name: 'Number',
				value: 'number',
				description: 'Output value: the number (a decimal comma is read too)',
			},
			{
				name: 'Phone Number',
				value: 'phone',
				description: 'Output value: digits, with + and the country code when the customer gave one',
			},
			{
				name: 'URL',
				value: 'url',
				description: 'Output value: the web address, with https:// added when missing',
			},
		],
		default: 'any',
		displayOptions: { show: { responseType: ['freeText'] } },
		description:
			'What the answer must be. Except for Any Text, an answer that does not fit is asked again, and the output has value (normalised) and valid.',
	},
	{
		displayName: 'Re-Ask Message',
		name: 'reaskMessage',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: "Sorry, that doesn't look like an email address. Could you send it again?",
		displayOptions: {
			show: { responseType: ['freeText'], expectedAnswer: ['email', 'phone', 'number', 'url'] },
		},
		description: 'Sent when an answer does not fit. Empty: a sentence for the expected answer.',
	},
	{
		displayName: 'Max Re-Asks',
		name: 'maxReasks',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: MAX_REASKS },
		default: DEFAULT_REASKS,
		displayOptions: {
			show: { responseType: ['freeText'], expectedAnswer: ['email', 'phone', 'number', 'url'] },
		},
		description: 'How many times to ask again; after that the execution goes on with valid: false',
	},
];

export function expectedAnswerOf(value: unknown): ExpectedAnswer {
	return value === 'email' || value === 'phone' || value === 'number' || value === 'url' ? value : 'any';
}

export function reaskMessageOf(expected: Exclude<ExpectedAnswer, 'any'>, given: unknown): string {
	return typeof given === 'string' && given.trim() !== '' ? given : REASK_DEFAULTS[expected];
}

const EMAIL = /[^\s@<>()[\],;:"']+@[^\s@<>()[\],;:"']+\.[a-z]{2,}/i;
const URL_LIKE = /(?:https?:\/\/)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?:[/?#][^\s]*)?/i;
/** Without a scheme or www., a web address needs a common ending ("ok.thanks" is no address). */
const COMMON_TLDS: ReadonlySet<string> = new Set(
	'com net org io co app dev info biz me shop store online site xyz ai tv uk de fr es it nl be ch at eu us ca au in br mx pl se no dk fi ie pt nz za jp'.split(
		' ',
	),
);
const NUMBERS = /[-+]?\d[\d.,]*/g;

function email(text: string): string | null {
	const match = EMAIL.exec(text)?.[0].replace(/\.+$/, '');
	if (match === undefined) return null;
	const at = match.lastIndexOf('@');
	return `${match.slice(0, at)}@${match.slice(at + 1).toLowerCase()}`;
}

/** E.164 allows 15 digits; fewer than 7 is no phone number anywhere. */
function phone(text: string): string | null {
	const candidate = /\+?[\d(][\d\s().-]{5,}\d/.exec(text)?.[0];
	// A date ("2024-05-01") is no phone number.
	if (candidate === undefined || /\d{4}-\d{1,2}-\d{1,2}/.test(candidate)) return null;
	const digits = candidate.replace(/\D/g, '');
	const international = candidate.startsWith('+') || digits.startsWith('00');
	const national = digits.startsWith('00') ? digits.slice(2) : digits;
	if (national.length < 7 || national.length > 15) return null;
	return international ? `+${national}` : national;
}

/** One number in the answer ("about 3,5" → 3.5, "1,500" → 1500); two numbers are ambiguous. */
function number(text: string): number | null {
	const found = (text.match(NUMBERS) ?? []).map((token) => token.replace(/[.,]+$/, ''));
	if (found.length !== 1) return null;
	const [token] = found;
	const plain = /^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(token)
		? token.replace(/,/g, '')
		: /^[-+]?\d+,\d+$/.test(token)
			? token.replace(',', '.')
			: token;
	const value = Number(plain);
	return Number.isFinite(value) ? value : null;
}

function url(text: string): string | null {
	if (EMAIL.test(text)) return null;
	const match = URL_LIKE.exec(text)?.[0].replace(/[.,!?)]+$/, '');
	if (match === undefined) return null;
	const explicit = /^(https?:\/\/|www\.)/i.test(match);
	const host = match.replace(/^https?:\/\//i, '').split(/[/?#]/)[0];
	if (!explicit && !COMMON_TLDS.has(host.split('.').pop()?.toLowerCase() ?? '')) return null;
	try {
		const parsed = new URL(/^https?:\/\//i.test(match) ? match : `https://${match}`);
		return parsed.toString();
	} catch {
		return null;
	}
}

/** The answer's value, normalised; null when it does not fit. */
export function checkAnswer(expected: ExpectedAnswer, text: unknown): IDataObject['value'] {
	if (typeof text !== 'string' || text.trim() === '') return null;
	switch (expected) {
		case 'email':
			return email(text);
		case 'phone':
			return phone(text);
		case 'number':
			return number(text);
		case 'url':
			return url(text);
		default:
			return text.trim();
	}
}
