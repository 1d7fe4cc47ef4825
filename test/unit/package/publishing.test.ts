/**
 * Releases are published from GitHub Actions with npm provenance only: `publishConfig.provenance`
 * makes every `npm publish` require it (a local publish fails, as there is no CI identity to sign
 * with), and pull requests run the checks that need no n8n server.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('publishing and pull-request checks', () => {
	it('every npm publish requires provenance', () => {
		const pkg = JSON.parse(read('package.json')) as { publishConfig?: Record<string, unknown> };
		expect(pkg.publishConfig).toEqual({ access: 'public', provenance: true });
		expect(read('.github/workflows/publish.yml')).toMatch(/npm publish --provenance/);
	});

	it('pull requests run lint, build, the type check, the unit tests and the scanner', () => {
		const ci = read('.github/workflows/ci.yml');
		expect(ci).toMatch(/^\s+pull_request:/m);
		for (const step of [
			'npm ci',
			'npm run build',
			'npm run lint',
			'npm run typecheck',
			'npm run test:unit',
			'npm run scan',
		])
			expect(ci).toContain(`- run: ${step}`);
	});
});
