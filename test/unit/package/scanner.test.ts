import { execFile } from 'child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';

/** n8n's community-package scanner rules, offline, on the source and the packed tarball (needs `npm run build`). */
const REPO = join(__dirname, '..', '..', '..');
const SCAN = join(REPO, 'scripts', 'scan-package.mjs');
const run = promisify(execFile);

async function scan(dir: string): Promise<{ code: number; output: string }> {
	try {
		const { stdout } = await run(process.execPath, [SCAN, dir], { env: { ...process.env, NO_COLOR: '1' } });
		return { code: 0, output: stdout };
	} catch (error) {
		const failure = error as { code: number; stdout: string };
		return { code: failure.code, output: failure.stdout };
	}
}

describe('community-package scanner (offline)', () => {
	jest.setTimeout(120_000);

	it('passes on the source and on the tarball, which holds only what n8n loads', async () => {
		const { code, output } = await scan(REPO);
		expect(output).toContain('ok   scanner rules on the source');
		expect(output).toContain('ok   scanner rules on the tarball');
		expect(output).toContain('ok   tarball holds only what n8n loads');
		expect(code).toBe(0);
	});

	it('fails a copy that breaks a scanner rule and ships a build artefact', async () => {
		const copy = mkdtempSync(join(tmpdir(), 'scan-bad-'));
		try {
			for (const part of ['package.json', 'README.md', 'nodes', 'credentials', 'dist'])
				cpSync(join(REPO, part), join(copy, part), { recursive: true });
			writeFileSync(join(copy, 'nodes', 'Bad.node.ts'), "console.log('hello');\nexport const x = 1;\n");
			writeFileSync(join(copy, 'dist', '.tsbuildinfo'), '{}');
			const { code, output } = await scan(copy);
			expect(output).toContain('FAIL scanner rules on the source');
			expect(output).toMatch(/no-console/);
			expect(output).toContain('FAIL tarball holds only what n8n loads');
			expect(output).toContain('dist/.tsbuildinfo');
			expect(code).toBe(1);
		} finally {
			rmSync(copy, { recursive: true, force: true });
		}
	});
});
