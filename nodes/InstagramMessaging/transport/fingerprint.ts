import { createHash } from 'crypto';

/** Not the token: a stable, one-way fingerprint to notice when the user pasted a new one. */
export function fingerprint(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}
