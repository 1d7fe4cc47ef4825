/**
 * A tiny route table: `{ method, path: '/:id/messages', handler }`.
 * `:name` matches one path segment; routes are tried in order (put `/me` before `/:id`).
 */
export interface RouteLike {
	/** HTTP method, or '*' for any. */
	method: string;
	path: string;
}

export interface Route<C, R> extends RouteLike {
	handler: (ctx: C, params: Record<string, string>) => Promise<R> | R;
}

interface CompiledRoute<T> {
	route: T;
	regex: RegExp;
	names: string[];
}

export type RouteMatch<T> =
	| { kind: 'found'; route: T; params: Record<string, string> }
	| { kind: 'methodNotAllowed'; allowed: string[] }
	| { kind: 'notFound' };

export class Router<T extends RouteLike> {
	private readonly compiled: Array<CompiledRoute<T>> = [];

	constructor(routes: T[] = []) {
		for (const r of routes) this.add(r);
	}

	add(route: T): this {
		const names: string[] = [];
		const pattern = route.path
			.split('/')
			.map((seg) => {
				if (seg.startsWith(':')) {
					names.push(seg.slice(1));
					return '([^/]+)';
				}
				return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			})
			.join('/');
		this.compiled.push({ route, regex: new RegExp(`^${pattern}/?$`), names });
		return this;
	}

	match(method: string, path: string): RouteMatch<T> {
		const allowed: string[] = [];
		for (const { route, regex, names } of this.compiled) {
			const m = regex.exec(path);
			if (!m) continue;
			if (route.method !== '*' && route.method !== method) {
				allowed.push(route.method);
				continue;
			}
			const params: Record<string, string> = {};
			names.forEach((name, i) => {
				params[name] = safeDecode(m[i + 1] ?? '');
			});
			return { kind: 'found', route, params };
		}
		return allowed.length > 0 ? { kind: 'methodNotAllowed', allowed } : { kind: 'notFound' };
	}
}

function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}
