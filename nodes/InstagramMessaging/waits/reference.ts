/**
 * What a Send and Wait for Response choice carries in its quick-reply or postback payload, so that
 * the Instagram Messaging Trigger can resume the waiting execution with no state of its own (it
 * survives restarts and works in queue mode): the waiting workflow, whether other workflows still
 * see the answer, the path n8n signed for this choice (`getSignedResumeUrl`), and the payload the
 * user chose. Meta returns a payload only to the app that sent it and never shows it to the
 * customer. The path alone resumes nothing: the waiting node also wants the trigger's signature
 * over the verified event (`answerSignature.ts`), and the question's one-time id.
 */
export const WAIT_REFERENCE_PREFIX = 'igwait1|';
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
	return [WAIT_REFERENCE_PREFIX + reference.workflowId, flags, reference.resumePath, reference.payload].join(
		SEPARATOR,
	);
}

/**
 * Exactly n8n's waiting route as `getSignedResumeUrl` mints it for this node:
 * `/webhook-waiting/<execution id>/<node id>?choice=…&customer=…&question=…&signature=<hex>`, in
 * that order, with nothing percent-encoded and no dot segment — so a payload can never make the
 * trigger call another route of n8n (its REST API, another workflow's webhook).
 */
const RESUME_PATH =
	/^\/webhook-waiting\/[0-9]{1,20}\/[A-Za-z0-9_-]{1,64}\?choice=[a-z0-9]{1,8}&customer=[A-Za-z0-9_-]{1,64}&question=[a-z0-9]{8,40}&signature=[0-9a-f]{64}$/;

export function isResumePath(path: string): boolean {
	return RESUME_PATH.test(path);
}

/** The reference in a payload, or null for any payload our node did not write. */
export function decodeWaitReference(payload: unknown): WaitReference | null {
	if (typeof payload !== 'string' || !payload.startsWith(WAIT_REFERENCE_PREFIX)) return null;
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

/** A query parameter of a resume path our node minted (`isResumePath`). */
export function resumeParameter(resumePath: string, name: string): string | undefined {
	const query = resumePath.split('?', 2)[1] ?? '';
	return new URLSearchParams(query).get(name) ?? undefined;
}

/** Path and query of a URL n8n minted, exactly as signed (n8n checks the HMAC over them). */
export function resumePathOf(signedUrl: string): string {
	const url = new URL(signedUrl);
	return url.pathname + url.search;
}

/** Whether a payload starts like a wait reference (refused in every other operation). */
export function looksLikeWaitReference(value: unknown): boolean {
	return typeof value === 'string' && value.startsWith(WAIT_REFERENCE_PREFIX);
}

/** Where Meta carries a payload our node wrote: taps, postbacks, and the echo of a question. */
const PAYLOAD_KEYS: ReadonlySet<string> = new Set(['payload', 'quickReplyPayload']);

/**
 * The value with every wait reference in a payload field replaced by the payload it carries: items,
 * `raw` and the echo of a question's buttons or quick replies, so that no workflow ever holds a
 * signed resume path. What people write (`text`, a comment, a link's `ref`) is left as it is.
 * Returns the same object when there is nothing to replace.
 */
export function withoutWaitReferences<T>(value: T): T {
	if (typeof value !== 'object' || value === null) return value;
	if (Array.isArray(value)) {
		let copy: unknown[] | undefined;
		value.forEach((element: unknown, index) => {
			const replaced = withoutWaitReferences(element);
			if (replaced !== element) (copy ??= [...value])[index] = replaced;
		});
		return (copy ?? value) as T;
	}
	let copy: Record<string, unknown> | undefined;
	for (const [key, element] of Object.entries(value as Record<string, unknown>)) {
		const replaced =
			PAYLOAD_KEYS.has(key) && looksLikeWaitReference(element)
				? (element as string).split(SEPARATOR).slice(4).join(SEPARATOR)
				: withoutWaitReferences(element);
		if (replaced !== element) (copy ??= { ...(value as Record<string, unknown>) })[key] = replaced;
	}
	return (copy ?? value) as T;
}
