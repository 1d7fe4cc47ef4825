/**
 * The automation disclosure decided across executions that run at the same time (two workers in
 * queue mode, or several on one), each with the copy of the workflow's static data it loaded —
 * n8n saves that copy whole at the end, the last one over the others. The decision is shared
 * through n8n's processed-data store (in memory here, as n8n's behaves).
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { GRAPH_API_VERSION } from '../../../nodes/InstagramMessaging/transport/constants';
import {
	actionNode,
	CUSTOMER,
	GRAPH,
	instagramLoginCredentials,
	runWorkflow,
	useProcessedDataStore,
} from '../harness';
import { inbound } from './messageHelpers';

const DISCLOSURE = "You're chatting with an automated assistant.";
const HOUR = 3_600_000;
const OTHER_CUSTOMER = '17840000000000999';

const store = useProcessedDataStore();

/** Every Send API body, in order. */
function recordSends(): Array<{ recipient?: { id?: string }; message?: { text?: string } }> {
	const bodies: Array<{ recipient?: { id?: string }; message?: { text?: string } }> = [];
	nock(GRAPH)
		.post(`/${GRAPH_API_VERSION}/me/messages`)
		.times(50)
		.reply(200, (_uri, body) => {
			bodies.push(body as (typeof bodies)[number]);
			return { recipient_id: CUSTOMER, message_id: `m_${bodies.length}` };
		});
	return bodies;
}
afterEach(() => {
	nock.cleanAll();
	jest.restoreAllMocks();
});

interface RunOptions {
	writtenBy?: string;
	to?: string;
	/** The copy of the static data the execution starts from (default: the saved one). */
	loaded?: IDataObject;
	/** Fields of the trigger item, over a message's. */
	event?: Record<string, unknown>;
	/** The disclosure as a message of its own. */
	separate?: boolean;
}

const refuseNextSend = () =>
	nock(GRAPH)
		.post(`/${GRAPH_API_VERSION}/me/messages`)
		.reply(400, { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 } });

/** The workflow's static data as n8n keeps it: loaded at an execution's start, saved whole at its end. */
class SavedStaticData {
	private saved: IDataObject = {};
	private executions = 0;

	/** One execution of the Send Text node; `loaded` is the copy it started from (default: the saved one). */
	async run(text: string, options: RunOptions = {}) {
		const { json, failure } = await this.attempt(text, options);
		if (failure) throw failure;
		return json!;
	}

	/** The same run, whose failure is returned (its static data is not saved). */
	async attempt(text: string, options: RunOptions = {}) {
		const copy = options.loaded ?? this.load();
		const to = options.to ?? CUSTOMER;
		const { output, error } = await runWorkflow({
			nodes: [
				actionNode({
					resource: 'message',
					operation: 'sendText',
					recipientId: to,
					text,
					discloseAutomation: true,
					disclosureOptions: options.separate ? { separate: true } : {},
					writtenBy: options.writtenBy ?? 'bot',
				}),
			],
			credentials: instagramLoginCredentials,
			input: [inbound(60_000, to, options.event)],
			staticData: copy,
			mode: 'webhook',
			executionId: `exec-${++this.executions}`,
		});
		const failure = error('Instagram Messaging');
		if (failure) return { failure };
		this.saved = copy;
		return { json: output('Instagram Messaging')[0]!.json };
	}

	/** Two executions at once, each from its own copy of the saved static data: their reasons, sorted. */
	async together(first: string, second: string): Promise<unknown[]> {
		const [a, b] = [this.load(), this.load()];
		const results = await Promise.all([this.run(first, { loaded: a }), this.run(second, { loaded: b })]);
		return results.map((r) => r.disclosed).sort();
	}

	load(): IDataObject {
		return JSON.parse(JSON.stringify(this.saved)) as IDataObject;
	}

	/** Moves every recorded time of the conversations back. */
	age(byMs: number): void {
		const threads = ((this.saved.global ?? {}) as IDataObject).instagramDisclosure as
			Record<string, Record<string, number>> | undefined;
		for (const thread of Object.values(threads ?? {}))
			for (const key of Object.keys(thread)) thread[key] -= byMs;
	}
}

const texts = (bodies: ReturnType<typeof recordSends>, to = CUSTOMER) =>
	bodies.filter((b) => (b.recipient?.id ?? CUSTOMER) === to).map((b) => b.message?.text);

describe('automation disclosure across executions at the same time', () => {
	it('two executions that loaded the same static data make one disclosure, not one each', async () => {
		const bodies = recordSends();
		const workflow = new SavedStaticData();
		expect(await workflow.together('Hi!', 'Hi again!')).toEqual(['firstMessage', null]);
		expect(texts(bodies).filter((t) => t?.startsWith(DISCLOSURE))).toHaveLength(1);
		// And the next execution, from whichever copy was saved last, does not disclose again.
		expect((await workflow.run('Anything else?')).disclosed).toBeNull();
	});

	it("a person's turn overwritten by a concurrent execution's copy still makes the next bot message disclose", async () => {
		const bodies = recordSends();
		const workflow = new SavedStaticData();
		await workflow.run('Hi!');
		// Another conversation's execution started before the person's reply was saved, and saves after it.
		const stale = workflow.load();
		await workflow.run('Jane here, from the shop.', { writtenBy: 'human' });
		await workflow.run('Hello to someone else', { to: OTHER_CUSTOMER, loaded: stale });
		const next = await workflow.run('Anything else I can do?');
		expect(next.disclosed).toBe('afterHuman');
		expect(texts(bodies)).toEqual([
			`${DISCLOSURE}\n\nHi!`,
			'Jane here, from the shop.',
			`${DISCLOSURE}\n\nAnything else I can do?`,
		]);
		expect((await workflow.run('One more thing')).disclosed).toBeNull();
	});

	it("a person's turn undone by another process's stale write to the store is released again", async () => {
		recordSends();
		const workflow = new SavedStaticData();
		await workflow.run('Hi!');
		// The release's first write is overwritten by a writer that read the row before it.
		store.loseNextWrites(1);
		await workflow.run('Jane here.', { writtenBy: 'human' });
		expect((await workflow.run('Back to the assistant')).disclosed).toBe('afterHuman');
	});

	it('two executions after the lapse, from the same record, make one disclosure', async () => {
		const bodies = recordSends();
		const workflow = new SavedStaticData();
		await workflow.run('Hi!');
		workflow.age(25 * HOUR);
		expect(await workflow.together('A day later', 'A day later, again')).toEqual(['afterLapse', null]);
		expect(texts(bodies).filter((t) => t?.startsWith(DISCLOSURE))).toHaveLength(2);
	});

	it("conversations are apart: one customer's disclosure is not another's", async () => {
		recordSends();
		const workflow = new SavedStaticData();
		expect((await workflow.run('Hi!')).disclosed).toBe('firstMessage');
		expect((await workflow.run('Hi!', { to: OTHER_CUSTOMER })).disclosed).toBe('firstMessage');
	});

	it('one execution sending twice to the customer (a second node, a loop, after a wait) discloses once', async () => {
		const bodies = recordSends();
		const send = (name: string, text: string) => ({
			...actionNode({
				resource: 'message',
				operation: 'sendText',
				recipientId: CUSTOMER,
				text,
				discloseAutomation: true,
				windowOptions: { lastCustomerMessageAt: Date.now() - 60_000 },
			}),
			id: name,
			name,
		});
		const { error } = await runWorkflow({
			nodes: [send('First', 'Hi!'), send('Second', 'Anything else?')],
			connections: { First: { main: [[{ node: 'Second', type: 'main', index: 0 }]] } },
			credentials: instagramLoginCredentials,
			input: [inbound()],
			staticData: {},
			mode: 'webhook',
		});
		expect(error('First') ?? error('Second')).toBeUndefined();
		expect(texts(bodies)).toEqual([`${DISCLOSURE}\n\nHi!`, 'Anything else?']);
	});

	it('a bot message that Meta refused leaves the disclosure to the next one', async () => {
		refuseNextSend();
		const workflow = new SavedStaticData();
		const { failure } = await workflow.attempt('Hi!');
		expect(failure?.message).toBe('Meta rejected a parameter of the request');
		const bodies = recordSends();
		expect((await workflow.run('Hi, again!')).disclosed).toBe('firstMessage');
		expect(texts(bodies)).toEqual([`${DISCLOSURE}\n\nHi, again!`]);
	});

	it('a conversation the static data no longer holds is disclosed again after two lapse periods, not never', async () => {
		recordSends();
		const workflow = new SavedStaticData();
		expect((await workflow.run('Hi!')).disclosed).toBe('firstMessage');
		// Its record dropped (the 5,000 most recent are kept; another execution's save can drop one):
		// within the same lapse period the ledger still counts the conversation as disclosed.
		expect((await workflow.run('Still there?', { loaded: {} })).disclosed).toBeNull();
		// Disclosed lately: this lapse period of 24 h or the one before.
		jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 49 * HOUR);
		expect((await workflow.run('Back two days later', { loaded: {} })).disclosed).toBe('afterLapse');
	});

	it("a new conversation's executions on both sides of a lapse period's boundary make one disclosure", async () => {
		recordSends();
		const workflow = new SavedStaticData();
		const boundary = (Math.floor(Date.now() / (24 * HOUR)) + 1) * 24 * HOUR;
		const clock = jest.spyOn(Date, 'now').mockReturnValue(boundary - 10);
		expect((await workflow.run('Hi!', { loaded: {} })).disclosed).toBe('firstMessage');
		clock.mockReturnValue(boundary + 10);
		expect((await workflow.run('Hi again!', { loaded: {} })).disclosed).toBeNull();
	});

	it("a person's turn the store could not release still makes the next bot message disclose, once", async () => {
		const bodies = recordSends();
		const workflow = new SavedStaticData();
		await workflow.run('Hi!');
		store.failingRemovals = 3; // every attempt of the release's first pass
		await workflow.run('Jane here.', { writtenBy: 'human' });
		expect(await workflow.together('Back to the assistant', 'Anything else?')).toEqual(['afterHuman', null]);
		expect(texts(bodies).filter((t) => t?.startsWith(DISCLOSURE))).toHaveLength(2);
	});

	it('a reply to a hand-back that Meta refused leaves the disclosure to the next message', async () => {
		recordSends();
		const workflow = new SavedStaticData();
		await workflow.run('Hi!');
		nock.cleanAll();
		refuseNextSend();
		const handBack = { eventType: 'handover_take', handover: {} };
		expect((await workflow.attempt('I am back.', { event: handBack })).failure).toBeDefined();
		const bodies = recordSends();
		expect((await workflow.run('Anything else?')).disclosed).toBe('afterHuman');
		expect(texts(bodies)).toEqual([`${DISCLOSURE}\n\nAnything else?`]);
	});

	it('a disclosure sent as its own message stays made when the message after it fails', async () => {
		const sent: string[] = [];
		nock(GRAPH)
			.post(`/${GRAPH_API_VERSION}/me/messages`)
			.reply(200, (_uri, body) => {
				sent.push(String((body as { message?: { text?: string } }).message?.text));
				return { recipient_id: CUSTOMER, message_id: 'm_notice' };
			});
		refuseNextSend();
		const workflow = new SavedStaticData();
		expect((await workflow.attempt('Hi!', { separate: true })).failure).toBeDefined();
		expect(sent).toEqual([DISCLOSURE]);
		const bodies = recordSends();
		expect((await workflow.run('Hi, again!', { separate: true })).disclosed).toBeNull();
		expect(texts(bodies)).toEqual(['Hi, again!']);
	});
});
