import {
	DEFAULT_ESCALATION_PAYLOADS,
	DEFAULT_ESCALATION_PHRASES,
	parseList,
	payloadAsksForHuman,
	textAsksForHuman,
} from '../../../nodes/InstagramMessaging/policy/escalation';

describe('escalation phrases', () => {
	it.each([
		'Can I talk to a human please?',
		'TALK TO A PERSON!!!',
		'i want a real-person',
		'Customer service, now.',
		'Könnte ich mit einem Operator sprechen',
	])('matches "%s"', (text) => {
		expect(textAsksForHuman(text, DEFAULT_ESCALATION_PHRASES)).toBe(true);
	});

	it.each(['Is the human-sized tee in stock?', 'humanity', 'representatives-only event', '', null])(
		'does not match "%s"',
		(text) => {
			expect(textAsksForHuman(text, DEFAULT_ESCALATION_PHRASES)).toBe(false);
		},
	);

	it("uses the user's own phrases, accents ignored", () => {
		const phrases = parseList('mit einem Menschen sprechen, persönlich', DEFAULT_ESCALATION_PHRASES);
		expect(phrases).toEqual(['mit einem Menschen sprechen', 'persönlich']);
		expect(textAsksForHuman('Kann ich PERSONLICH beraten werden?', phrases)).toBe(true);
		expect(textAsksForHuman('talk to a human', phrases)).toBe(false);
	});

	it('falls back to the defaults for an empty list', () => {
		expect(parseList(' , \n', DEFAULT_ESCALATION_PHRASES)).toBe(DEFAULT_ESCALATION_PHRASES);
	});

	it('matches payloads exactly, case-insensitively', () => {
		expect(payloadAsksForHuman('talk_to_human', DEFAULT_ESCALATION_PAYLOADS)).toBe(true);
		expect(payloadAsksForHuman('TALK_TO_HUMAN_LATER', DEFAULT_ESCALATION_PAYLOADS)).toBe(false);
		expect(payloadAsksForHuman(null, DEFAULT_ESCALATION_PAYLOADS)).toBe(false);
	});
});
