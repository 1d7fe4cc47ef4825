import { perProcessMap } from '../processMemory';

// Unbounded on purpose: a tail is deleted once its recipient's queue is empty, and evicting a live
// tail would let that customer's next message overtake the one before.
const tails = perProcessMap<string, Promise<unknown>>('recipientQueues', Number.POSITIVE_INFINITY);

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
