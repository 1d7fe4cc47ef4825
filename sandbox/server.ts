/**
 * MetaSandbox — a stateful stand-in for Meta's Graph API (both Instagram flavours) and its
 * webhook sender, on one loopback HTTP server. Usage: sandbox/README.md. This class assembles the
 * parts and is the API tests use; the work is done in the modules it delegates to.
 */
import type http from 'http';

import type { ChatTarget } from './chat/target';
import { SandboxClock } from './clock';
import { ControlApi } from './control';
import type { ControlledSandbox } from './controlRoute';
import { customerEnters, type CustomerEntryOptions, type CustomerEntryResult } from './customerEntries';
import { customerSays, customerTapsButton } from './customerEvents';
import type { CustomerServices } from './customerEvents';
import { SANDBOX_DEFAULTS } from './defaults';
import { FaultRegistry } from './faults';
import type { FaultView } from './faults';
import { GraphApi } from './graph';
import type { GraphRoute } from './graph/context';
import { close, listen } from './httpListener';
import { inboxReleases, inboxTakes } from './inboxActions';
import { handleRequest } from './requestHandler';
import type { RequestServices } from './requestHandler';
import type {
	CustomerSaysOptions,
	CustomerSaysResult,
	CustomerTapsButtonOptions,
	DeliverOptions,
	InboxActionOptions,
	WaitForSentOptions,
} from './sandboxOptions';
import { SandboxStateApi } from './sandboxStateApi';
import { SentWaiters } from './sentWaiters';
import { SandboxState } from './state';
import type { DeliveryResult, SentRecord } from './recordTypes';
import type { FaultSpec, Flavour, SandboxConfig } from './types';
import { BackgroundWebhooks } from './webhooks/background';
import { deliverWebhook, verifyWebhookCallback } from './webhooks/delivery';
import type { DeliveryServices, VerifyOptions } from './webhooks/delivery';
import type { ThreadChange } from './webhooks/handover';
import type { VerifyResult } from './webhooks/sender';

export class MetaSandbox extends SandboxStateApi implements ControlledSandbox {
	readonly config: SandboxConfig;
	private readonly faultRegistry = new FaultRegistry();
	private readonly graph: GraphApi;
	private readonly control: ControlApi;
	private readonly background: BackgroundWebhooks;
	private readonly waiters = new SentWaiters(
		(filter) => this.sent(filter),
		() => this.server !== undefined,
	);
	/** Workflows the chat page (`/_sandbox/chat`) offers to talk to; `npm start` fills it. */
	chatTargets: ChatTarget[] = [];
	/** The account whose customer the chat page and `/_sandbox/dm` play by default. */
	chatAccount: Flavour = 'instagram';
	private server: http.Server | undefined;
	private baseUrl = '';

	private constructor(config: Partial<SandboxConfig>) {
		super(new SandboxClock(config.now), new SandboxState(config));
		this.config = {
			...config,
			host: config.host ?? SANDBOX_DEFAULTS.host,
			port: config.port ?? 0,
			versions: config.versions ?? { ...SANDBOX_DEFAULTS.versions },
			deliveryTimeoutMs: config.deliveryTimeoutMs ?? SANDBOX_DEFAULTS.deliveryTimeoutMs,
		};
		this.graph = new GraphApi(
			{ state: this.state, clock: this.clock, onSent: (record) => this.onSent(record) },
			this.faultRegistry,
			{ versions: this.config.versions ?? SANDBOX_DEFAULTS.versions },
		);
		this.control = new ControlApi(this);
		this.background = new BackgroundWebhooks(this.state, (payload, opts) => this.deliver(payload, opts));
		this.state.threads.onChange((change, event) => this.background.handover(change, event));
	}

	/** Start a sandbox on `config.host` (127.0.0.1) and `config.port` (0 = random). */
	static async start(config: Partial<SandboxConfig> = {}): Promise<MetaSandbox> {
		const sandbox = new MetaSandbox(config);
		const services: RequestServices = {
			state: sandbox.state,
			clock: sandbox.clock,
			graph: sandbox.graph,
			control: (ctx) => sandbox.control.handle(ctx),
		};
		const { server, url } = await listen(sandbox.config.host, sandbox.config.port, (req, res) =>
			handleRequest(services, req, res),
		);
		sandbox.server = server;
		sandbox.baseUrl = url;
		return sandbox;
	}

	/** `http://127.0.0.1:<port>` — use as the base URL for both graph.instagram.com and graph.facebook.com. */
	get url(): string {
		return this.baseUrl;
	}

	get port(): number {
		return Number(new URL(this.baseUrl).port);
	}

	async stop(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		this.waiters.stop();
		if (!server) return;
		await close(server);
		await this.flush();
	}

	/** Register another Graph route (e.g. a later Graph area, or a one-off in a test). */
	addGraphRoute(route: GraphRoute): void {
		this.graph.addRoute(route);
	}

	/** Resolves when `count` sent records match `filter` (already present ones count). */
	waitForSent(options: WaitForSentOptions = {}): Promise<SentRecord[]> {
		return this.waiters.wait(options);
	}

	/** Clears sent/rejected/requests/deliveries, conversations, runtime customers, faults and the clock. Keeps accounts and webhooks. */
	reset(): void {
		this.state.reset();
		this.faultRegistry.clear();
		this.clock.reset();
	}

	// ---- faults ---------------------------------------------------------------------------------

	/** Inject Meta errors / latency / connection resets for the next matching Graph requests. */
	injectFault(spec: FaultSpec): FaultView {
		return this.faultRegistry.add(spec);
	}

	clearFaults(): void {
		this.faultRegistry.clear();
	}

	faults(): FaultView[] {
		return this.faultRegistry.list();
	}

	/** POST a payload as Meta: serialized once, signed over the exact bytes; a string is sent as given. */
	deliver(payload: object | string, opts: DeliverOptions = {}): Promise<DeliveryResult> {
		return deliverWebhook(this.deliveryServices, payload, opts);
	}

	/** Meta's verification handshake. Accepts `(url?, token?)` or `({ callbackUrl, verifyToken })`; defaults: the configured webhook. */
	verifyCallback(callbackUrlOrOptions?: string | VerifyOptions, verifyToken?: string): Promise<VerifyResult> {
		const options =
			typeof callbackUrlOrOptions === 'object'
				? callbackUrlOrOptions
				: { callbackUrl: callbackUrlOrOptions, verifyToken };
		return verifyWebhookCallback(this.deliveryServices, options);
	}

	/** A customer DMs the business: the message is recorded (opening the window) and its webhook delivered (unless `deliver: false`). */
	customerSays(opts: CustomerSaysOptions): Promise<CustomerSaysResult> {
		return customerSays(this.customerServices, opts);
	}

	/** A customer reaches the business from a comment, a story, an ad or an ig.me link (`customerEntries.ts`). */
	customerEnters(opts: CustomerEntryOptions): Promise<CustomerEntryResult> {
		return customerEnters(this.customerServices, opts);
	}

	/** A customer taps a postback button of a template (or an ice breaker): a `messaging_postbacks` webhook. */
	customerTapsButton(opts: CustomerTapsButtonOptions): Promise<CustomerSaysResult> {
		return customerTapsButton(this.customerServices, opts);
	}

	private get deliveryServices(): DeliveryServices {
		return { state: this.state, clock: this.clock, deliveryTimeoutMs: this.config.deliveryTimeoutMs };
	}

	private get customerServices(): CustomerServices {
		return { state: this.state, clock: this.clock, deliver: (payload, opts) => this.deliver(payload, opts) };
	}

	/** The inbox (or `byAppId`) hands the thread back to this app; resolves after the `pass_thread_control` webhook. */
	async inboxReleases(opts: InboxActionOptions = {}): Promise<ThreadChange> {
		const change = inboxReleases(this.state, this.clock.now(), opts);
		await this.flush();
		return change;
	}

	/** The inbox takes the thread over (`take_thread_control`); this app may no longer send. */
	async inboxTakes(opts: InboxActionOptions = {}): Promise<ThreadChange> {
		const change = inboxTakes(this.state, this.clock.now(), opts);
		await this.flush();
		return change;
	}

	/** Wait for background deliveries (echo and handover webhooks) to finish. */
	flush(): Promise<void> {
		return this.background.flush();
	}

	private onSent(record: SentRecord): void {
		this.waiters.checkAll();
		if (this.config.echoes && record.messageId !== undefined) this.background.echo(record, record.messageId);
	}
}
