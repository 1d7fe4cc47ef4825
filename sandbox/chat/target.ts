import type { Flavour } from '../types';

/** A workflow the chat can talk to: its trigger's production URL and verify token. */
export interface ChatTarget {
	name: string;
	callbackUrl: string;
	verifyToken?: string;
	/** The account whose customer the chat plays (the workflow's Meta setup). Default: Instagram Login. */
	account?: Flavour;
}
