import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as message from './message/Message.resource';
import type { OperationModule } from './node.type';

export interface ResourceModule {
	/** The resource's operation selector and every operation's properties. */
	description: INodeProperties[];
	/** Operation value → its module. */
	operations: Record<string, OperationModule>;
}

/**
 * Every resource of the Instagram Messaging node, in the order the UI lists them. Adding a
 * resource = one folder with `<Resource>.resource.ts` + one line here.
 */
export const resources: Array<INodePropertyOptions & { value: string; module: ResourceModule }> = [
	{ name: 'Message', value: 'message', module: message },
];
