import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

export const FIXTURES_DIR = join(__dirname, '..', '..', 'fixtures', 'events');

export const ACCOUNT_ID = '17841400000000001';
export const CUSTOMER_ID = '1111111111111111';

/** A fixed clock for tests (ms). */
export const NOW = 1760000099000;

export function fixtureNames(): string[] {
	return readdirSync(FIXTURES_DIR)
		.filter((file) => file.endsWith('.json'))
		.map((file) => file.replace(/\.json$/, ''))
		.sort();
}

/** A fresh copy of a fixture envelope (tests may mutate it). */
export function loadFixture(name: string): Record<string, unknown> {
	return JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

export function mid(n: number): string {
	return `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlE${String(n).padStart(2, '0')}`;
}

export function iso(ms: number): string {
	return new Date(ms).toISOString();
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** An envelope around messaging items, for inline tests. */
export function envelope(
	items: unknown[],
	options: { key?: string; time?: number; accountId?: unknown } = {},
): Record<string, unknown> {
	return {
		object: 'instagram',
		entry: [
			{
				id: options.accountId ?? ACCOUNT_ID,
				time: options.time ?? 1760000000123,
				[options.key ?? 'messaging']: items,
			},
		],
	};
}
