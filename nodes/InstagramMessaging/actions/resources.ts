import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as comment from './comment/Comment.resource';
import * as conversation from './conversation/Conversation.resource';
import * as conversationControl from './conversationControl/ConversationControl.resource';
import * as message from './message/Message.resource';
import * as messengerProfile from './messengerProfile/MessengerProfile.resource';
import type { OperationModule } from './node.type';
import * as user from './user/User.resource';
import * as welcomeFlow from './welcomeFlow/WelcomeFlow.resource';

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
	{ name: 'Conversation', value: 'conversation', module: conversation },
	{ name: 'Comment', value: 'comment', module: comment },
	{ name: 'User', value: 'user', module: user },
	{ name: 'Conversation Control', value: 'conversationControl', module: conversationControl },
	{ name: 'Messenger Profile', value: 'messengerProfile', module: messengerProfile },
	{ name: 'Welcome Flow', value: 'welcomeFlow', module: welcomeFlow },
];
