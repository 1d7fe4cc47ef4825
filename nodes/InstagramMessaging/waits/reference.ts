/**
 * What a Send and Wait for Response choice carries in its quick-reply or postback payload, so that
 * the Instagram Messaging Trigger can resume the waiting execution with no state of its own (it
 * survives restarts and works in queue mode): the waiting workflow, whether other workflows still
 * see the answer, the path n8n signed for this choice (`getSignedResumeUrl`), and the payload the
 * user chose. Meta returns a payload only to the app that sent it and never shows it to the
 * customer; the signature makes the path useless for any other execution or choice.
 */
const PREFIX = 'igwait1';
const SEPARATOR = '|';

export interface WaitReference {
	workflowId: string;
	/** Whether a trigger in another workflow still emits the answer as an ordinary event. */
	shareWithOtherWorkflows: boolean;
	/** Path and query of the signed resume URL, from the first `/`. */
	resumePath: string;
	/** The payload the workflow receives for this choice. */
	payload: string;
}

export function encodeWaitReference(reference: WaitReference): string {
	const flags = reference.shareWithOtherWorkflows ? 's' : '-';
	return [PREFIX, reference.workflowId, flags, reference.resumePath, reference.payload].join(SEPARATOR);
}

/**
 * A path as `getSignedResumeUrl` mints it: `/<prefix>/<execution>/<node>?…&signature=<hex>`, no
 * `.` or `..` segment and no fragment, so a payload can only ever reach n8n's waiting route.
 */
function isResumePath(path: string): boolean {
	const [pathname, query = ''] = path.split('?', 2);
	const segments = pathname.split('/').slice(1);
	return (
		path.startsWith('/') &&
		!path.includes('#') &&
		segments.length >= 3 &&
		segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..') &&
		/(^|&)signature=[0-9a-f]{64}$/.test(query)
	);
}

/** The reference in a payload, or null for any payload our node did not write. */
export function decodeWaitReference(payload: unknown): WaitReference | null {
	if (typeof payload !== 'string' || !payload.startsWith(PREFIX + SEPARATOR)) return null;
	const parts = payload.split(SEPARATOR);
	if (parts.length < 5) return null;
	const [, workflowId, flags, resumePath] = parts;
	if (workflowId === '' || !isResumePath(resumePath) || (flags !== 's' && flags !== '-')) return null;
	return {
		workflowId,
		shareWithOtherWorkflows: flags === 's',
		resumePath,
		payload: parts.slice(4).join(SEPARATOR),
	};
}

/** Path and query of a URL n8n minted, exactly as signed (n8n checks the HMAC over them). */
export function resumePathOf(signedUrl: string): string {
	const url = new URL(signedUrl);
	return url.pathname + url.search;
}
