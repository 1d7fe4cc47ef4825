/**
 * n8n's processed-data store in memory, as n8n's own behaves (packages/cli deduplication-helper.ts):
 * per workflow (and per node, for node scope) one row of md5 entries, read, changed and written
 * back without a lock — so a concurrent writer can overwrite a write, on demand here.
 */
import { createHash } from 'crypto';

import { DataDeduplicationService } from 'n8n-core';

import {
	sleep,
	type DeduplicationItemTypes,
	type DeduplicationScope,
	type ICheckProcessedContextData,
	type ICheckProcessedOptions,
	type IDataDeduplicator,
	type IDeduplicationOutput,
} from 'n8n-workflow';

import { asFreshProcess } from './freshProcess';

export const hash = (value: DeduplicationItemTypes) =>
	createHash('md5').update(value.toString()).digest('base64');

const rowOf = (scope: DeduplicationScope, contextData: ICheckProcessedContextData) =>
	`${contextData.workflow.id}/${scope === 'node' ? `n:${contextData.node?.id ?? ''}` : ''}`;

/** n8n's processed-data rows in memory, with the lost update of a concurrent writer on demand. */
export class ProcessedDataRows implements IDataDeduplicator {
	readonly rows = new Map<string, string[]>();
	writes = 0;
	/** Removals that fail, as when the database is down for them. */
	failingRemovals = 0;
	/** Each write's database round trip (ms); 0: at once. */
	delayMs = 0;
	/** Runs after a write lands: another process's write, based on an older read, landing later. */
	private afterWrite: Array<{ row?: string; land: (row: string, before: string[]) => void }> = [];
	private landed: Array<() => void> = [];

	reset(): void {
		this.rows.clear();
		this.writes = 0;
		this.failingRemovals = 0;
		this.delayMs = 0;
		this.afterWrite = [];
		this.landed = [];
	}

	/** Resolves once the next write has landed (and been overwritten, if one is due). */
	nextWriteLanded(): Promise<void> {
		return new Promise((resolve) => this.landed.push(resolve));
	}

	/**
	 * The next `count` writes (to `onlyRow`, e.g. `wf/` for a workflow's row, when given) are
	 * overwritten by a writer that read the row before them.
	 */
	loseNextWrites(count: number, extra: string[] = [], onlyRow?: string): void {
		for (let i = 0; i < count; i++) {
			this.afterWrite.push({
				row: onlyRow,
				land: (row, before) => this.rows.set(row, [...before, ...extra.map(hash)]),
			});
		}
	}

	/** The overwrite due for a write to this row, if any. */
	private overwriteFor(row: string): ((row: string, before: string[]) => void) | undefined {
		const index = this.afterWrite.findIndex((entry) => entry.row === undefined || entry.row === row);
		return index < 0 ? undefined : this.afterWrite.splice(index, 1)[0].land;
	}

	/** The database round trip between read and write. */
	private async roundTrip(): Promise<void> {
		if (this.delayMs > 0) await sleep(this.delayMs);
	}

	has(workflowId: string, value: string): boolean {
		return [...this.rows.entries()].some(
			([row, data]) => row.startsWith(`${workflowId}/`) && data.includes(hash(value)),
		);
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		const row = rowOf(scope, contextData);
		const before = [...(this.rows.get(row) ?? [])];
		await this.roundTrip();
		const data = [...before];
		const output: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) {
			if (data.includes(hash(item))) output.processed.push(item);
			else {
				output.new.push(item);
				data.push(hash(item));
			}
		}
		if (options.maxEntries) data.splice(0, data.length - options.maxEntries);
		this.rows.set(row, data);
		this.writes += 1;
		this.overwriteFor(row)?.(row, before);
		for (const resolve of this.landed.splice(0)) resolve();
		return output;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<void> {
		if (this.failingRemovals > 0) {
			this.failingRemovals -= 1;
			throw new Error('connection to the database lost');
		}
		const row = rowOf(scope, contextData);
		const removed = new Set(items.map(hash));
		const before = [...(this.rows.get(row) ?? [])];
		await this.roundTrip();
		this.rows.set(
			row,
			before.filter((entry) => !removed.has(entry)),
		);
		this.writes += 1;
		this.overwriteFor(row)?.(row, before);
		for (const resolve of this.landed.splice(0)) resolve();
	}
	async clearAllProcessedItems(): Promise<void> {}
	async getProcessedDataCount(): Promise<number> {
		return 0;
	}
}

/** n8n's deduplication service on an in-memory store for this test file, empty before each test (in a fresh process). */
export function useProcessedDataStore(): ProcessedDataRows {
	const store = new ProcessedDataRows();
	beforeAll(async () => {
		await DataDeduplicationService.init(store);
	});
	beforeEach(() => {
		store.reset();
		asFreshProcess();
	});
	return store;
}
