import { perProcessMap } from '../processMemory';

const tails = perProcessMap<string, Promise<unknown>>('recipientQueues', 100_000);

/**
 * Runs `task` after every earlier task with the same key has settled. The router sends items
 * concurrently; keying sends by recipient keeps one customer's messages in item order.
 */
export async function serialize<T>(key: string, task: () => Promise<T>): Promise<T> {
	const previous = tails.get(key) ?? Promise.resolve();
	const run = previous.then(task, task);
	const tail = run.catch(() => undefined);
	tails.set(key, tail);
	try {
		return await run;
	} finally {
		if (tails.get(key) === tail) tails.delete(key);
	}
}
