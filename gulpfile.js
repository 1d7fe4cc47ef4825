const { src, dest } = require('gulp');

/** Icons are not TypeScript, so tsc leaves them behind: copy them next to the built nodes. */
function buildIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}', 'nodes/**/*.node.json'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
