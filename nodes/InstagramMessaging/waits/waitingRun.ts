import type { IExecuteFunctions } from 'n8n-workflow';

/** The node as a plain tool (`…Tool`), not as n8n's human-review tool (`…HitlTool`). */
export function isPlainTool(ctx: IExecuteFunctions): boolean {
	const type = ctx.getNode().type;
	return type.endsWith('Tool') && !type.endsWith('HitlTool');
}

/**
 * When the deadline passes, n8n disables the waiting node and passes its input on
 * (`handleDisabledNode` in n8n-core's workflow-execute). This run's input is replaced by copies
 * marked `status: 'timedOut'`, so the output says what happened; the previous node's output is
 * another array and stays as it was. An answer replaces the output anyway (`waits/resume.ts`).
 */
export function markInputTimedOut(ctx: IExecuteFunctions): void {
	const input = ctx.getExecuteData().data;
	const items = input.main?.[0];
	if (!input.main || !Array.isArray(items)) return;
	input.main[0] = items.map((item) => ({ ...item, json: { ...item.json, status: 'timedOut' } }));
}
