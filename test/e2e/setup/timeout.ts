// A real n8n server starts in 10–20 s; whole scenarios take minutes on two cores.
jest.setTimeout(300_000);
