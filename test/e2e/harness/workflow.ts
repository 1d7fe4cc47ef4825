import type { IConnections, INode, IWorkflowSettings } from 'n8n-workflow';

/** A workflow as exported by n8n / shipped in `examples/` (extra keys such as `meta` are kept). */
export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	[key: string]: unknown;
}

export interface CredentialRef {
	id: string;
	name: string;
}

export const PACKAGE_NAME = 'n8n-nodes-instagram-messaging';
const PUBLISHED_PREFIX = `${PACKAGE_NAME}.`;

/**
 * Node type as the server sees it. Examples ship with the community-package prefix
 * (`n8n-nodes-instagram-messaging.instagramMessaging`); loaded through N8N_CUSTOM_EXTENSIONS the
 * same node is `CUSTOM.instagramMessaging` (n8n-harness.md §B.3). A bare name gets the prefix too.
 */
export function customType(type: string): string {
	if (type.startsWith(PUBLISHED_PREFIX)) return `CUSTOM.${type.slice(PUBLISHED_PREFIX.length)}`;
	if (!type.includes('.')) return `CUSTOM.${type}`;
	return type;
}

/** Copy of the workflow with our package's node types rewritten to `CUSTOM.*`; other nodes untouched. */
export function toCustomTypes<T extends WorkflowJson>(workflow: T): T {
	const copy = structuredClone(workflow);
	for (const node of copy.nodes) node.type = customType(node.type);
	return copy;
}

/**
 * Copy of the workflow whose node credentials point at the given credentials (by type).
 * Nothing else changes. Throws if a node uses a credential type missing from the map, so a
 * forgotten binding fails here rather than as an obscure execution error.
 */
export function bindCredentials<T extends WorkflowJson>(workflow: T, map: Record<string, CredentialRef>): T {
	const copy = structuredClone(workflow);
	const unbound = new Set<string>();
	for (const node of copy.nodes) {
		const credentials = node.credentials ?? {};
		for (const type of Object.keys(credentials)) {
			const target = map[type];
			// A new object per type: one placeholder object used for two types stays one after cloning.
			if (!target) unbound.add(type);
			else credentials[type] = { id: target.id, name: target.name };
		}
	}
	if (unbound.size > 0) {
		throw new Error(
			`bindCredentials: no credential given for type(s) ${[...unbound].join(', ')} in "${workflow.name}"`,
		);
	}
	return copy;
}

/** `bindCredentials` with the entries of `available` that the workflow's nodes use (others are ignored). */
export function bindUsedCredentials<T extends WorkflowJson>(
	workflow: T,
	available: Record<string, CredentialRef>,
): T {
	const used = new Set(workflow.nodes.flatMap((n) => Object.keys(n.credentials ?? {})));
	return bindCredentials(
		workflow,
		Object.fromEntries(Object.entries(available).filter(([type]) => used.has(type))),
	);
}

const TRIGGER_TYPES = new Set([
	`${PACKAGE_NAME}.instagramMessagingTrigger`,
	'CUSTOM.instagramMessagingTrigger',
]);

/**
 * Copy of the workflow whose Instagram triggers use `token` as Verify Token: what a user does after
 * importing an example (its placeholder token is refused at activation).
 */
export function withVerifyToken<T extends WorkflowJson>(workflow: T, token: string): T {
	const copy = structuredClone(workflow);
	for (const node of copy.nodes)
		if (TRIGGER_TYPES.has(node.type)) node.parameters = { ...node.parameters, verifyToken: token };
	return copy;
}
