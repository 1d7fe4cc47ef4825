import { ICredentialsHelper, isExpression } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
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
 * (expression-based) or function — and `preAuthentication` the way n8n's server (2.41) does:
 * defaults of non-expression properties are applied on read; `preAuthentication` runs when the
 * hidden `expirable` property is empty (or the call was refused as expired) and what it returns
 * is saved into the stored credential (`writes` records every save); for OAuth2 types
 * `runPreAuthentication` runs on every request and nothing is saved.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	/** Every save of a credential by preAuthentication, in order (type + the full saved data). */
	readonly writes: Array<{ type: string; data: ICredentialDataDecryptedObject }> = [];

	constructor(
		private readonly types: Record<string, ICredentialType>,
		readonly data: Credentials,
		/** Counts getDecrypted calls (how often a node read its credentials). */
		private readonly reads?: { count: number },
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
		if (this.reads) this.reads.count += 1;
		const data = structuredClone(this.data[type] ?? {});
		for (const property of this.propertiesOf(type)) {
			if (data[property.name] !== undefined || property.type === 'notice') continue;
			const fallback = property.default;
			if (typeof fallback === 'string' && isExpression(fallback)) continue;
			if (fallback !== undefined) data[property.name] = structuredClone(fallback) as never;
		}
		return data;
	}

	/** The type's own properties plus its parents' (n8n merges them the same way). */
	private propertiesOf(type: string): INodeProperties[] {
		const own = this.types[type]?.properties ?? [];
		const parents = (this.types[type]?.extends ?? []).flatMap((parent) => this.propertiesOf(parent));
		return [...parents.filter((p) => !own.some((o) => o.name === p.name)), ...own];
	}

	async updateCredentialsOauthTokenData(
		_node: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.data[type] = data;
	}

	async updateCredentials(
		_node: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.data[type] = data;
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.types[typeName];
		const expirable = type?.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (!type || expirable === undefined || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined || !node.credentials) return undefined;
		const stored = this.data[typeName] ?? {};
		const toSave: ICredentialDataDecryptedObject = { ...stored };
		for (const [key, value] of Object.entries(output)) {
			if (key === expirable.name || !isExpression(stored[key])) toSave[key] = value as never;
		}
		this.data[typeName] = toSave;
		this.writes.push({ type: typeName, data: structuredClone(toSave) });
		return Object.assign(credentials, output) as ICredentialDataDecryptedObject;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.types[typeName];
		if (typeof type?.preAuthentication !== 'function') return undefined;
		return (
			((await type.preAuthentication.call(helpers, credentials)) as
				ICredentialDataDecryptedObject | undefined) ?? undefined
		);
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('getCredentials is not used by these nodes');
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types[type]?.properties ?? [];
	}
}
