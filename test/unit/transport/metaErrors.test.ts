/**
 * Meta's error codes in the words of its "Common Error Codes" table (Messenger Platform, Mar 2026)
 * and the live wording of error 27 (docs/meta-fidelity.md): what happened, and nothing retried
 * that Meta refused for good.
 */
import { explainMetaError } from '../../../nodes/InstagramMessaging/transport/metaErrors';

describe("Meta's error codes", () => {
	it.each([
		[200, 1545041, "This person isn't available right now"],
		[551, 1545041, "This person isn't available right now"],
		[
			100,
			2534014,
			'No matching Instagram user: the recipient id is not an Instagram-scoped ID of this account',
		],
		[100, 2534013, 'The Facebook Page is not linked to an Instagram account'],
		[100, 2534037, 'Only the app that holds the conversation can do this'],
		[100, 2018074, 'The attachment ID is not valid for this account'],
		[100, 2018109, 'The attachment is too large for Instagram'],
		[100, 2018008, 'Meta could not fetch the file from its URL'],
		[100, 2018294, 'Meta could not fetch the video in time or the video is corrupted'],
		[10, 1893063, 'This account is temporarily restricted from sending messages'],
		[10, 2534077, 'Meta cannot verify the connection between this Instagram account and the app'],
		[10, 2018065, 'This message needs News Messaging, which the account does not have'],
		[200, 2534041, 'The account owner has turned off access to Instagram messages'],
	])('%i / %i → "%s", not retried', (code, subcode, message) => {
		const explanation = explainMetaError({ code, error_subcode: subcode, message: `(#${code}) …` });
		expect(explanation).toMatchObject({ message, retryable: false });
		expect(explanation.mayHaveActed).toBeUndefined();
	});

	it('27: Take Control without Conversation Routing, with the fix', () => {
		const explanation = explainMetaError({
			code: 27,
			message: '(#27) Take thread control is not supported when Conversation Routing is not enabled.',
		});
		expect(explanation.message).toBe(
			'Take Control needs Conversation Routing with this app as the default app',
		);
		expect(explanation.fix).toContain('Request Control');
		expect(explanation.retryable).toBe(false);
	});

	it('200 without a known subcode is still a missing permission', () => {
		expect(explainMetaError({ code: 200, error_subcode: 2018028 }).message).toBe(
			'The token is missing a permission for this call',
		);
	});
});
