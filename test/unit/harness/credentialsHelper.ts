import { ICredentialsHelper } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';

type Credentials = Record<string, ICredentialDataDecryptedObject>;

/**
 * Serves credentials from a map and applies the credential type's real `authenticate` — generic
 * (expression-based) or function — the way n8n's server does.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly types: Record<string, ICredentialType>,
		readonly data: Credentials,
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return (this.types[name]?.extends ?? []).flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		type: string,
		request: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const auth = this.types[type]?.authenticate;
		if (!auth) return request;
		if (typeof auth === 'function') return await auth(credentials, request);
		for (const key of ['headers', 'qs', 'body', 'auth'] as const) {
			const props = (auth.properties as Record<string, IDataObject | undefined>)[key];
			if (!props) continue;
			const target = ((request as unknown as Record<string, IDataObject>)[key] ??= {});
			for (const [name, value] of Object.entries(props)) {
				target[name] =
					typeof value === 'string' && value.startsWith('=') && workflow && node
						? (workflow.expression.getSimpleParameterValue(node, value, 'internal', {
								$credentials: credentials,
							} as never) as IDataObject[string])
						: value;
			}
		}
		return request;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_node: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		return structuredClone(this.data[type] ?? {});
	}

	async updateCredentialsOauthTokenData(
		_node: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.data[type] = data;
	}

	async updateCredentials(_node: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		this.data[type] = data;
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('getCredentials is not used by these nodes');
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types[type]?.properties ?? [];
	}
}
