/**
 * The send pipeline's steps alone (actions/send/): the disclosure plan is pure, so its rule is
 * checked here without HTTP; the whole pipeline is exercised in disclosure.test.ts and sendText.test.ts.
 */
import { handBackEvent, planDisclosure } from '../../../nodes/InstagramMessaging/actions/send/disclosure';
import { INSTAGRAM_INBOX_APP_ID } from '../../../nodes/InstagramMessaging/transport/constants';

const NOW = Date.UTC(2026, 11, 1, 12);
const HOUR = 3_600_000;
const settings = {
	text: "You're chatting with an automated assistant.",
	lapseMs: 24 * HOUR,
	separate: false,
};
const request = { recipient: { id: '1111' }, messaging_type: 'RESPONSE', message: { text: 'Hi!' } };

describe('send step: disclosure plan', () => {
	it('first bot message of a thread: the disclosure goes before the text', () => {
		const plan = planDisclosure({ request, settings, record: {}, handedBack: false, now: NOW });
		expect(plan.reason).toBe('firstMessage');
		expect(plan.notice).toBeUndefined();
		expect((plan.payload.message as { text: string }).text).toBe(`${settings.text}\n\nHi!`);
	});

	it('disclosed an hour ago: nothing added, the request is sent as it is', () => {
		const record = { disclosedAt: NOW - HOUR, lastBotAt: NOW - HOUR };
		const plan = planDisclosure({ request, settings, record, handedBack: false, now: NOW });
		expect(plan).toEqual({ reason: null, payload: request });
	});

	it('handed back from a person: discloses again whatever the stored record says', () => {
		const record = { disclosedAt: NOW - HOUR, lastBotAt: NOW - HOUR };
		expect(planDisclosure({ request, settings, record, handedBack: true, now: NOW }).reason).toBe(
			'afterHuman',
		);
	});

	it('a text that would not fit 1000 bytes with the disclosure, or "separate": a notice of its own first', () => {
		const long = { ...request, message: { text: 'x'.repeat(990) } };
		const plan = planDisclosure({ request: long, settings, record: {}, handedBack: false, now: NOW });
		expect(plan.payload).toBe(long);
		expect(plan.notice).toEqual({
			recipient: request.recipient,
			messaging_type: 'RESPONSE',
			message: { text: settings.text },
		});
		const separate = planDisclosure({
			request,
			settings: { ...settings, separate: true },
			record: {},
			handedBack: false,
			now: NOW,
		});
		expect(separate.notice?.message).toEqual({ text: settings.text });
	});

	it('no settings (a person wrote it, or disclosure off): never a disclosure', () => {
		expect(planDisclosure({ request, settings: undefined, record: {}, handedBack: true, now: NOW })).toEqual({
			reason: null,
			payload: request,
		});
	});
});

describe('send step: proof that a person held the thread', () => {
	it('a pass to another app or a take by this app counts, each as its own event; a pass to the Inbox does not', () => {
		expect(handBackEvent({ customerId: '1', eventType: 'handover_take', timestampMs: 5 }, '1', 'e1')).toBe(
			'take:5',
		);
		expect(handBackEvent({ customerId: '1', action: 'take', success: true }, '1', 'e1')).toBe(
			'takeControl:e1',
		);
		expect(
			handBackEvent(
				{ customerId: '1', eventType: 'handover_pass', timestampMs: 7, handover: { newOwnerAppId: '42' } },
				'1',
				'e1',
			),
		).toBe('pass:7');
		expect(
			handBackEvent(
				{ customerId: '1', eventType: 'handover_pass', handover: { newOwnerAppId: INSTAGRAM_INBOX_APP_ID } },
				'1',
				'e1',
			),
		).toBeUndefined();
		expect(handBackEvent({ customerId: '2', eventType: 'handover_take' }, '1', 'e1')).toBeUndefined();
		expect(handBackEvent({ customerId: '1', action: 'take', success: false }, '1', 'e1')).toBeUndefined();
	});
});
