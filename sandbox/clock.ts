/**
 * Controllable clock: a base time source plus an offset, optionally frozen.
 * All sandbox timestamps (sent records, windows, webhook timestamps) come from here.
 */
export class SandboxClock {
	private offsetMs = 0;
	private frozenAt: number | undefined;

	constructor(private readonly base: () => number = Date.now) {}

	now(): number {
		return this.frozenAt ?? this.base() + this.offsetMs;
	}

	/** Move time forward (or backward with a negative value). */
	advance(ms: number): number {
		if (this.frozenAt !== undefined) this.frozenAt += ms;
		else this.offsetMs += ms;
		return this.now();
	}

	/** Jump to an absolute time; time keeps flowing from there unless frozen. */
	set(ms: number): number {
		if (this.frozenAt !== undefined) this.frozenAt = ms;
		else this.offsetMs = ms - this.base();
		return this.now();
	}

	/** Stop time at `ms` (default: the current time). Useful for exact window boundaries. */
	freeze(ms?: number): number {
		this.frozenAt = ms ?? this.now();
		return this.frozenAt;
	}

	/** Let time flow again from the frozen instant. */
	unfreeze(): number {
		if (this.frozenAt !== undefined) {
			this.offsetMs = this.frozenAt - this.base();
			this.frozenAt = undefined;
		}
		return this.now();
	}

	get frozen(): boolean {
		return this.frozenAt !== undefined;
	}

	/** Back to the base time source, unfrozen. */
	reset(): void {
		this.offsetMs = 0;
		this.frozenAt = undefined;
	}
}
