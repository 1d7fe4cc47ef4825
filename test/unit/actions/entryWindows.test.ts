import nock from 'nock';

import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import { actionNode, CUSTOMER, GRAPH, instagramLoginCredentials, runWorkflow } from '../harness';
import { inbound } from './messageHelpers';

const DAY = 86_400_000;
const messages = `/${GRAPH_API_VERSION}/me/messages`;

/** The trigger's item for the first message after a Click-to-Direct ad, `ageMs` ago. */
function afterAd(ageMs: number) {
	const item = inbound(ageMs);
	const timestampMs = item.json.timestampMs as number;
	item.json.windowExpiresAt = new Date(timestampMs + 7 * DAY).toISOString();
	item.json.entryPoint = { type: 'ad', adId: '120200000000000001' };
	return item;
}

async function sendText(input: ReturnType<typeof inbound>) {
	return await runWorkflow({
		nodes: [
			actionNode({
				resource: 'message',
				operation: 'sendText',
				recipientId: CUSTOMER,
				text: 'Thanks for your interest!',
				discloseAutomation: false,
			}),
		],
		credentials: instagramLoginCredentials,
		input: [input],
	});
}

describe('the window after a Click-to-Direct ad (Meta policy, Sep 28 2026: "may last up to 7 days")', () => {
	it('lets a bot answer 3 days after the first message that followed the ad, untagged', async () => {
		const scope = nock(GRAPH)
			.post(messages, (body) => body.messaging_type === 'RESPONSE' && body.tag === undefined)
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_ad' });
		const { output, error } = await sendText(afterAd(3 * DAY));
		expect(error('Instagram Messaging')).toBeUndefined();
		expect(output('Instagram Messaging')[0].json).toMatchObject({
			messageId: 'm_ad',
			writtenBy: 'bot',
			tag: null,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('refuses a bot after 7 days, and 3 days after an ordinary message, before calling Meta', async () => {
		const late = await sendText(afterAd(8 * DAY));
		expect(late.error('Instagram Messaging')?.message).toMatch(/more than 7 days ago/);
		const ordinary = await sendText(inbound(3 * DAY));
		expect(ordinary.error('Instagram Messaging')?.message).toBe(
			'Outside the 24-hour messaging window: the customer last wrote 3 days ago',
		);
		// A later item of the same person that did not follow the ad keeps the 24 hours.
		const item = inbound(3 * DAY);
		item.json.entryPoint = { type: 'direct_message' };
		expect((await sendText(item)).error('Instagram Messaging')?.message).toMatch(/24-hour/);
	});

	it('a person answering 3 days after the ad still gets the HUMAN_AGENT tag (Meta accepts it whatever window it granted)', async () => {
		const scope = nock(GRAPH)
			.post(messages, (body) => body.messaging_type === 'MESSAGE_TAG' && body.tag === 'HUMAN_AGENT')
			.reply(200, { recipient_id: CUSTOMER, message_id: 'm_human' });
		const { output } = await runWorkflow({
			nodes: [
				actionNode({
					resource: 'message',
					operation: 'sendText',
					recipientId: CUSTOMER,
					text: 'Hi, Sam here from the shop.',
					writtenBy: 'human',
					discloseAutomation: false,
				}),
			],
			credentials: instagramLoginCredentials,
			input: [afterAd(3 * DAY)],
		});
		expect(output('Instagram Messaging')[0].json).toMatchObject({ writtenBy: 'human', tag: 'HUMAN_AGENT' });
		expect(scope.isDone()).toBe(true);
	});

	it("explains Meta's refusal when it granted a shorter window", async () => {
		nock(GRAPH)
			.post(messages)
			.reply(400, {
				error: {
					message: '(#10) This message is sent outside of allowed window.',
					type: 'OAuthException',
					code: 10,
					error_subcode: 2534022,
				},
			});
		const { error } = await sendText(afterAd(2 * DAY));
		const failure = error('Instagram Messaging') as (Error & { description?: string }) | undefined;
		expect(failure?.message).toMatch(/^Outside the messaging window/);
		expect(failure?.description).toMatch(/Click-to-Direct ad.*up to 7 days/);
	});
});
