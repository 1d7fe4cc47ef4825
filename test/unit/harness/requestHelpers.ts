import { WebhookContext } from 'n8n-core';
import type { IHttpRequestHelper, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { triggerNode } from './fixtures';
import { workflowOf } from './nodeTypes';

/**
 * n8n-core's own request helpers (`helpers.httpRequest`, axios underneath), as n8n hands them to a
 * credential's `preAuthentication`: tests of code that takes an `IHttpRequestHelper` intercept its
 * calls at the network boundary (nock) instead of faking the helper.
 */
export function n8nRequestHelpers(): IHttpRequestHelper {
	const node = triggerNode();
	const workflow = workflowOf(node);
	const context = new WebhookContext(
		workflow,
		node,
		{} as IWorkflowExecuteAdditionalData,
		'webhook',
		{ httpMethod: 'POST', node: node.name, path: '', webhookDescription: {}, workflowId: 'unit' } as never,
		[],
		null,
	);
	return { helpers: context.helpers } as unknown as IHttpRequestHelper;
}
