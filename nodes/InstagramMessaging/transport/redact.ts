/** Removes `access_token`, `client_secret` and friends from text copied out of a response. */
export function redactSecrets(text: string): string {
	return text
		.replace(/((?:access_token|client_secret|appsecret_proof|fb_exchange_token|code)=)[^&\s"']+/gi, '$1***')
		.replace(/("(?:access_token|client_secret|appsecret_proof)"\s*:\s*")[^"]*"/gi, '$1***"');
}
