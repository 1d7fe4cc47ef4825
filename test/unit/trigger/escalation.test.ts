import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_ESCALATION_PHRASES } from '../../../nodes/InstagramMessaging/policy/escalation';
import {
	asFreshProcess,
	ACCOUNT,
	CUSTOMER,
	callWebhook,
	instagramLoginCredentials,
	triggerNode,
} from '../harness';
import { signedPost, RECENT_MS } from './helpers';

let seq = 0;

function envelope(events: IDataObject[], container: 'messaging' | 'standby' = 'messaging') {
	return {
		object: 'instagram',
		entry: [{ id: ACCOUNT, time: RECENT_MS + 123, [container]: events }],
	};
}

function inbound(message: IDataObject): IDataObject {
	seq += 1;
	return {
		sender: { id: CUSTOMER },
		recipient: { id: ACCOUNT },
		timestamp: RECENT_MS + seq,
		message: { mid: `mid.esc.${seq}`, ...message },
	};
}

function postback(payload: string, title = 'Menu'): IDataObject {
	seq += 1;
	return {
		sender: { id: CUSTOMER },
		recipient: { id: ACCOUNT },
		timestamp: RECENT_MS + seq,
		postback: { mid: `mid.pb.${seq}`, title, payload },
	};
}

function echo(text: string): IDataObject {
	seq += 1;
	return {
		sender: { id: ACCOUNT },
		recipient: { id: CUSTOMER },
		timestamp: RECENT_MS + seq,
		message: { mid: `mid.echo.${seq}`, text, is_echo: true },
	};
}

async function itemsFor(body: unknown, parameters: IDataObject = {}): Promise<IDataObject[]> {
	const { sent, emitted } = await callWebhook({
		node: triggerNode({ events: ['message', 'postback', 'echo'], ...parameters } as never),
		webhookName: 'default',
		request: signedPost(body),
		credentials: instagramLoginCredentials,
	});
	expect(sent.status).toBe(200);
	return (emitted ?? []).map((item) => item.json);
}

describe('Instagram Messaging Trigger: wantsHuman', () => {
	beforeEach(() => asFreshProcess());

	it('is true when the text contains a default escalation phrase, false otherwise', async () => {
		const items = await itemsFor(
			envelope([
				inbound({ text: 'Can I TALK to a Person, please?!' }),
				inbound({ text: 'Is the blue tee in stock?' }),
				inbound({ text: 'I need a representative' }),
				inbound({ text: 'operators are great' }), // whole words only: "operators" ≠ "operator"
			]),
		);
		expect(items.map((i) => [i.text, i.wantsHuman])).toEqual([
			['Can I TALK to a Person, please?!', true],
			['Is the blue tee in stock?', false],
			['I need a representative', true],
			['operators are great', false],
		]);
	});

	it('is true for a quick reply or postback payload that asks for a person (case-insensitive)', async () => {
		const items = await itemsFor(
			envelope([
				inbound({ text: 'Talk to someone', quick_reply: { payload: 'talk_to_human' } }),
				inbound({ text: 'Shipping', quick_reply: { payload: 'SHIPPING' } }),
				postback('HUMAN_AGENT'),
				postback('MENU'),
			]),
		);
		expect(items.map((i) => [i.eventType, i.wantsHuman])).toEqual([
			['message', true],
			['message', false],
			['postback', true],
			['postback', false],
		]);
	});

	it('uses the configured phrases and payloads instead of the defaults (comma or newline separated)', async () => {
		const items = await itemsFor(
			envelope([
				inbound({ text: 'Ich möchte einen Mitarbeiter sprechen' }),
				inbound({ text: 'Mensch bitte!' }),
				inbound({ text: 'talk to a human' }),
				inbound({ text: 'x', quick_reply: { payload: 'AGENT_PLEASE' } }),
				inbound({ text: 'y', quick_reply: { payload: 'TALK_TO_HUMAN' } }),
			]),
			{ options: { escalationPhrases: 'mitarbeiter sprechen,\nmensch', escalationPayloads: 'AGENT_PLEASE' } },
		);
		expect(items.map((i) => i.wantsHuman)).toEqual([true, true, false, true, false]);
	});

	it('falls back to the defaults when the option is left empty', async () => {
		const items = await itemsFor(envelope([inbound({ text: DEFAULT_ESCALATION_PHRASES[0] })]), {
			options: { escalationPhrases: ' , ', escalationPayloads: '' },
		});
		expect(items.map((i) => i.wantsHuman)).toEqual([true]);
	});

	it('is false on echoes (the business writing) and present on standby events', async () => {
		const echoes = await itemsFor(envelope([echo('Let me connect you with a real person')]));
		expect(echoes.map((i) => [i.eventType, i.wantsHuman])).toEqual([['echo', false]]);

		const standby = await itemsFor(envelope([inbound({ text: 'real person please' })], 'standby'), {
			options: { includeStandby: true },
		});
		expect(standby.map((i) => [i.isStandby, i.wantsHuman])).toEqual([[true, true]]);
	});

	it('is a boolean on every item, whatever the event', async () => {
		const items = await itemsFor(
			envelope([
				inbound({ attachments: [{ type: 'image', payload: { url: 'https://cdn.example/x.jpg' } }] }),
			]),
		);
		expect(items).toHaveLength(1);
		expect(items[0].wantsHuman).toBe(false);
	});
});
