import type { INodeProperties } from 'n8n-workflow';

const CUSTOMER = "the customer's ID is the customerId field of the Instagram Messaging Trigger's item";
const MESSAGE = "the message ID is the mid field of the trigger's item";
const COMMENT = "the comment ID is the comment.id field of the trigger's comment item";

/**
 * What n8n's AI Agent reads about each operation used as a tool: what it does, which IDs it
 * needs, and where they come from in the Instagram Messaging Trigger's item.
 */
export const TOOL_DESCRIPTIONS: Record<string, string> = {
	'message:get': `Reads one Instagram message (sender, text, attachments) by its message ID; ${MESSAGE}.`,
	'message:react': `Reacts to a customer's message with a heart or an emoji; ${MESSAGE}.`,
	'message:sendAndWait': `Asks the customer a question (choices, yes or no, or free text) and waits for the answer in the thread; ${CUSTOMER}.`,
	'message:sendButtonTemplate': `Sends a text with up to 3 buttons (a web link or a payload back); ${CUSTOMER}.`,
	'message:sendGenericTemplate': `Sends up to 10 cards with a title, image and buttons as a carousel; ${CUSTOMER}.`,
	'message:sendMedia': `Sends an image, video, audio or PDF file by URL; ${CUSTOMER}.`,
	'message:sendPrivateReply':
		"Sends one direct message to the author of a comment, within 7 days; the comment ID is the comment.id field of the trigger's comment item.",
	'message:sendQuickReplies': `Sends a question with up to 13 tappable choices; the tap comes back as a new message; ${CUSTOMER}.`,
	'message:sendSenderAction': `Shows or hides the typing indicator, or marks the last message as seen; ${CUSTOMER}.`,
	'message:sendSticker': `Sends the heart sticker; ${CUSTOMER}.`,
	'message:sendText': `Sends a text message of at most 1000 characters to the customer; ${CUSTOMER}.`,
	'message:sharePost': `Shares one of the account's own posts by its post ID; ${CUSTOMER}.`,
	'message:unreact': `Removes this account's reaction from a message; ${MESSAGE}.`,
	'comment:delete': `Deletes a comment on one of the account's posts or reels for good; ${COMMENT}.`,
	'comment:getMany':
		"Lists the comments on one of the account's posts or reels, newest first; the post ID is the comment.mediaId field of the trigger's comment item.",
	'comment:hide': `Hides a comment from everyone but its author; ${COMMENT}.`,
	'comment:reply': `Replies publicly under a comment, visible to everyone who sees the post; ${COMMENT}.`,
	'comment:unhide': `Shows a hidden comment again; ${COMMENT}.`,
	'conversation:backfill':
		'Reads past messages of the conversations in a time range as trigger items; needs no ID (optionally a customer ID, the customerId field of a trigger item).',
	'conversation:get': `Gets the conversation with one customer; ${CUSTOMER}.`,
	'conversation:getMany': "Lists the account's conversations, most recent first; needs no ID.",
	'conversation:getMessages': `Gets the latest messages of the conversation with one customer; ${CUSTOMER}.`,
	'conversationControl:getOwner': `Tells which app or inbox holds the conversation; ${CUSTOMER}.`,
	'conversationControl:passToHumanInbox': `Hands the conversation to a person in the Instagram Inbox, so the bot stops answering; ${CUSTOMER}.`,
	'conversationControl:releaseControl': `Releases the conversation to the inbox or another app; ${CUSTOMER}.`,
	'conversationControl:requestControl': `Asks the app that holds the conversation to hand it over; ${CUSTOMER}.`,
	'conversationControl:takeControl': `Takes the conversation back for the bot; ${CUSTOMER}.`,
	'messengerProfile:delete': "Removes the account's ice breakers or persistent menu; needs no ID.",
	'messengerProfile:get': "Reads the account's ice breakers and persistent menu; needs no ID.",
	'messengerProfile:setIceBreakers':
		'Sets the questions a new customer can tap to start a conversation; needs no ID.',
	'messengerProfile:setPersistentMenu': 'Sets the menu shown in every conversation; needs no ID.',
	'welcomeFlow:create':
		'Creates the welcome message (text and quick replies) a Click-to-Direct ad opens the conversation with; needs no ID.',
	'welcomeFlow:delete':
		'Deletes a welcome flow that no ad uses; the flow ID is the flowId field of Get Many.',
	'welcomeFlow:get': 'Gets one welcome flow; the flow ID is the flowId field of Get Many.',
	'welcomeFlow:getMany': "Lists the account's ad welcome flows; needs no ID.",
	'welcomeFlow:update':
		'Renames a welcome flow or replaces its message while no ad uses it; the flow ID is the flowId field of Get Many.',
	'user:getProfile': `Gets a customer's name, username and profile picture; ${CUSTOMER}.`,
};

/**
 * The tool's description, shown only where the node is a tool. Declaring it keeps n8n from adding
 * its own, whose default ("Set Automatically") would tell the model only the operation's name.
 */
export const toolDescriptionProperty: INodeProperties = {
	displayName: 'Tool Description',
	name: 'toolDescription',
	type: 'string',
	typeOptions: { rows: 2 },
	default: `={{ ${JSON.stringify(TOOL_DESCRIPTIONS)}[$parameter.resource + ':' + $parameter.operation] }}`,
	displayOptions: { show: { '@tool': [true] } },
	description:
		'What the AI Agent reads about this tool. The default describes the chosen operation, the IDs it needs and where they come from.',
};
