/** Two projects: unit (nock at the HTTP boundary, fast) and e2e (a real n8n 2.x server). */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] };

module.exports = {
	testSequencer: '<rootDir>/test/sequencer.js',
	reporters: ['default', '<rootDir>/test/summary-reporter.js'],
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			transform,
			testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
			setupFiles: ['<rootDir>/test/unit/setup/env.ts'],
			setupFilesAfterEnv: ['<rootDir>/test/unit/setup/nock.ts'],
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			transform,
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			setupFilesAfterEnv: ['<rootDir>/test/e2e/setup/timeout.ts'],
			globalSetup: '<rootDir>/test/e2e/setup/globalSetup.ts',
			globalTeardown: '<rootDir>/test/e2e/setup/teardown.ts',
		},
	],
};
