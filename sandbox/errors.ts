import { newFbtraceId } from './ids';
import type { Flavour, GraphErrorBody } from './types';

/** A Meta Graph API error: HTTP status + the `{ error: {...} }` object (instagram-api.md §7.1). */
export class GraphError extends Error {
	readonly body: GraphErrorBody;

	constructor(
		readonly status: number,
		fields: Omit<GraphErrorBody, 'fbtrace_id'>,
		readonly headers: Record<string, string> = {},
	) {
		super(fields.message);
		this.name = 'GraphError';
		this.body = { ...fields, fbtrace_id: newFbtraceId() };
	}

	toJSON(): { error: GraphErrorBody } {
		return { error: this.body };
	}
}

const WWW_AUTH_INVALID =
	'OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token - Cannot parse access token"';
const WWW_AUTH_MISSING =
	'OAuth "Facebook Platform" "invalid_request" "An active access token must be used to query information about the current user."';

/** Catalogue of the errors the sandbox produces. Keep messages as Meta words them. */
export const graphErrors = {
	/** §7.2: a call over a per-account cap (Conversations API and Send API alike). */
	throttled: () =>
		new GraphError(400, {
			message: '(#613) Calls to this api have exceeded the rate limit.',
			type: 'OAuthException',
			code: 613,
		}),
	/** No token on a `/me` request. */
	missingTokenMe: () =>
		new GraphError(
			400,
			{
				message: 'An active access token must be used to query information about the current user.',
				type: 'OAuthException',
				code: 2500,
			},
			{ 'WWW-Authenticate': WWW_AUTH_MISSING },
		),
	/** No token on a request to an explicit object id. */
	missingToken: () =>
		new GraphError(400, {
			message: 'An access token is required to request this resource.',
			type: 'OAuthException',
			code: 104,
		}),
	invalidToken: () =>
		new GraphError(
			400,
			{
				message: 'Invalid OAuth access token - Cannot parse access token',
				type: 'OAuthException',
				code: 190,
			},
			{ 'WWW-Authenticate': WWW_AUTH_INVALID },
		),
	unknownPath: (rest: string) =>
		new GraphError(400, {
			message: `Unknown path components: ${rest}`,
			type: 'OAuthException',
			code: 2500,
		}),
	unsupportedVersion: (version: string, min: number, max: number) =>
		new GraphError(400, {
			message: `(#12) API version ${version} is not available. Call a version from v${min}.0 to v${max}.0.`,
			type: 'OAuthException',
			code: 12,
		}),
	missingVersion: (path: string) =>
		new GraphError(400, {
			message: `Unknown path components: ${path} (the sandbox requires a version prefix such as /v23.0)`,
			type: 'OAuthException',
			code: 2500,
		}),
	unsupportedRequest: (method: string, objectId: string) =>
		new GraphError(400, {
			message:
				`Unsupported ${method.toLowerCase()} request. Object with ID '${objectId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. ` +
				'Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api',
			type: 'GraphMethodException',
			code: 100,
			error_subcode: 33,
		}),
	nonexistingField: (field: string, nodeType: string, flavour: Flavour) =>
		new GraphError(400, {
			message: `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`,
			type: flavour === 'instagram' ? 'IGApiException' : 'OAuthException',
			code: 100,
		}),
	invalidParameter: (message: string) =>
		new GraphError(400, {
			message: `(#100) ${message}`,
			type: 'OAuthException',
			code: 100,
		}),
	noMatchingUser: () =>
		new GraphError(400, {
			message: '(#100) No matching user found',
			type: 'OAuthException',
			code: 100,
			error_subcode: 2018001,
		}),
	textTooLong: () =>
		new GraphError(400, {
			message: '(#100) Length of param message[text] must be less than or equal to 1000',
			type: 'OAuthException',
			code: 100,
		}),
	emptyMessage: () =>
		new GraphError(400, {
			message: '(#100) Message cannot be empty, must provide valid attachment or text',
			type: 'OAuthException',
			code: 100,
		}),
	/** §3.2 / §7.2: 10/2534022 (IG Login, HTTP 403) or 10/2018278 (Page, HTTP 400). */
	outsideWindow: (flavour: Flavour) =>
		flavour === 'instagram'
			? new GraphError(403, {
					message: '(#10) This message is sent outside of allowed window.',
					type: 'IGApiException',
					code: 10,
					error_subcode: 2534022,
					is_transient: false,
				})
			: new GraphError(400, {
					message: '(#10) This message is sent outside of allowed window.',
					type: 'OAuthException',
					code: 10,
					error_subcode: 2018278,
					is_transient: false,
				}),
	unknown: () =>
		new GraphError(500, {
			message: 'An unknown error has occurred.',
			type: 'OAuthException',
			code: 1,
			is_transient: true,
		}),
} as const;

/** Default error for an injected fault that gives only an HTTP status. */
export function defaultFaultError(status: number): Omit<GraphErrorBody, 'fbtrace_id'> {
	if (status === 429) {
		return {
			message: '(#4) Application request limit reached',
			type: 'OAuthException',
			code: 4,
			is_transient: true,
		};
	}
	if (status >= 500) {
		return {
			message: 'An unexpected error has occurred. Please retry your request later.',
			type: 'OAuthException',
			code: 2,
			is_transient: true,
		};
	}
	return { message: 'An unknown error has occurred.', type: 'OAuthException', code: 1, is_transient: false };
}

/** Conversation Routing (§6): Meta's answers when thread control forbids an action. */
export const threadErrors = {
	/** §6.1 / §7.2: another app holds the thread. */
	anotherAppControls: () =>
		new GraphError(400, {
			message: '(#10) Another app is controlling this thread.',
			type: 'OAuthException',
			code: 10,
			error_subcode: 2018300,
			error_user_msg: 'Another app is controlling this thread',
			is_transient: false,
		}),
	/** Meta's error table: 100 / 2534037 "action is invalid since it's not the thread owner". */
	notOwner: (action: string) =>
		new GraphError(400, {
			message: `(#100) The ${action} action is invalid since it's not the thread owner.`,
			type: 'OAuthException',
			code: 100,
			error_subcode: 2534037,
			is_transient: false,
		}),
	/** Wording from a live log (docs/meta-fidelity.md: not in Meta's error table). */
	routingNotEnabled: () =>
		new GraphError(400, {
			message: '(#27) Take thread control is not supported when Conversation Routing is not enabled.',
			type: 'OAuthException',
			code: 27,
		}),
	/** Meta: request_thread_control "is only available when conversation routing is not enabled" (error code assumed). */
	requestWithRouting: () =>
		new GraphError(400, {
			message: '(#100) Request thread control is not available when Conversation Routing is enabled.',
			type: 'OAuthException',
			code: 100,
		}),
	notPrimary: () =>
		new GraphError(400, {
			message: '(#10) Only the primary receiver app can take thread control',
			type: 'OAuthException',
			code: 10,
			is_transient: false,
		}),
};
