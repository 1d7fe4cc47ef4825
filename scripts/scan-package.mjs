#!/usr/bin/env node
// n8n's community-package scanner, offline: its published CLI needs the npm registry's provenance
// attestations and GitHub, so this runs the same analysis (`analyzePackage`) on the source and on
// the packed tarball, and checks that the tarball holds only what n8n loads.
// Usage: node scripts/scan-package.mjs [packageDir]   (default: this repository; needs dist/)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// eslint-plugin-n8n-nodes-base switches to its own test mode (other file-name rules) when
// NODE_ENV is "test", as it is under jest: load the scanner without it.
delete process.env.NODE_ENV;
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(
	'@n8n/scan-community-package/scanner/scanner.mjs'
);

const packageDir = resolve(process.argv[2] ?? join(fileURLToPath(import.meta.url), '..', '..'));
// What n8n loads from a community package: compiled nodes and credentials, their icons and codex
// files, and the manifest; npm always adds README and LICENSE.
const SHIPPABLE = [
	/^package\.json$/,
	/^README\.md$/,
	/^LICENSE(\.md)?$/,
	/^CHANGELOG\.md$/,
	/^dist\/(nodes|credentials)\/.+\.(js|svg|png|node\.json)$/,
];

const work = mkdtempSync(join(tmpdir(), 'scan-package-'));
let failed = false;
const report = (ok, what, details) => {
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
	if (!ok) {
		failed = true;
		if (details) console.log(details);
	}
};
try {
	const source = await analyzePackage(packageDir, SOURCE_FILE_PATTERNS);
	report(source.passed, 'scanner rules on the source', source.details ?? source.message);

	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
			cwd: packageDir,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		}),
	)[0];
	const extracted = join(work, 'extracted');
	execFileSync('mkdir', ['-p', extracted]);
	execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', extracted]);
	const tarballDir = join(extracted, 'package');
	const tarball = await analyzePackage(tarballDir, ['**/*.js', 'package.json']);
	report(tarball.passed, `scanner rules on the tarball ${packed.filename}`, tarball.details ?? tarball.message);

	const files = packed.files.map((f) => f.path);
	const stray = files.filter((f) => !SHIPPABLE.some((re) => re.test(f)));
	report(stray.length === 0, `tarball holds only what n8n loads (${files.length} files)`, stray.join('\n'));
	const hasNodes = files.some((f) => /^dist\/nodes\/.+\.node\.js$/.test(f));
	report(hasNodes, 'tarball holds the built nodes', 'no dist/nodes/**/*.node.js: run `npm run build`');
	if (readdirSync(tarballDir).length === 0) report(false, 'tarball is not empty');
} finally {
	rmSync(work, { recursive: true, force: true });
}
console.log(failed ? 'scan: FAILED' : 'scan: passed');
process.exit(failed ? 1 : 0);
