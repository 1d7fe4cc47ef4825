import nock from 'nock';

import { apiBaseUrl, isAllowedApiBaseUrl } from '../../../nodes/InstagramMessaging/transport/graphApi';
import { actionNode, CUSTOMER, runWorkflow, TOKEN } from '../harness';

describe("a credential's API Base URL: Meta's hosts over HTTPS, or this machine", () => {
	it.each([
		'https://graph.instagram.com',
		'https://graph.facebook.com',
		'http://127.0.0.1:4100',
		'http://localhost:4100',
		'http://[::1]:4100',
	])('accepts %s', (url) => {
		expect(isAllowedApiBaseUrl(url)).toBe(true);
		expect(apiBaseUrl('instagramLogin', { apiBaseUrl: `${url}/` })).toBe(url);
	});

	it.each([
		'http://graph.instagram.com',
		'https://graph.instagram.com.attacker.example',
		'https://attacker.example',
		'https://127.0.0.1.attacker.example',
		'https://graph.instagram.com@attacker.example',
		'file:///etc/passwd',
		'http://10.0.0.5:8080',
	])('refuses %s with a clear error', (url) => {
		expect(() => apiBaseUrl('instagramLogin', { apiBaseUrl: url })).toThrow(
			"is not Meta's host nor this machine",
		);
	});

	it('a node whose credential points elsewhere sends nothing there and says what to fix', async () => {
		const attacker = nock('https://attacker.example').post(/.*/).reply(200, {});
		const node = actionNode({
			resource: 'message',
			operation: 'sendText',
			recipientId: CUSTOMER,
			text: 'hi',
		});
		const { run } = await runWorkflow({
			nodes: [node],
			credentials: { instagramLoginApi: { accessToken: TOKEN, apiBaseUrl: 'https://attacker.example' } },
		});
		expect(run.data.resultData.error?.message).toContain("is not Meta's host nor this machine");
		expect(attacker.isDone()).toBe(false);
		nock.cleanAll();
	});
});
