/** End-to-end harness: a real n8n 2.x server with this package loaded (n8n-harness.md §B). */
export { N8nServer, type CredentialImport, type N8nServerOptions, type WebhookProbe } from './n8n';
export { INSTALL_TIMEOUT_MS, ensureN8nInstalled, n8nInstall, type N8nInstall } from './install';
export {
	N8nApiError,
	nodeOutput,
	outcomeOf,
	type ExecutionQuery,
	type ExecutionStatus,
	type N8nExecution,
	type N8nWorkflow,
	type PublicationStatus,
} from './api';
export {
	PACKAGE_NAME,
	bindCredentials,
	bindUsedCredentials,
	customType,
	toCustomTypes,
	withVerifyToken,
	type CredentialRef,
	type WorkflowJson,
} from './workflow';
export {
	sandboxCredentialData,
	startScenario,
	useScenario,
	type Scenario,
	type ScenarioCredentials,
	type ScenarioOptions,
} from './scenario';
export {
	BAD_SIGNATURES,
	activateNewWorkflow,
	expectExecutionCount,
	expectHandshakeOnlyWith,
	expectRefused,
	handshakeStatuses,
	nextExecutionWhere,
	postAndWaitForExecution,
	throttleSends,
} from './steps';
export {
	ChatModelStandIn,
	lastUserText,
	type ChatCompletionRequest,
	type ChatMessage,
	type ChatScript,
	type ChatTool,
	type ScriptedReply,
} from './chatModelStandIn';
