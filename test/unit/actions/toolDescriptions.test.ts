import { NodeHelpers, Workflow, type INode } from 'n8n-workflow';

import { resources } from '../../../nodes/InstagramMessaging/actions/resources';
import { TOOL_DESCRIPTIONS } from '../../../nodes/InstagramMessaging/actions/toolDescriptions';
import { InstagramMessaging } from '../../../nodes/InstagramMessaging/InstagramMessaging.node';
import { ACTION_TYPE, TestNodeTypes } from '../harness';

const description = new InstagramMessaging().description;
const defaultExpression = String(description.properties.find((p) => p.name === 'toolDescription')?.default);

/** Every operation of the node, as `resource:operation`. */
const operations = resources.flatMap((resource) =>
	Object.keys(resource.module.operations).map((operation) => [resource.value, operation] as const),
);

/** What n8n's AI Agent reads for a tool node whose description was left at its default. */
function toolDescriptionAsTheAgentReadsIt(resource: string, operation: string): string {
	const node: INode = {
		id: 'tool',
		name: 'Instagram Tool',
		// The harness knows the node's type; the tool variant differs only in name (`nodeType` below).
		type: ACTION_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource, operation, toolDescription: defaultExpression },
	};
	// The Workflow keeps only parameters shown for its type (not the tool's); the agent reads `node`.
	const workflow = new Workflow({
		nodes: [{ ...node, parameters: { ...node.parameters } }],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes(),
	});
	const nodeType = { description: { ...description, name: 'instagramMessagingTool' } };
	return String(
		NodeHelpers.getToolDescriptionForNode(node, nodeType as never, () =>
			String(
				workflow.expression.getSimpleParameterValue(
					workflow.nodes[node.name],
					defaultExpression,
					'manual',
					{},
				),
			),
		),
	);
}

describe('Instagram Messaging as an AI Agent tool: descriptions written for a model', () => {
	it.each(operations)(
		'%s → %s says what it does, the IDs it needs and where they come from',
		(resource, operation) => {
			const text = toolDescriptionAsTheAgentReadsIt(resource, operation);
			expect(text).toBe(TOOL_DESCRIPTIONS[`${resource}:${operation}`]);
			expect(text).toMatch(/(customerId|mid|comment\.id|flowId|post ID) field|needs no ID|post ID/);
		},
	);

	it('describes only operations that exist', () => {
		expect(Object.keys(TOOL_DESCRIPTIONS).sort()).toEqual(operations.map(([r, o]) => `${r}:${o}`).sort());
	});

	it('is shown only where the node is a tool', () => {
		const property = description.properties.find((p) => p.name === 'toolDescription');
		expect(property?.displayOptions).toEqual({ show: { '@tool': [true] } });
	});
});
