import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import { actionNode, CUSTOMER, GRAPH, instagramLoginCredentials, runWorkflow } from '../harness';
import { facebookPageCredentials, GRAPH_FB } from './conversationHelpers';
import { inbound } from './messageHelpers';

const path = `/${GRAPH_API_VERSION}/me/messages`;
const DISCLOSURE = "You're chatting with an automated assistant.";
const HOUR = 3_600_000;

type Body = { message?: { text?: string; attachment?: unknown }; tag?: string };

/** Records every Send API body, in order, and answers like Meta. */
function recordSends(count: number, host = GRAPH): Body[] {
	const bodies: Body[] = [];
	nock(host)
		.post(path)
		.times(count)
		.reply(200, (_uri, body) => {
			bodies.push(body as Body);
			return { recipient_id: CUSTOMER, message_id: `m_${bodies.length}` };
		});
	return bodies;
}

function sendText(text: string, parameters: Record<string, unknown> = {}) {
	return actionNode({
		resource: 'message',
		operation: 'sendText',
		recipientId: CUSTOMER,
		text,
		discloseAutomation: true,
		...parameters,
	});
}

async function run(
	staticData: IDataObject,
	node = sendText('Hi!'),
	input = [inbound()],
	credentials = instagramLoginCredentials,
) {
	const { output, error } = await runWorkflow({
		nodes: [node],
		credentials,
		input,
		staticData,
	});
	const failure = error('Instagram Messaging');
	if (failure) throw failure;
	return output('Instagram Messaging').map((item) => item.json);
}

function shiftThreadTimes(staticData: IDataObject, byMs: number): void {
	const threads = (staticData.global as IDataObject).instagramDisclosure as Record<
		string,
		Record<string, number>
	>;
	for (const thread of Object.values(threads)) {
		for (const key of Object.keys(thread)) thread[key] -= byMs;
	}
}

describe('automation disclosure on bot messages', () => {
	it('discloses on the first automated message of a conversation, exactly once', async () => {
		const staticData: IDataObject = {};
		const bodies = recordSends(2);
		expect(await run(staticData)).toEqual([expect.objectContaining({ disclosed: 'firstMessage' })]);
		expect(await run(staticData, sendText('And another thing'))).toEqual([
			expect.objectContaining({ disclosed: null }),
		]);
		expect(bodies.map((b) => b.message?.text)).toEqual([`${DISCLOSURE}\n\nHi!`, 'And another thing']);
	});

	it('discloses again after the lapse (24 h by default)', async () => {
		const staticData: IDataObject = {};
		const bodies = recordSends(3);
		await run(staticData);
		shiftThreadTimes(staticData, 23 * HOUR);
		await run(staticData, sendText('within the lapse'));
		shiftThreadTimes(staticData, 24 * HOUR + 1000);
		const [result] = await run(staticData, sendText('after the lapse'));
		expect(result.disclosed).toBe('afterLapse');
		expect(bodies.map((b) => b.message?.text)).toEqual([
			`${DISCLOSURE}\n\nHi!`,
			'within the lapse',
			`${DISCLOSURE}\n\nafter the lapse`,
		]);
	});

	it('never discloses on a message a person wrote, and discloses on the next bot message after it', async () => {
		const staticData: IDataObject = {};
		const bodies = recordSends(3);
		await run(staticData);
		const [human] = await run(staticData, sendText('Jane here, from the shop.', { writtenBy: 'human' }));
		expect(human).not.toHaveProperty('disclosed');
		const [bot] = await run(staticData, sendText('Anything else I can do?'));
		expect(bot.disclosed).toBe('afterHuman');
		expect(bodies.map((b) => b.message?.text)).toEqual([
			`${DISCLOSURE}\n\nHi!`,
			'Jane here, from the shop.',
			`${DISCLOSURE}\n\nAnything else I can do?`,
		]);
	});

	it('discloses after the conversation was passed to the human inbox', async () => {
		// Conversation Control is a Facebook Page feature.
		const staticData: IDataObject = {};
		const bodies = recordSends(2, GRAPH_FB);
		nock(GRAPH_FB).post(`/${GRAPH_API_VERSION}/me/pass_thread_control`).reply(200, { success: true });
		const onPage = (node: ReturnType<typeof actionNode>) => ({
			...node,
			parameters: { ...node.parameters, authentication: 'facebookPageApi' },
			credentials: { facebookPageApi: { id: '2', name: 'Page' } },
		});
		await run(staticData, onPage(sendText('Hi!')), [inbound()], facebookPageCredentials);
		await run(
			staticData,
			onPage(
				actionNode({ resource: 'conversationControl', operation: 'passToHumanInbox', customerId: CUSTOMER }),
			),
			[inbound()],
			facebookPageCredentials,
		);
		const [bot] = await run(staticData, onPage(sendText('I am back.')), [inbound()], facebookPageCredentials);
		expect(bot.disclosed).toBe('afterHuman');
		expect(bodies[1].message?.text).toBe(`${DISCLOSURE}\n\nI am back.`);
	});

	it('sends the disclosure as its own message before a message without text', async () => {
		const bodies = recordSends(2);
		await run(
			{},
			actionNode({
				resource: 'message',
				operation: 'sendSticker',
				recipientId: CUSTOMER,
				discloseAutomation: true,
			}),
		);
		expect(bodies).toEqual([
			expect.objectContaining({ message: { text: DISCLOSURE } }),
			expect.objectContaining({ message: { attachment: { type: 'like_heart' } } }),
		]);
	});

	it('sends it separately when prepending would break the 1000-byte limit, or when asked to', async () => {
		const bodies = recordSends(4);
		const long = 'x'.repeat(990);
		await run({}, sendText(long));
		await run({}, sendText('Hi!', { disclosureOptions: { separate: true, text: 'I am a bot.' } }));
		expect(bodies.map((b) => b.message?.text)).toEqual([DISCLOSURE, long, 'I am a bot.', 'Hi!']);
	});

	it('discloses once when several items go to one customer in one execution', async () => {
		const bodies = recordSends(3);
		await run({}, sendText('={{ $json.text }}'), [
			inbound(60_000, CUSTOMER, { text: 'one' }),
			inbound(60_000, CUSTOMER, { text: 'two' }),
			inbound(60_000, CUSTOMER, { text: 'three' }),
		]);
		expect(bodies.map((b) => b.message?.text)).toEqual([`${DISCLOSURE}\n\none`, 'two', 'three']);
	});

	it("keeps the state as plain JSON in the workflow's static data, keyed without secrets", async () => {
		const staticData: IDataObject = {};
		recordSends(1);
		await run(staticData);
		const threads = (staticData.global as IDataObject).instagramDisclosure as IDataObject;
		expect(Object.keys(threads)).toHaveLength(1);
		expect(JSON.parse(JSON.stringify(staticData))).toEqual({
			global: {
				instagramDisclosure: {
					[Object.keys(threads)[0]]: { lastBotAt: expect.any(Number), disclosedAt: expect.any(Number) },
				},
			},
		});
	});
});

describe('disclosure when the conversation comes back from a person, without stored state', () => {
	it.each([
		[
			'a handover_pass to this app',
			{ eventType: 'handover_pass', handover: { newOwnerAppId: '990000000000001' } },
		],
		['a handover_take', { eventType: 'handover_take', handover: {} }],
		['the output of Take Control', { action: 'take', success: true }],
	])('discloses on the bot message that answers %s', async (_name, json) => {
		const staticData: IDataObject = {};
		const bodies = recordSends(2);
		await run(staticData); // first message: disclosed and recorded
		const [result] = await run(
			staticData,
			sendText('I am back.', { windowOptions: { lastCustomerMessageAt: '={{ Date.now() }}' } }),
			[{ json: { customerId: CUSTOMER, ...json } }],
		);
		expect(result.disclosed).toBe('afterHuman');
		expect(bodies[1].message?.text).toBe(`${DISCLOSURE}\n\nI am back.`);
	});

	it('does not treat a pass to the human inbox as a hand-back', async () => {
		const staticData: IDataObject = {};
		recordSends(2);
		await run(staticData);
		const [result] = await run(
			staticData,
			sendText('still here', { windowOptions: { lastCustomerMessageAt: '={{ Date.now() }}' } }),
			[
				{
					json: {
						customerId: CUSTOMER,
						eventType: 'handover_pass',
						handover: { newOwnerAppId: '1217981644879628' },
						windowExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
						timestampMs: Date.now(),
					},
				},
			],
		);
		expect(result.disclosed).toBeNull();
	});
});
