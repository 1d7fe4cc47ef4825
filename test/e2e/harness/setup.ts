import { execFileSync } from 'child_process';
import { cpSync, existsSync, mkdirSync } from 'fs';
import { delimiter, join } from 'path';

import type { N8nInstall } from './install';
import { runPid } from './processes';

const REPO_ROOT = join(__dirname, '..', '..', '..');

export interface ServerEnvParams {
	install: N8nInstall;
	baseUrl: string;
	port: number;
	brokerPort: number;
	userFolder: string;
	extensionDir: string;
	encryptionKey: string;
	ownerEmail: string;
	passwordHash: string;
	/** Overrides, e.g. N8N_SSRF_* for a loopback API stand-in. */
	extra: Record<string, string>;
}

/** n8n-harness.md §B.4, with free ports and this server's folders. */
export function n8nEnv(p: ServerEnvParams): NodeJS.ProcessEnv {
	// A minimal inherited environment: jest's NODE_ENV=test would switch n8n into test mode, and
	// stray N8N_* / DB_* variables would leak in.
	const inherited = Object.fromEntries(
		['HOME', 'USER', 'LANG', 'LC_ALL', 'TMPDIR'].flatMap((k) =>
			process.env[k] ? [[k, process.env[k]]] : [],
		),
	);
	return {
		...inherited,
		PATH: `${p.install.nodeBinDir}${delimiter}${process.env.PATH ?? ''}`,
		// The process that started n8n and the jest run it belongs to: n8n stops when either is gone.
		N8N_E2E_PARENT_PID: [...new Set([process.pid, runPid()])].join(','),
		TZ: 'UTC',
		GENERIC_TIMEZONE: 'UTC',
		N8N_USER_FOLDER: p.userFolder,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(p.port),
		N8N_PROTOCOL: 'http',
		// N8N_WEBHOOK_URL sets the production and test webhook base; WEBHOOK_URL is deprecated in 2.41.
		N8N_WEBHOOK_URL: `${p.baseUrl}/`,
		N8N_SECURE_COOKIE: 'false',
		DB_TYPE: 'sqlite',
		N8N_ENCRYPTION_KEY: p.encryptionKey,
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		N8N_CUSTOM_EXTENSIONS: p.extensionDir,
		// The broker's default port 5679 clashes with a second server (§B.4).
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(p.brokerPort),
		// Offline and quiet (§B.6): mcp-registry is the only module that calls out at startup.
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: p.ownerEmail,
		N8N_INSTANCE_OWNER_FIRST_NAME: 'E2E',
		N8N_INSTANCE_OWNER_LAST_NAME: 'Owner',
		N8N_INSTANCE_OWNER_PASSWORD_HASH: p.passwordHash,
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		...p.extra,
	};
}

/** package.json + dist/ only: with node_modules the loader would walk them and resolve its own n8n-workflow (§B.3). */
export function prepareExtension(dir: string, loadPackage: boolean): void {
	mkdirSync(dir);
	cpSync(join(REPO_ROOT, 'package.json'), join(dir, 'package.json'));
	if (!loadPackage) return;
	const dist = join(REPO_ROOT, 'dist');
	if (!existsSync(dist))
		throw new Error(`${dist} is missing: run \`npm run build\` first, or pass { loadPackage: false }`);
	cpSync(dist, join(dir, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.tsbuildinfo') });
}

/** A bcrypt hash for N8N_INSTANCE_OWNER_PASSWORD_HASH, made with the bcryptjs inside the n8n install. */
export function bcryptHash(install: N8nInstall, password: string): string {
	const script =
		"const b = require(require.resolve('bcryptjs', { paths: [process.argv[1]] }));" +
		'process.stdout.write(b.hashSync(process.env.E2E_PASSWORD, 10));';
	// The password travels in the environment, never on a command line.
	return execFileSync(install.nodeBin, ['-e', script, install.n8nDir], {
		env: { E2E_PASSWORD: password },
		encoding: 'utf8',
	});
}
