import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { GraphConnection } from '../transport';
import { signingSecretOf } from '../trigger/secrets';
import { decodeWaitReference, isResumePath } from './reference';
import { QUESTION_KEY } from './resume';

/** What would make every answer to a Send and Wait for Response fail, checked before it asks. */

/**
 * The waiting node believes only answers the trigger signed with the app secret (`waits/resume.ts`):
 * without one in this node's credential no answer could ever resume the wait.
 */
export async function assertCanVerifyAnswers(
	ctx: IExecuteFunctions,
	itemIndex: number,
	connection: GraphConnection,
): Promise<void> {
	const credentials = await ctx.getCredentials(connection.credentialType, itemIndex);
	if (signingSecretOf(connection.credentialType, credentials) !== null) return;
	throw new NodeOperationError(
		ctx.getNode(),
		'Send and Wait for Response needs the app secret in the credential',
		{
			itemIndex,
			description:
				"Fill in the credential's app secret (the same one the Instagram Messaging Trigger verifies webhooks with). The waiting node accepts only answers the trigger signed with it, so that nobody who learns a resume URL can answer for the customer.",
		},
	);
}

/**
 * What would make every answer fail, checked before the question goes out: the execution must keep
 * the question's id (n8n keeps at most 10 custom data keys and drops a new one silently), and n8n's
 * waiting route must be the one the trigger calls (`waits/reference.ts`).
 */
export function assertWaitable(
	ctx: IExecuteFunctions,
	itemIndex: number,
	questionId: string,
	references: Array<string | undefined>,
): void {
	if (ctx.customData.get(QUESTION_KEY) !== questionId) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Send and Wait for Response could not keep its question in the execution',
			{
				itemIndex,
				description: `n8n keeps at most 10 custom data keys per execution, and "${QUESTION_KEY}" is reserved for this node. Remove a key set by an Execution Data node or $execution.customData.set().`,
			},
		);
	}
	const paths = references.flatMap((reference) =>
		reference === undefined ? [] : [decodeWaitReference(reference)?.resumePath ?? reference],
	);
	if (paths.every((path) => path.startsWith('/') && isResumePath(path))) return;
	throw new NodeOperationError(
		ctx.getNode(),
		"n8n's waiting route is not /webhook-waiting/ at the root of its URL",
		{
			itemIndex,
			description:
				"Send and Wait for Response needs n8n's default waiting route: remove N8N_ENDPOINT_WEBHOOK_WAIT and any path in front of it (N8N_PATH, a path in WEBHOOK_URL), or use n8n's own Wait node instead.",
		},
	);
}
