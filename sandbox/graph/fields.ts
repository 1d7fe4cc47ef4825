/** A requested field: `name` or `name{sub,fields}`. */
export interface FieldSpec {
	name: string;
	subfields: FieldSpec[];
}

/** Parse Graph's `fields` parameter (`id,name,instagram_business_account{id,username}`). */
export function parseFields(raw: string | null | undefined): FieldSpec[] | undefined {
	if (raw === null || raw === undefined || raw.trim() === '') return undefined;
	const out: FieldSpec[] = [];
	let depth = 0;
	let current = '';
	const flush = (): void => {
		const token = current.trim();
		current = '';
		if (!token) return;
		const brace = token.indexOf('{');
		if (brace === -1) {
			out.push({ name: token, subfields: [] });
			return;
		}
		const inner = token.slice(brace + 1, token.lastIndexOf('}'));
		out.push({ name: token.slice(0, brace).trim(), subfields: parseFields(inner) ?? [] });
	};
	for (const ch of raw) {
		if (ch === '{') depth += 1;
		if (ch === '}') depth -= 1;
		if (ch === ',' && depth === 0) flush();
		else current += ch;
	}
	flush();
	return out;
}
