/** Removes tokens and secrets from text copied out of a response (an error page may echo a request). */
export function redactSecrets(text: string): string {
	return text
		.replace(
			/((?:access_token|client_secret|appsecret_proof|fb_exchange_token|code)(?:=|%3D))[^&\s"'<]+/gi,
			'$1***',
		)
		.replace(
			/("(?:access_token|client_secret|appsecret_proof|fb_exchange_token|code)"\s*:\s*")[^"]*"/gi,
			'$1***"',
		)
		.replace(/\b(Bearer|OAuth)\s+[^\s"'<]+/gi, '$1 ***')
		.replace(/\b(?:EAA|IGAA|IGQ)[A-Za-z0-9_-]{10,}/g, '***')
		.replace(/\b\d{6,}\|[A-Za-z0-9_-]{16,}/g, '***');
}
