import http from 'http';

import { MetaSandbox } from '../../../sandbox';
import { CaptureServer } from './helpers';

/** A raw request, so that Host and Origin are exactly what a browser on another page would send. */
function request(
	sandbox: MetaSandbox,
	method: string,
	path: string,
	headers: Record<string, string>,
	body = '',
): Promise<{ status: number; text: string }> {
	const { port } = new URL(sandbox.url);
	return new Promise((resolve, reject) => {
		const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
			let text = '';
			res.on('data', (chunk: Buffer) => (text += chunk.toString()));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
		});
		req.on('error', reject);
		req.end(body);
	});
}

describe('the sandbox acts only for this machine and its own pages', () => {
	let sandbox: MetaSandbox;
	let capture: CaptureServer;
	const deliver = JSON.stringify({ payload: { object: 'instagram', entry: [] } });

	beforeAll(async () => {
		sandbox = await MetaSandbox.start();
		capture = await CaptureServer.start();
		sandbox.setWebhook({ callbackUrl: capture.url });
	});
	afterAll(async () => {
		await sandbox.stop();
		await capture.stop();
	});

	const host = () => new URL(sandbox.url).host;

	it.each([
		[
			'a text/plain POST from another web page',
			{ Origin: 'https://attacker.example', 'Content-Type': 'text/plain' },
		],
		[
			'a POST whose browser marks it cross-site',
			{ 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'text/plain' },
		],
	])('refuses %s (403) and delivers nothing', async (_name, extra) => {
		const before = capture.requests.length;
		const res = await request(sandbox, 'POST', '/_sandbox/deliver', { Host: host(), ...extra }, deliver);
		expect(res.status).toBe(403);
		expect(capture.requests.length).toBe(before);
	});

	it('refuses a request naming another Host (DNS rebinding), on every route', async () => {
		for (const [method, path] of [
			['POST', '/_sandbox/deliver'],
			['GET', '/_sandbox/chat'],
			['POST', '/v26.0/me/messages'],
		]) {
			const res = await request(sandbox, method, path, { Host: 'attacker.example:80' }, deliver);
			expect(res.status).toBe(403);
		}
	});

	it("still takes its own page's POSTs, and calls from Node with no Origin", async () => {
		const before = capture.requests.length;
		const own = await request(
			sandbox,
			'POST',
			'/_sandbox/deliver',
			{
				Host: host(),
				Origin: `http://${host()}`,
				'Sec-Fetch-Site': 'same-origin',
				'Content-Type': 'application/json',
			},
			deliver,
		);
		expect(own.status).toBe(200);
		const node = await request(
			sandbox,
			'POST',
			'/_sandbox/deliver',
			{ Host: host(), 'Content-Type': 'application/json' },
			deliver,
		);
		expect(node.status).toBe(200);
		expect(capture.requests.length).toBe(before + 2);
	});
});
