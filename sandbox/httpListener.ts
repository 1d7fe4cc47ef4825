/** The sandbox's loopback HTTP server: listen, answer 500 on a handler crash, close. */
import http from 'http';
import type { AddressInfo } from 'net';

import { writeResult } from './http';

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

/** Listen on `host:port` (0 = random); resolves with the server and its `http://host:port` URL. */
export function listen(
	host: string,
	port: number,
	onRequest: RequestHandler,
): Promise<{ server: http.Server; url: string }> {
	const server = http.createServer((req, res) => {
		onRequest(req, res).catch((err: unknown) => {
			process.stderr.write(`sandbox: ${String(err)}\n`);
			if (!res.headersSent)
				writeResult(res, { status: 500, json: { error: { message: 'sandbox internal error' } } });
			else res.destroy();
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			const { port: bound } = server.address() as AddressInfo;
			const shownHost = host.includes(':') ? `[${host}]` : host;
			resolve({ server, url: `http://${shownHost}:${bound}` });
		});
	});
}

/** Stop accepting requests and drop open connections. */
export function close(server: http.Server): Promise<void> {
	return new Promise<void>((resolve) => {
		server.close(() => resolve());
		server.closeAllConnections();
	});
}
