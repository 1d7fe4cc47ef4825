/**
 * The layout promises of docs/architecture.md, checked on the source: small files, no import
 * cycles, per-process state only in processMemory.ts, nothing test-only in what ships.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, normalize } from 'path';

const ROOT = join(__dirname, '..', '..', '..');
const MAX_LINES = 300;

function tsFiles(dir: string): string[] {
	return readdirSync(join(ROOT, dir)).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(join(ROOT, path)).isDirectory()) return tsFiles(path);
		return path.endsWith('.ts') ? [path] : [];
	});
}

const shipped = [...tsFiles('nodes'), ...tsFiles('credentials')];
const sandbox = tsFiles('sandbox');
const source = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const lineCount = (file: string) => source(file).split('\n').length - 1;

function relativeImports(file: string): string[] {
	const found: string[] = [];
	for (const match of source(file).matchAll(/(?:import|export)[^'";]*?from\s+'(\.[^']+)'/g)) {
		const target = normalize(join(dirname(file), match[1]));
		for (const candidate of [`${target}.ts`, join(target, 'index.ts')]) {
			try {
				if (statSync(join(ROOT, candidate)).isFile()) {
					found.push(candidate);
					break;
				}
			} catch {
				// not this form
			}
		}
	}
	return found;
}

function cycles(files: string[]): string[][] {
	const graph = new Map(files.map((file) => [file, relativeImports(file)]));
	const state = new Map<string, 'open' | 'done'>();
	const stack: string[] = [];
	const found: string[][] = [];
	const visit = (file: string) => {
		state.set(file, 'open');
		stack.push(file);
		for (const next of graph.get(file) ?? []) {
			if (state.get(next) === 'open') found.push(stack.slice(stack.indexOf(next)));
			else if (!state.has(next)) visit(next);
		}
		stack.pop();
		state.set(file, 'done');
	};
	for (const file of files) if (!state.has(file)) visit(file);
	return found;
}

/**
 * Module-level declarations that can hold state: a `let`, or a collection that is not typed read-only
 * (`new Map`, `Set`, `WeakMap`, `WeakSet`, an array or object literal), typed or not, exported or not.
 */
export function moduleLevelState(text: string): string[] {
	const declaration = /^(?:export )?(let|const|var) (\w+)(\s*:\s*([^=]+?))?\s*=\s*(.*)$/gm;
	const found: string[] = [];
	for (const [line, keyword, , , type = '', value] of text.matchAll(declaration)) {
		const readOnly = /^(Readonly|readonly )/.test(type.trim()) || /\bas const\b/.test(value);
		const collection = /^new (Map|Set|WeakMap|WeakSet)\b|^\[\s*\]|^\{\s*\}/.test(value);
		if (keyword !== 'const' || (collection && !readOnly)) found.push(line.trim());
	}
	return found;
}

describe('layout', () => {
	it('the module-state guard sees every form of a mutable collection, and no read-only one', () => {
		const flagged = [
			'const cache = new Map<string, number>();',
			'const seen: Map<string, number> = new Map();',
			'export const recent = new Set<string>();',
			'const owners = new WeakMap<object, string>();',
			'const halted = new WeakSet<object>();',
			'let counter = 0;',
			'const queue: string[] = [];',
			'const byId: Record<string, string> = {};',
		];
		const fine = [
			"const NAMES: ReadonlySet<string> = new Set(['a']);",
			"const TYPES: ReadonlyMap<string, number> = new Map([['a', 1]]);",
			"const LIST = ['a', 'b'] as const;",
			'const limit = 10;',
			'\tconst local = new Map();',
		];
		for (const line of flagged)
			expect({ line, found: moduleLevelState(line).length }).toEqual({ line, found: 1 });
		for (const line of fine)
			expect({ line, found: moduleLevelState(line).length }).toEqual({ line, found: 0 });
	});

	it(`no shipped or sandbox file over ${MAX_LINES} lines`, () => {
		const large = [...shipped, ...sandbox].filter((file) => lineCount(file) > MAX_LINES);
		expect(large.map((file) => `${file}: ${lineCount(file)}`)).toEqual([]);
	});

	it('no import cycles in the shipped code or in the sandbox', () => {
		expect(cycles(shipped)).toEqual([]);
		expect(cycles(sandbox)).toEqual([]);
	});

	it('nodes never import credentials (credentials may use the transport)', () => {
		const reaching = tsFiles('nodes').filter((file) =>
			relativeImports(file).some((target) => target.startsWith('credentials')),
		);
		expect(reaching).toEqual([]);
	});

	it('per-process state is declared in processMemory.ts only, and nothing test-only ships', () => {
		const offenders = shipped
			.filter((file) => !file.endsWith('processMemory.ts'))
			.flatMap((file) => moduleLevelState(source(file)).map((line) => `${file}: ${line}`));
		expect(offenders).toEqual([]);
		const hooks = shipped.filter((file) => /export function (forget|reset)\w*\(/.test(source(file)));
		expect(hooks).toEqual([]);
	});

	it('every credential points at Meta by default, with one API Base URL field and no sandbox-only field', () => {
		const credentials = tsFiles('credentials').filter((file) => file.endsWith('.credentials.ts'));
		expect(credentials).toHaveLength(4);
		for (const file of credentials) {
			const text = source(file);
			expect({ file, hasApiBaseUrl: text.includes("apiBaseUrlProperty('") }).toEqual({
				file,
				hasApiBaseUrl: true,
			});
			expect(text).not.toMatch(/127\.0\.0\.1|useCustomBaseUrl|refreshMinAge/);
		}
	});
});
