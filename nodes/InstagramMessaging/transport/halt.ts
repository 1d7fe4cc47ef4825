import { perRunMap } from '../processMemory';

/**
 * A node run that must stop sending: once an item has failed without Continue On Fail, the router
 * halts the run, and every Graph call that has not started yet is refused before it reaches Meta
 * (items already on the wire finish). Keyed by the run's execute context, so it ends with the run.
 */
const halted = perRunMap<true>('haltedRuns');

export function haltRun(ctx: object): void {
	halted.set(ctx, true);
}

export function isRunHalted(ctx: object): boolean {
	return halted.has(ctx);
}

/** Thrown instead of a call that a halted run did not make. */
export class RunHaltedError extends Error {
	constructor() {
		super('Not sent: an earlier item failed and Continue On Fail is off');
		this.name = 'RunHaltedError';
	}
}

/** Items of a run that already made a write Meta accepted (a disclosure or notice before the main call). */
const wrote = perRunMap<Set<number>>('writesMade');

export function recordWrite(ctx: object, itemIndex: number | undefined): void {
	if (itemIndex === undefined) return;
	let items = wrote.get(ctx);
	if (!items) {
		items = new Set();
		wrote.set(ctx, items);
	}
	items.add(itemIndex);
}

export function madeWrites(ctx: object, itemIndex: number): boolean {
	return wrote.get(ctx)?.has(itemIndex) === true;
}
