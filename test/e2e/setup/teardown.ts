import { killRegistered } from '../harness/processes';
import { stopSharedN8nServer } from '../harness/sharedServer';

/** jest's global teardown for the e2e project: the shared n8n, and anything a test left running. */
export default function teardown(): void {
	stopSharedN8nServer();
	killRegistered();
}
