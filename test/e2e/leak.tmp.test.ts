import { N8nServer } from './harness';
it('starts and forgets to stop', async () => {
	const s = await N8nServer.create({ name: 'leak', loadPackage: false });
	await s.start();
	console.log('pid-check');
});
