const Sequencer = require('@jest/test-sequencer').default;

/**
 * The unit tests first, then the end-to-end files, each in jest's own order (longest first once
 * jest has timings, largest first before): a first n8n install, started by the e2e global setup,
 * runs while the unit tests do.
 */
class UnitTestsFirst extends Sequencer {
	async sort(tests) {
		const sorted = await super.sort(tests);
		const isE2e = (test) => test.context.config.displayName?.name === 'e2e';
		return [...sorted.filter((test) => !isE2e(test)), ...sorted.filter(isE2e)];
	}
}

module.exports = UnitTestsFirst;
