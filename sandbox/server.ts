/**
 * MetaSandbox — a stateful stand-in for Meta's Graph API (both Instagram flavours) and its
 * webhook sender, on one loopback HTTP server. Usage: sandbox/README.md.
 */
import http from 'http';
import type { AddressInfo } from 'net';

import { SandboxClock } from './clock';
import type { ChatTarget } from './chat/routes';
import { ControlApi } from './control';
import { SANDBOX_DEFAULTS } from './defaults';
import { FaultRegistry } from './faults';
import type { FaultView } from './faults';
import { GraphApi } from './graph';
import type { GraphRoute } from './graph/context';
import { appIdOf, envelopeByOwnership, INSTAGRAM_INBOX_APP_ID } from './graph/threadControl';
import type { HandoverEvent, ThreadChange } from './graph/threadControl';
import { buildContext, isJsonObject, optString, redactBody, redactQuery, writeResult } from './http';
import type { RequestContext } from './http';
import { newMid } from './ids';
import { SandboxState, accountAppSecret } from './state';
import type {
	AccountRef,
	Conversation,
	Customer,
	DeliveryLogEntry,
	DeliveryResult,
	FacebookPageAccount,
	FaultSpec,
	Flavour,
	InstagramLoginAccount,
	JsonObject,
	RecordFilter,
	RejectedRecord,
	RequestLogEntry,
	SandboxAccount,
	SandboxConfig,
	SentRecord,
	SignatureMode,
	WebhookConfig,
} from './types';
import type { SandboxComment, SandboxMedia, StoredAttachment } from './types';
import { onlySubscribed } from './webhooks/fields';
import { echoEvent, envelopeFor, postbackEvent, textMessageEvent } from './webhooks/payloads';
import type { MessagingEvent, WebhookAttachment, WebhookEnvelope } from './webhooks/payloads';
import { httpRequest, metaJson, signRequest, verifyCallbackUrl } from './webhooks/sender';
import type { VerifyResult } from './webhooks/sender';

export interface DeliverOptions {
	/** Defaults to the configured callback for the payload's account (or the default one). */
	callbackUrl?: string;
	/** Defaults to the account's app secret (A: Instagram app secret, B: Meta app secret). */
	secret?: string;
	signature?: SignatureMode;
	/** Extra/overriding request headers. */
	headers?: Record<string, string>;
	/** Account whose secret/callback to use; default: the payload's `entry[0].id`, else flavour A. */
	account?: AccountRef;
	/** Recorded in the delivery log. */
	kind?: 'event' | 'echo';
}

export interface CustomerSaysOptions {
	/** Customer IGSID; default SANDBOX_DEFAULTS.customer.id. */
	from?: string;
	text: string;
	/** 'instagram' | 'facebookPage' | igUserId | pageId; default 'instagram'. */
	account?: AccountRef;
	/** When the customer wrote (ms, sandbox clock); default now. */
	at?: number;
	mid?: string;
	/** A tapped quick reply: `text` is its title and this its payload (Meta's `message.quick_reply`). */
	quickReplyPayload?: string;
	/** POST the webhook (default true). false = only record the message (opens the window). */
	deliver?: boolean;
	signature?: SignatureMode;
	callbackUrl?: string;
}

export interface CustomerTapsButtonOptions {
	/** Customer IGSID; default SANDBOX_DEFAULTS.customer.id. */
	from?: string;
	account?: AccountRef;
	/** The button's title and postback payload. */
	title: string;
	payload: string;
}

export interface CustomerSaysResult {
	event: MessagingEvent;
	payload: WebhookEnvelope;
	/** Absent when `deliver: false`. */
	delivery?: DeliveryResult;
}

export interface InboxActionOptions {
	/** Customer IGSID; default SANDBOX_DEFAULTS.customer.id. */
	customerId?: string;
	account?: AccountRef;
	/** The inbox app acting; default the Instagram Inbox (1217981644879628). */
	byAppId?: string;
	metadata?: string;
}

export interface AddCommentOptions {
	/** Default: a fresh Meta-looking id. */
	id?: string;
	text: string;
	/** Commenter IGSID; default SANDBOX_DEFAULTS.customer.id. */
	from?: string;
	fromUsername?: string;
	/** The commented post; default: a new post of the account. */
	mediaId?: string;
	/** When the comment was written (ms, sandbox clock); default now. */
	at?: number;
	account?: AccountRef;
}

export interface WaitForSentOptions extends RecordFilter {
	/** How many matching records to wait for (default 1). */
	count?: number;
	/** Default 10000 ms. */
	timeoutMs?: number;
}

interface Waiter {
	check: () => boolean;
}

export class MetaSandbox {
	readonly config: SandboxConfig;
	readonly clock: SandboxClock;
	readonly state: SandboxState;
	private readonly faultRegistry = new FaultRegistry();
	private readonly graph: GraphApi;
	private readonly control: ControlApi;
	/** Workflows the chat page (`/_sandbox/chat`) offers to talk to; `npm start` fills it. */
	chatTargets: ChatTarget[] = [];
	/** The account whose customer the chat page and `/_sandbox/dm` play by default. */
	chatAccount: Flavour = 'instagram';
	private readonly pending = new Set<Promise<unknown>>();
	private readonly waiters = new Set<Waiter>();
	private server: http.Server | undefined;
	private baseUrl = '';

	private constructor(config: Partial<SandboxConfig>) {
		this.config = {
			...config,
			host: config.host ?? SANDBOX_DEFAULTS.host,
			port: config.port ?? 0,
			versions: config.versions ?? { ...SANDBOX_DEFAULTS.versions },
			deliveryTimeoutMs: config.deliveryTimeoutMs ?? SANDBOX_DEFAULTS.deliveryTimeoutMs,
		};
		this.clock = new SandboxClock(config.now);
		this.state = new SandboxState(config);
		this.graph = new GraphApi(
			{ state: this.state, clock: this.clock, onSent: (record) => this.onSent(record) },
			this.faultRegistry,
			{ versions: this.config.versions ?? SANDBOX_DEFAULTS.versions },
		);
		this.control = new ControlApi(this);
		this.state.threads.onChange((change, event) => this.sendHandover(change, event));
	}

	/** Start a sandbox on `config.host` (127.0.0.1) and `config.port` (0 = random). */
	static async start(config: Partial<SandboxConfig> = {}): Promise<MetaSandbox> {
		const sandbox = new MetaSandbox(config);
		await sandbox.listen();
		return sandbox;
	}

	private listen(): Promise<void> {
		const server = http.createServer((req, res) => {
			this.onRequest(req, res).catch((err: unknown) => {
				process.stderr.write(`sandbox: ${String(err)}\n`);
				if (!res.headersSent)
					writeResult(res, { status: 500, json: { error: { message: 'sandbox internal error' } } });
				else res.destroy();
			});
		});
		this.server = server;
		return new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.config.port, this.config.host, () => {
				server.off('error', reject);
				const { port } = server.address() as AddressInfo;
				const host = this.config.host.includes(':') ? `[${this.config.host}]` : this.config.host;
				this.baseUrl = `http://${host}:${port}`;
				resolve();
			});
		});
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
		for (const waiter of this.waiters) waiter.check();
		this.waiters.clear();
		if (!server) return;
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
		await this.flush();
	}

	private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		let ctx: RequestContext;
		try {
			ctx = await buildContext(req);
		} catch (err) {
			writeResult(res, { status: 413, json: { error: { message: String(err) } } });
			return;
		}
		if (ctx.path === '/_sandbox' || ctx.path.startsWith('/_sandbox/')) {
			writeResult(res, await this.control.handle(ctx));
			return;
		}
		const outcome = await this.graph.handle(ctx);
		const entry: RequestLogEntry = {
			seq: this.state.nextSeq(),
			at: this.clock.now(),
			method: ctx.method,
			path: ctx.path,
			query: redactQuery(ctx.query),
			status: outcome.result?.status ?? 0,
		};
		if (Object.keys(ctx.body).length > 0) entry.body = redactBody(ctx.body);
		if (outcome.accountId !== undefined) entry.accountId = outcome.accountId;
		if (outcome.fault) entry.fault = true;
		this.state.requests.push(entry);
		if (outcome.reset || !outcome.result) {
			res.socket?.destroy();
			return;
		}
		writeResult(res, outcome.result);
	}

	// ---- clock ------------------------------------------------------------------------------

	now(): number {
		return this.clock.now();
	}

	// ---- accounts & customers ------------------------------------------------------------------

	get accounts(): SandboxAccount[] {
		return this.state.accounts();
	}

	account(ref: AccountRef = 'instagram'): SandboxAccount {
		return this.state.account(ref);
	}

	/** The primary flavour-A account. */
	get instagram(): InstagramLoginAccount {
		const acc = this.state.account('instagram');
		if (acc.flavour !== 'instagram') throw new Error('unreachable');
		return acc;
	}

	/** The primary flavour-B account. */
	get facebookPage(): FacebookPageAccount {
		const acc = this.state.account('facebookPage');
		if (acc.flavour !== 'facebookPage') throw new Error('unreachable');
		return acc;
	}

	addAccount(account: SandboxAccount): SandboxAccount {
		return this.state.addAccount(account);
	}

	/** Make a customer known to an account (so sends find the user) without opening the window. */
	addCustomer(customer: Customer, account: AccountRef = 'instagram'): Customer {
		return this.state.addCustomer(this.state.account(account).igUserId, customer);
	}

	conversation(
		customerId: string = SANDBOX_DEFAULTS.customer.id,
		account: AccountRef = 'instagram',
	): Conversation | undefined {
		return this.state.conversation(this.state.account(account).igUserId, customerId);
	}

	conversations(account?: AccountRef): Conversation[] {
		return this.state.listConversations(
			account === undefined ? undefined : this.state.account(account).igUserId,
		);
	}

	/** Register another Graph route (e.g. a later Graph area, or a one-off in a test). */
	addGraphRoute(route: GraphRoute): void {
		this.graph.addRoute(route);
	}

	// ---- posts, comments, uploaded attachments (private replies §3.14, uploads §3.4) -------------

	/** A published post or reel of the account (what Share Post may share). */
	addMedia(options: { id?: string; caption?: string; account?: AccountRef; at?: number } = {}): SandboxMedia {
		const accountId = this.state.account(options.account ?? 'instagram').igUserId;
		return this.state.addMedia({
			id: options.id,
			accountId,
			at: options.at ?? this.clock.now(),
			...(options.caption !== undefined ? { caption: options.caption } : {}),
		});
	}

	/**
	 * A person comments on a post of the account (no webhook is sent): the comment can then get one
	 * private reply within 7 days of `at`. The post and the commenter become known to the account.
	 */
	addComment(options: AddCommentOptions): SandboxComment {
		const accountId = this.state.account(options.account ?? 'instagram').igUserId;
		return this.state.addComment({
			id: options.id,
			accountId,
			mediaId: options.mediaId ?? this.addMedia({ account: accountId }).id,
			from: options.from ?? SANDBOX_DEFAULTS.customer.id,
			text: options.text,
			at: options.at ?? this.clock.now(),
			...(options.fromUsername !== undefined ? { fromUsername: options.fromUsername } : {}),
		});
	}

	comment(id: string): SandboxComment | undefined {
		return this.state.comment(id);
	}

	/** An attachment stored by `POST /{id}/message_attachments`, with its bytes for multipart uploads. */
	attachment(id: string): StoredAttachment | undefined {
		return this.state.attachment(id);
	}

	attachments(account?: AccountRef): StoredAttachment[] {
		return this.state.listAttachments(
			account === undefined ? undefined : this.state.account(account).igUserId,
		);
	}

	// ---- records ---------------------------------------------------------------------------------

	/** Accepted sends, oldest first. `accountId` may also be a flavour alias or Page id. */
	sent(filter: RecordFilter = {}): SentRecord[] {
		return this.state.sentRecords(this.resolveFilter(filter));
	}

	/** Rejected send attempts (with Meta's error), oldest first. */
	rejected(filter: RecordFilter = {}): RejectedRecord[] {
		return this.state.rejectedRecords(this.resolveFilter(filter));
	}

	/** Graph requests received (secrets redacted). */
	requests(filter: { since?: number; method?: string; path?: string | RegExp } = {}): RequestLogEntry[] {
		const re =
			filter.path === undefined
				? undefined
				: typeof filter.path === 'string'
					? new RegExp(filter.path)
					: filter.path;
		return this.state.requests.filter(
			(r) =>
				(filter.since === undefined || r.seq > filter.since) &&
				(filter.method === undefined || r.method === filter.method.toUpperCase()) &&
				(re === undefined || re.test(r.path)),
		);
	}

	/** Webhook deliveries made by the sandbox (events, echoes, verification GETs). */
	deliveries(): DeliveryLogEntry[] {
		return [...this.state.deliveries];
	}

	/** Resolves when `count` sent records match `filter` (already present ones count). */
	waitForSent(options: WaitForSentOptions = {}): Promise<SentRecord[]> {
		const { count = 1, timeoutMs = 10_000, ...filter } = options;
		return new Promise((resolve, reject) => {
			const waiter: Waiter = {
				check: () => {
					const matches = this.sent(filter);
					if (matches.length >= count) {
						finish();
						resolve(matches);
						return true;
					}
					if (!this.server) {
						finish();
						reject(new Error('sandbox stopped while waiting for sent messages'));
						return true;
					}
					return false;
				},
			};
			const timer = setTimeout(() => {
				finish();
				reject(
					new Error(
						`timed out after ${timeoutMs} ms waiting for ${count} sent message(s) matching ${JSON.stringify(filter)}; got ${this.sent(filter).length}`,
					),
				);
			}, timeoutMs);
			const finish = (): void => {
				clearTimeout(timer);
				this.waiters.delete(waiter);
			};
			this.waiters.add(waiter);
			waiter.check();
		});
	}

	/** Clears sent/rejected/requests/deliveries, conversations, runtime customers, faults and the clock. Keeps accounts and webhooks. */
	reset(): void {
		this.state.reset();
		this.faultRegistry.clear();
		this.clock.reset();
	}

	private resolveFilter(filter: RecordFilter): RecordFilter {
		if (filter.accountId === undefined) return filter;
		const acc = this.state.findAccount(filter.accountId);
		return { ...filter, accountId: acc?.igUserId ?? filter.accountId };
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

	// ---- webhooks ----------------------------------------------------------------------------

	/** Set the callback Meta posts to (default for all accounts, or for one account). */
	setWebhook(config: WebhookConfig, account?: AccountRef): void {
		this.state.setWebhook(config, account === undefined ? '*' : this.state.account(account).igUserId);
	}

	clearWebhook(account?: AccountRef): void {
		this.state.clearWebhook(account === undefined ? '*' : this.state.account(account).igUserId);
	}

	webhook(account?: AccountRef): WebhookConfig | undefined {
		return this.state.webhook(account === undefined ? undefined : this.state.account(account).igUserId);
	}

	/** The secret webhooks for this account are signed with. */
	webhookSecret(account: AccountRef = 'instagram'): string {
		return accountAppSecret(this.state.account(account));
	}

	/**
	 * POST a webhook payload as Meta does: serialized once (escaped unicode and slashes), signed
	 * over the exact bytes (`X-Hub-Signature-256`, plus legacy `X-Hub-Signature`). A string payload
	 * is sent byte-for-byte as given.
	 */
	async deliver(payload: object | string, opts: DeliverOptions = {}): Promise<DeliveryResult> {
		const account =
			this.state.findAccount(opts.account ?? accountIdOfPayload(payload) ?? 'instagram') ??
			this.state.account('instagram');
		// Through an app subscription Meta sends only the fields subscribed (an explicit callbackUrl
		// is a test delivering an exact body).
		const fields = opts.callbackUrl === undefined ? this.state.subscribedFields(account.igUserId) : undefined;
		if (fields !== undefined && typeof payload === 'object') {
			const kept = onlySubscribed(payload as JsonObject, fields, account.flavour);
			if (kept === undefined) {
				const reason = `no event is in a subscribed field (${fields.join(', ')})`;
				this.state.deliveries.push({
					seq: this.state.nextSeq(),
					at: this.clock.now(),
					kind: opts.kind ?? 'event',
					method: 'POST',
					url: this.state.webhook(account.igUserId)?.callbackUrl ?? '',
					signature: opts.signature ?? 'valid',
					body: metaJson(payload),
					notDelivered: reason,
				});
				return { status: 0, body: '', headers: {}, notDelivered: reason };
			}
			payload = kept;
		}
		const bodyText = typeof payload === 'string' ? payload : metaJson(payload);
		const callbackUrl = opts.callbackUrl ?? this.state.webhook(account.igUserId)?.callbackUrl;
		if (!callbackUrl) {
			throw new Error(
				'sandbox: no webhook callback configured — call setWebhook({ callbackUrl }) or pass callbackUrl',
			);
		}
		const mode = opts.signature ?? 'valid';
		const signed = signRequest(bodyText, opts.secret ?? accountAppSecret(account), mode);
		const log: DeliveryLogEntry = {
			seq: this.state.nextSeq(),
			at: this.clock.now(),
			kind: opts.kind ?? 'event',
			method: 'POST',
			url: callbackUrl,
			signature: mode,
			body: signed.body.toString('utf8'),
		};
		this.state.deliveries.push(log);
		try {
			const result = await httpRequest('POST', callbackUrl, {
				body: signed.body,
				headers: { ...signed.headers, ...opts.headers },
				timeoutMs: this.config.deliveryTimeoutMs,
			});
			log.status = result.status;
			return result;
		} catch (err) {
			log.error = err instanceof Error ? err.message : String(err);
			throw err;
		}
	}

	/**
	 * Meta's verification handshake against the callback. Accepts `(url?, token?)` or `({ callbackUrl, verifyToken })`.
	 * Defaults come from the configured webhook.
	 */
	async verifyCallback(
		callbackUrlOrOptions?:
			string | { callbackUrl?: string; verifyToken?: string; account?: AccountRef; mode?: string },
		verifyToken?: string,
	): Promise<VerifyResult> {
		const options =
			typeof callbackUrlOrOptions === 'object'
				? callbackUrlOrOptions
				: { callbackUrl: callbackUrlOrOptions, verifyToken };
		const configured = this.webhook(options.account);
		const url = options.callbackUrl ?? configured?.callbackUrl;
		if (!url) throw new Error('sandbox: no webhook callback configured');
		const token = options.verifyToken ?? configured?.verifyToken ?? '';
		const log: DeliveryLogEntry = {
			seq: this.state.nextSeq(),
			at: this.clock.now(),
			kind: 'verify',
			method: 'GET',
			url,
		};
		this.state.deliveries.push(log);
		try {
			const result = await verifyCallbackUrl(url, token, {
				mode: options.mode,
				timeoutMs: this.config.deliveryTimeoutMs,
			});
			log.status = result.status;
			return result;
		} catch (err) {
			log.error = err instanceof Error ? err.message : String(err);
			throw err;
		}
	}

	/**
	 * A customer DMs the business: records the inbound message (opening the window), builds the
	 * `messages` webhook and delivers it (unless `deliver: false`).
	 */
	async customerSays(opts: CustomerSaysOptions): Promise<CustomerSaysResult> {
		const account = this.state.account(opts.account ?? 'instagram');
		const from = opts.from ?? SANDBOX_DEFAULTS.customer.id;
		const at = opts.at ?? this.clock.now();
		const event = textMessageEvent({
			accountId: account.igUserId,
			customerId: from,
			text: opts.text,
			mid: opts.mid,
			timestamp: at,
		});
		if (opts.quickReplyPayload !== undefined && event.message)
			event.message.quick_reply = { payload: opts.quickReplyPayload };
		const mid = event.message?.mid ?? newMid();
		this.state.recordInbound(account.igUserId, from, { mid, at, text: opts.text });
		return this.deliverCustomerEvent(account.igUserId, from, event, at, opts);
	}

	/** A customer taps a postback button of a template (or an ice breaker): a `messaging_postbacks` webhook. */
	async customerTapsButton(opts: CustomerTapsButtonOptions): Promise<CustomerSaysResult> {
		const account = this.state.account(opts.account ?? 'instagram');
		const from = opts.from ?? SANDBOX_DEFAULTS.customer.id;
		const at = this.clock.now();
		const event = postbackEvent({
			accountId: account.igUserId,
			customerId: from,
			title: opts.title,
			payload: opts.payload,
			timestamp: at,
		});
		// A postback opens the 24-hour window like a message (§2.4); the thread shows the title.
		this.state.recordInbound(account.igUserId, from, {
			mid: event.postback?.mid ?? newMid(),
			at,
			text: opts.title,
		});
		return this.deliverCustomerEvent(account.igUserId, from, event, at, {});
	}

	private async deliverCustomerEvent(
		accountId: string,
		from: string,
		event: MessagingEvent,
		at: number,
		opts: Pick<CustomerSaysOptions, 'deliver' | 'signature' | 'callbackUrl'>,
	): Promise<CustomerSaysResult> {
		const account = this.state.account(accountId);
		// Under standby[] while another app (e.g. the Instagram Inbox) holds the thread (§2.7.16).
		const payload = envelopeByOwnership(
			this.state.threads,
			account,
			from,
			[event],
			Math.max(at, this.clock.now()),
		);
		if (opts.deliver === false) return { event, payload };
		const delivery = await this.deliver(payload, {
			account: account.igUserId,
			signature: opts.signature,
			callbackUrl: opts.callbackUrl,
		});
		return { event, payload, delivery };
	}

	// ---- conversation routing: the human side (§6) --------------------------------------------

	/** The app holding the thread with a customer (`null`: idle). */
	threadOwner(
		customerId: string = SANDBOX_DEFAULTS.customer.id,
		account: AccountRef = 'instagram',
	): string | null {
		return this.state.threads.owner(this.state.account(account), customerId);
	}

	/**
	 * A person in the Instagram Inbox is done: the inbox (or `byAppId`) hands the thread back to
	 * this app, which receives a `pass_thread_control` webhook. Resolves after that delivery.
	 */
	async inboxReleases(opts: InboxActionOptions = {}): Promise<ThreadChange> {
		const account = this.state.account(opts.account ?? 'instagram');
		const change = this.state.threads.pass(
			account,
			opts.customerId ?? SANDBOX_DEFAULTS.customer.id,
			opts.byAppId ?? INSTAGRAM_INBOX_APP_ID,
			appIdOf(account),
			opts.metadata,
			this.clock.now(),
		);
		await this.flush();
		return change;
	}

	/**
	 * A person in the Instagram Inbox takes the conversation over (e.g. answers it there): the
	 * thread moves to the inbox, this app receives `take_thread_control` and may no longer send.
	 */
	async inboxTakes(opts: InboxActionOptions = {}): Promise<ThreadChange> {
		const account = this.state.account(opts.account ?? 'instagram');
		const customerId = opts.customerId ?? SANDBOX_DEFAULTS.customer.id;
		const byApp = opts.byAppId ?? INSTAGRAM_INBOX_APP_ID;
		// The inbox acts with the business's authority: it may take from any app.
		const change = this.state.threads.force(
			account,
			customerId,
			'take',
			byApp,
			byApp,
			opts.metadata,
			this.clock.now(),
		);
		await this.flush();
		return change;
	}

	private sendHandover(change: ThreadChange, event: HandoverEvent): void {
		if (!this.state.webhook(change.accountId)) return;
		if (event.request_thread_control && change.byAppId === appIdOf(this.state.account(change.accountId)))
			return;
		const p: Promise<unknown> = new Promise<void>((resolve) => setImmediate(resolve))
			.then(() => this.deliver(envelopeFor(change.accountId, [event]), { account: change.accountId }))
			.catch(() => undefined)
			.finally(() => this.pending.delete(p));
		this.pending.add(p);
	}

	/** Wait for background deliveries (echo webhooks) to finish. */
	async flush(): Promise<void> {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
	}

	private onSent(record: SentRecord): void {
		for (const waiter of [...this.waiters]) waiter.check();
		if (this.config.echoes && record.messageId !== undefined) this.sendEcho(record, record.messageId);
	}

	private sendEcho(record: SentRecord, mid: string): void {
		if (!this.state.webhook(record.accountId)) return;
		const message = isJsonObject(record.body.message) ? record.body.message : {};
		const attachments: WebhookAttachment[] = [];
		const single = message.attachment;
		const plural = message.attachments;
		for (const a of [single, ...(Array.isArray(plural) ? plural : [])]) {
			if (isJsonObject(a) && isJsonObject(a.payload))
				attachments.push({ type: optString(a, 'type') ?? 'unknown', payload: a.payload });
		}
		const event = echoEvent({
			accountId: record.accountId,
			customerId: record.recipientId,
			mid,
			text: record.text,
			attachments: attachments.length > 0 ? attachments : undefined,
			timestamp: record.at,
		});
		// Meta sends the echo after answering the send request.
		const p: Promise<unknown> = new Promise<void>((resolve) => setImmediate(resolve))
			.then(() =>
				this.deliver(envelopeFor(record.accountId, [event]), { account: record.accountId, kind: 'echo' }),
			)
			.catch(() => undefined)
			.finally(() => this.pending.delete(p));
		this.pending.add(p);
	}
}

/** `entry[0].id` of a payload (object or JSON text), if any. */
function accountIdOfPayload(payload: object | string): string | undefined {
	let parsed: unknown = payload;
	if (typeof payload === 'string') {
		try {
			parsed = JSON.parse(payload);
		} catch {
			return undefined;
		}
	}
	if (!isJsonObject(parsed)) return undefined;
	const entry = parsed.entry;
	if (!Array.isArray(entry) || entry.length === 0) return undefined;
	const first = entry[0];
	if (!isJsonObject(first)) return undefined;
	const id = first.id;
	return typeof id === 'string' ? id : typeof id === 'number' ? String(id) : undefined;
}
