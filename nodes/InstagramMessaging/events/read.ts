import type { IDataObject } from 'n8n-workflow';

/**
 * Defensive readers for untrusted webhook JSON. None of them throws; each returns null when the
 * value has the wrong shape.
 */

export function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function recordAt(parent: IDataObject, key: string): IDataObject | null {
	const value = parent[key];
	return isRecord(value) ? value : null;
}

export function arrayAt(parent: IDataObject, key: string): unknown[] | null {
	const value = parent[key];
	return Array.isArray(value) ? value : null;
}

/** Meta ids overflow JS numbers, so ids are always strings; numbers are converted with String(). */
export function toId(value: unknown): string | null {
	if (typeof value === 'string') return value === '' ? null : value;
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
	if (typeof value === 'bigint') return String(value);
	return null;
}

export function idAt(parent: IDataObject | null, key: string): string | null {
	return parent === null ? null : toId(parent[key]);
}

/** `{ id }` objects such as `sender`, `recipient`, `from`, `media`. */
export function nestedIdAt(parent: IDataObject, key: string): string | null {
	return idAt(recordAt(parent, key), 'id');
}

export function toText(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'boolean') return String(value);
	return null;
}

export function textAt(parent: IDataObject | null, key: string): string | null {
	return parent === null ? null : toText(parent[key]);
}

export function flagAt(parent: IDataObject | null, key: string): boolean {
	return parent !== null && parent[key] === true;
}

export function toFiniteNumber(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
	return null;
}
