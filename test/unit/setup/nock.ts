import nock from 'nock';

// nock patches Node's shared http module; each test file activates and restores it so that
// interceptors of one file never leak into the next (n8n-harness.md §A.4).
beforeAll(() => {
	if (!nock.isActive()) nock.activate();
	nock.disableNetConnect();
	nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});

afterEach(() => {
	nock.cleanAll();
});

afterAll(() => {
	nock.restore();
});
