/**
 * A stand-in for an OpenAI-compatible chat model on loopback, for n8n's AI Agent in e2e tests: it
 * answers `POST /v1/chat/completions` (non-streaming) from a script that sees the request — the
 * conversation so far and the tools the agent offers — and replies with a tool call or a text.
 * Nothing leaves the machine; no model is involved.
 */
import http from 'http';
import type { AddressInfo } from 'net';

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: string | null;
	tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
}

export interface ChatTool {
	type: 'function';
	function: { name: string; description?: string; parameters?: { properties?: Record<string, unknown> } };
}

export interface ChatCompletionRequest {
	model: string;
	messages: ChatMessage[];
	tools?: ChatTool[];
	stream?: boolean;
}

/** What the script answers: call one tool with these arguments, or say something. */
export type ScriptedReply = { tool: string; arguments: Record<string, unknown> } | { text: string };

export type ChatScript = (request: ChatCompletionRequest) => ScriptedReply;

function completion(reply: ScriptedReply, turn: number): object {
	const message =
		'tool' in reply
			? {
					role: 'assistant',
					content: null,
					tool_calls: [
						{
							id: `call_${turn}`,
							type: 'function',
							function: { name: reply.tool, arguments: JSON.stringify(reply.arguments) },
						},
					],
				}
			: { role: 'assistant', content: reply.text };
	return {
		id: `chatcmpl-${turn}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: 'stand-in',
		choices: [{ index: 0, message, finish_reason: 'tool' in reply ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
	};
}

export class ChatModelStandIn {
	private constructor(
		private readonly server: http.Server,
		readonly url: string,
		/** Every chat completion request received, in order. */
		readonly requests: ChatCompletionRequest[],
	) {}

	static async start(script: ChatScript): Promise<ChatModelStandIn> {
		const requests: ChatCompletionRequest[] = [];
		const server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const send = (status: number, body: object) => {
					res.writeHead(status, { 'content-type': 'application/json' });
					res.end(JSON.stringify(body));
				};
				const path = (req.url ?? '').split('?')[0];
				if (req.method === 'GET' && path === '/v1/models') {
					return send(200, { object: 'list', data: [{ id: 'stand-in', object: 'model' }] });
				}
				if (req.method !== 'POST' || path !== '/v1/chat/completions') {
					return send(404, { error: { message: `no route ${req.method} ${path}` } });
				}
				let request: ChatCompletionRequest;
				try {
					request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatCompletionRequest;
				} catch {
					return send(400, { error: { message: 'body is not JSON' } });
				}
				if (request.stream === true) return send(400, { error: { message: 'streaming is not scripted' } });
				requests.push(request);
				try {
					return send(200, completion(script(request), requests.length));
				} catch (error) {
					return send(500, { error: { message: (error as Error).message } });
				}
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		return new ChatModelStandIn(server, `http://127.0.0.1:${port}/v1`, requests);
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

/** The last message's text when the customer spoke last; null after a tool result. */
export function lastUserText(request: ChatCompletionRequest): string | null {
	const last = request.messages[request.messages.length - 1];
	return last?.role === 'user' ? String(last.content ?? '') : null;
}
