import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

/**
 * The load balancer n8n's queue-mode docs put in front of the webhook processors: `/webhook*`
 * round-robin over them, byte for byte (Meta's signature covers the raw body).
 */
export class WebhookProxy {
	private next = 0;

	private constructor(
		private readonly server: Server,
		private readonly targets: string[],
	) {}

	static async start(targets: string[]): Promise<WebhookProxy> {
		const holder: { proxy?: WebhookProxy } = {};
		const server = createServer((req, res) => holder.proxy?.forward(req, res));
		const proxy = new WebhookProxy(server, targets);
		holder.proxy = proxy;
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return proxy;
	}

	get url(): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}

	private forward(req: IncomingMessage, res: ServerResponse): void {
		const index = this.next;
		this.next = (this.next + 1) % this.targets.length;
		const target = new URL(req.url ?? '/', this.targets[index]);
		const upstream = request(
			target,
			{ method: req.method, headers: { ...req.headers, host: target.host } },
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', (error) => {
			if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`webhook processor ${index + 1} unreachable: ${error.message}`);
		});
		req.pipe(upstream);
	}
}
