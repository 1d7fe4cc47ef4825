/**
 * `npm run sandbox [-- --port 18080 --webhook <url> --verify-token <token> --echoes]`
 * Starts the Meta sandbox until SIGINT/SIGTERM. Tokens and secrets are printed masked.
 */
import { ControlApi } from './control';
import { SANDBOX_DEFAULTS } from './defaults';
import { MetaSandbox } from './server';

interface CliOptions {
	port: number;
	host: string;
	webhook?: string;
	verifyToken?: string;
	echoes: boolean;
}

function usage(): string {
	return (
		'usage: sandbox [--port N] [--host H] [--webhook URL] [--verify-token TOKEN] [--echoes]\n' +
		'       (port also from SANDBOX_PORT; default ' +
		String(SANDBOX_DEFAULTS.cliPort) +
		')'
	);
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
	const opts: CliOptions = {
		port: env.SANDBOX_PORT ? Number(env.SANDBOX_PORT) : SANDBOX_DEFAULTS.cliPort,
		host: SANDBOX_DEFAULTS.host,
		echoes: false,
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i] ?? '';
		const [flag, inline] = arg.includes('=')
			? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
			: [arg, undefined];
		const value = (): string => {
			const v = inline ?? argv[++i];
			if (v === undefined) throw new Error(`${flag} needs a value\n${usage()}`);
			return v;
		};
		switch (flag) {
			case '--port':
				opts.port = Number(value());
				break;
			case '--host':
				opts.host = value();
				break;
			case '--webhook':
				opts.webhook = value();
				break;
			case '--verify-token':
				opts.verifyToken = value();
				break;
			case '--echoes':
				opts.echoes = true;
				break;
			case '--help':
			case '-h':
				throw new Error(usage());
			default:
				throw new Error(`unknown argument ${arg}\n${usage()}`);
		}
	}
	if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)
		throw new Error(`invalid port\n${usage()}`);
	return opts;
}

function mask(value: string): string {
	return value.length <= 6 ? '***' : `${value.slice(0, 6)}…`;
}

export function banner(sandbox: MetaSandbox): string {
	const lines: string[] = [];
	lines.push(`Meta sandbox listening on ${sandbox.url}`);
	lines.push(
		`  Use it as the base URL for graph.instagram.com and graph.facebook.com (versions v${SANDBOX_DEFAULTS.versions.min}.0–v${SANDBOX_DEFAULTS.versions.max}.0).`,
	);
	lines.push('');
	lines.push('Accounts:');
	for (const a of sandbox.accounts) {
		if (a.flavour === 'instagram') {
			lines.push(
				`  [instagram]    @${a.username} igUserId=${a.igUserId} id=${a.id} token=${mask(a.accessToken)} appId=${a.instagramAppId} appSecret=${mask(a.instagramAppSecret)}`,
			);
		} else {
			lines.push(
				`  [facebookPage] @${a.username} pageId=${a.pageId} igUserId=${a.igUserId} token=${mask(a.pageAccessToken)} appId=${a.metaAppId} appSecret=${mask(a.metaAppSecret)}`,
			);
		}
	}
	lines.push(`  default customer IGSID: ${SANDBOX_DEFAULTS.customer.id}`);
	const hook = sandbox.webhook();
	lines.push('');
	lines.push(`Webhook callback: ${hook ? hook.callbackUrl : '(none — POST /_sandbox/webhook)'}`);
	lines.push('');
	lines.push('Control API:');
	for (const e of ControlApi.endpoints())
		lines.push(`  ${e.method.padEnd(6)} ${sandbox.url}${e.path}  ${e.summary}`);
	return lines.join('\n');
}

async function main(): Promise<void> {
	let opts: CliOptions;
	try {
		opts = parseArgs(process.argv.slice(2));
	} catch (err) {
		process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
		process.exitCode = 2;
		return;
	}
	const sandbox = await MetaSandbox.start({
		host: opts.host,
		port: opts.port,
		echoes: opts.echoes,
		...(opts.webhook ? { webhook: { callbackUrl: opts.webhook, verifyToken: opts.verifyToken } } : {}),
	});
	process.stdout.write(banner(sandbox) + '\n');
	let stopping = false;
	const shutdown = (signal: string): void => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`\n${signal}: stopping sandbox\n`);
		sandbox.stop().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) {
	main().catch((err: unknown) => {
		process.stderr.write(`sandbox failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
		process.exit(1);
	});
}
