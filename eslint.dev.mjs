import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Lint rules for code that never ships (tests, sandbox, benchmarks, scripts). The root
 * eslint.config.mjs is n8n's own strict config, which `n8n-node lint` requires unchanged; its
 * community-node rules (no Node built-ins, no `process`) are for nodes/ and credentials/ only.
 * `npm run lint` turns on ESLint's per-folder config lookup, so each of these folders has an
 * eslint.config.mjs that re-exports this file.
 */
export default tseslint.config(
	{ files: ['**/*.ts'], extends: [js.configs.recommended, tseslint.configs.recommended] },
	{
		files: ['**/*.ts'],
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
			'no-console': 'off',
		},
	},
);
