/** The verify token the shipped examples carry, to be replaced by one of the user's own. */
export const EXAMPLE_VERIFY_TOKEN = 'change-me-to-a-long-random-string';

/** Empty, or still the examples' public placeholder: never a token to go live with. */
export function isPlaceholderVerifyToken(token: string): boolean {
	return token.trim() === '' || token.trim() === EXAMPLE_VERIFY_TOKEN;
}
