import { killRegistered } from '../harness/processes';
import { stopSharedN8nServers } from '../harness/sharedServer';

/** jest's global teardown for the e2e project: the shared n8n servers, and anything a test left running. */
export default function teardown(): void {
	stopSharedN8nServers();
	killRegistered();
}
