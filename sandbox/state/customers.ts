import type { Customer } from '../types';

/** The customers each account knows (so sends find the user); runtime additions go on `reset()`. */
export class CustomerBook {
	private readonly byAccount = new Map<string, Map<string, Customer>>();

	/** @param defaults known to every account (seeded again by `reset()`). */
	constructor(private readonly defaults: Customer[]) {}

	/** Give a new account the default customers. */
	seed(accountId: string): void {
		const known = new Map<string, Customer>();
		for (const c of this.defaults) known.set(c.id, { ...c });
		this.byAccount.set(accountId, known);
	}

	add(accountId: string, customer: Customer): Customer {
		const known = this.byAccount.get(accountId);
		if (!known) throw new Error(`sandbox: unknown account '${accountId}'`);
		const merged = { ...known.get(customer.id), ...customer };
		known.set(customer.id, merged);
		return merged;
	}

	get(accountId: string, customerId: string): Customer | undefined {
		return this.byAccount.get(accountId)?.get(customerId);
	}

	reset(): void {
		for (const accountId of this.byAccount.keys()) {
			this.byAccount.set(accountId, new Map(this.defaults.map((c) => [c.id, { ...c }])));
		}
	}
}
