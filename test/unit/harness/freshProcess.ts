import { perProcessState } from '../../../nodes/InstagramMessaging/processMemory';

/** Empties everything the package keeps in process memory: what a restarted or another n8n process has. */
export function asFreshProcess(): void {
	for (const entry of perProcessState().values()) entry.clear();
}
