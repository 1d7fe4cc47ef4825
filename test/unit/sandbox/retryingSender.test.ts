/** The sandbox's Meta-like webhook sender (crash-recovery e2e): a stream with pauses is drained whole. */
import { RetryingSender, SANDBOX_DEFAULTS, textMessageEvent } from '../../../sandbox';
import { CaptureServer } from './helpers';

const A = SANDBOX_DEFAULTS.instagram;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('RetryingSender', () => {
	let receiver: CaptureServer;
	beforeAll(async () => {
		receiver = await CaptureServer.start();
	});
	afterAll(async () => await receiver.stop());

	it('keeps draining while events are still being fed: a pause in the stream is not its end', async () => {
		const sender = new RetryingSender({
			callbackUrl: receiver.url,
			secret: A.instagramAppSecret,
			accountId: A.igUserId,
		});
		const event = (i: number) =>
			textMessageEvent({
				accountId: A.igUserId,
				customerId: SANDBOX_DEFAULTS.customer.id,
				text: `#${i}`,
				mid: `mid.feed.${i}`,
			});
		const feeding = (async () => {
			for (let i = 0; i < 5; i++) {
				sender.enqueue([event(i)]);
				await pause(150); // longer than the receiver takes to answer
			}
		})();
		const stats = await sender.drain(30_000, feeding);
		expect(stats.acknowledged.size).toBe(5);
		expect(receiver.requests).toHaveLength(5);
	});
});
