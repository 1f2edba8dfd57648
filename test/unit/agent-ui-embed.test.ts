import { beforeAll, expect, test } from 'vitest';
import type { AgentEnvironment } from '../../src/core/agent/agent-run.ts';
import type { AgentEvent } from '../../src/core/trace/events.ts';
import { traceSchema, type Trace } from '../../src/core/trace/trace.ts';
import { registerAgentHandlers } from '../../src/embed/agent-handlers.ts';
import type { OutgoingMessage } from '../../src/embed/contract.ts';
import { embedHarness, type EmbedSend } from './helpers/embed-harness.ts';
import { createEmbedRegistry } from '../../src/embed/registry.ts';
import { useOpenAiServers } from '../fixtures/use-openai-servers.ts';
import { choirBytes, choirFacts } from '../fixtures/choir-db.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';

// agent-run / stop through the real dispatcher, the real loop, real sql.js and a scripted
// OpenAI server over HTTP (the browser version is test/e2e/agent-embed.e2e.test.ts).

const host = 'https://host.example';
let runtime: NodeRuntime;
let send: EmbedSend;
const server = useOpenAiServers();
const task = {
	question: 'Wie viele Sänger haben wir?',
	db: choirFacts.db,
	gold: 'SELECT count(*) FROM sänger'
};
const happy = [
	{ chunks: ['<think>Zähle die ', 'Sänger.</think>\n<sql>SELECT count(*) ', 'FROM sänger</sql>'] },
	{ chunks: ['<think>6 singers.</think>\n<solution>SELECT count(*) FROM sänger</solution>'] }
];

beforeAll(async () => {
	runtime = await nodeRuntime();
	runtime.sqlEngine.open(choirFacts.db, await choirBytes());
	const env: AgentEnvironment = {
		runtime,
		async ensureDb(db) {
			if (!runtime.sqlEngine.list().includes(db)) throw new Error(`no database ${db}`);
		},
		engines: async () => runtime.engines
	};
	const registry = createEmbedRegistry();
	registerAgentHandlers(registry, env);
	send = embedHarness(registry, host);
});

const eventsOf = (replies: OutgoingMessage[]) =>
	replies.filter((m) => m.type === 'event').map((m) => (m as { event: AgentEvent }).event);
const resultOf = (replies: OutgoingMessage[]) => {
	const results = replies.filter((m) => m.type === 'result');
	expect(results).toHaveLength(1);
	return results[0] as Record<string, unknown> & { trace?: Trace; error?: { type: string } };
};

test('agent-run streams every loop event, then a result whose trace is those events', async () => {
	const s = await server(happy);
	const replies = await send({
		type: 'agent-run',
		id: 'a1',
		provider: { kind: 'openai', baseUrl: s.url, model: 'test-model' },
		preset: 'skyrl-sql',
		mode: 'completion',
		task
	});
	const events = eventsOf(replies);
	expect(replies.at(-1)!.type).toBe('result');
	expect(replies.every((m) => m.id === 'a1' && m.execlab === 1)).toBe(true);
	expect(events.map((e) => e.type)).toEqual(
		expect.arrayContaining(['start', 'call', 'text', 'action', 'observation', 'answer', 'reward'])
	);
	expect(events.find((e) => e.type === 'observation')).toMatchObject({ status: 'ok' });
	expect((events.find((e) => e.type === 'observation') as { text: string }).text).toContain(
		'<observation> 0\n 6\n'
	);
	const result = resultOf(replies);
	expect(result).toMatchObject({ ok: true, stopReason: 'answer', reward: 1 });
	const trace = traceSchema.parse(result.trace);
	expect(trace.header.presetId).toBe('skyrl-sql');
	expect(trace.header.provider).toEqual({ kind: 'openai', model: 'test-model' });
	expect(trace.events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
	expect(s.requests.map((r) => r.path)).toEqual(['/v1/completions', '/v1/completions']);

	// The same trace, given back as provider.trace, replays to the same actions and reward.
	const again = await send({
		type: 'agent-run',
		id: 'a2',
		provider: { kind: 'replay', trace },
		preset: 'skyrl-sql',
		mode: 'completion',
		task
	});
	const replayed = resultOf(again);
	expect(replayed).toMatchObject({ ok: true, reward: 1 });
	const actions = (t: Trace) => t.events.filter((e) => e.type === 'action').map((e) => e.code);
	expect(actions(replayed.trace!)).toEqual(actions(trace));
});

test('replay from provider.turns needs no server', async () => {
	const replies = await send({
		type: 'agent-run',
		id: 'r1',
		provider: { kind: 'replay', turns: happy.map((h) => ({ text: h.chunks.join('') })) },
		preset: 'skyrl-sql',
		task
	});
	expect(resultOf(replies)).toMatchObject({ ok: true, reward: 1, stopReason: 'answer' });
});

test('stop with the agent-run id ends it: the run answers with a trace ending in stop/user', async () => {
	const s = await server([{ chunks: ['<think>', 'slowly'], end: 'hang' }]);
	const run = send({
		type: 'agent-run',
		id: 'slow',
		provider: { kind: 'openai', baseUrl: s.url, model: 'test-model' },
		preset: 'skyrl-sql',
		task
	});
	while (s.requests.length === 0) await new Promise((r) => setTimeout(r, 20));
	const stopReplies = await send({ type: 'stop', id: 'slow' });
	expect(stopReplies).toEqual([]);
	const result = resultOf(await run);
	expect(result).toMatchObject({ ok: true, stopReason: 'user' });
	expect(result.trace!.events.at(-1)).toMatchObject({ type: 'stop', reason: 'user' });
	expect(await s.requests[0].outcome).toBe('client-closed');

	const late = resultOf(await send({ type: 'stop', id: 'slow' }));
	expect(late).toMatchObject({ ok: false, error: { type: 'NotRunning' } });
});

test('a provider failure is ok:false with the doctor’s words and fixes', async () => {
	const s = await server([{ status: 401, error: { message: 'bad key' } }]);
	const result = resultOf(
		await send({
			type: 'agent-run',
			id: 'e1',
			provider: { kind: 'openai', baseUrl: s.url, model: 'test-model', apiKey: 'sk-secret-123' },
			preset: 'skyrl-sql',
			task
		})
	);
	expect(result).toMatchObject({ ok: false, stopReason: 'error', error: { type: 'auth' } });
	expect((result.error as { fixes?: string[] }).fixes?.length).toBeGreaterThan(0);
	expect(JSON.stringify(result)).not.toContain('sk-secret-123');
});

test('malformed agent-run messages get ok:false with a readable error', async () => {
	const cases: [Record<string, unknown>, RegExp][] = [
		[{ type: 'agent-run', id: 'm1', preset: 'skyrl-sql', task }, /provider/],
		[
			{
				type: 'agent-run',
				id: 'm2',
				provider: { kind: 'openai', model: 'x' },
				preset: 'nope',
				task
			},
			/preset/
		],
		[
			{
				type: 'agent-run',
				id: 'm3',
				provider: { kind: 'replay', turns: [], trace: {} },
				preset: 'skyrl-sql',
				task
			},
			/exactly one of turns or trace/
		],
		[
			{
				type: 'agent-run',
				id: 'm4',
				provider: { kind: 'openai', model: 'x', baseUrl: 'ftp://x' },
				preset: 'skyrl-sql',
				task
			},
			/http/
		],
		[
			{
				type: 'agent-run',
				id: 'm5',
				provider: { kind: 'replay', turns: [] },
				preset: 'python-feedback',
				task
			},
			/python tasks, not a sql task/
		],
		[
			{
				type: 'agent-run',
				id: 'm6',
				provider: { kind: 'replay', turns: [] },
				preset: 'skyrl-sql',
				task: { question: 'q', db: 'missing' }
			},
			/missing/
		],
		[
			{
				type: 'agent-run',
				id: 'm7',
				provider: { kind: 'replay', trace: { format: 'nope' } },
				preset: 'skyrl-sql',
				task
			},
			/Not an ExecLab trace/
		],
		[
			{
				type: 'agent-run',
				id: 'm8',
				provider: { kind: 'openai', model: 'x' },
				preset: 'fenced',
				task: {}
			},
			/task/
		]
	];
	for (const [message, pattern] of cases) {
		const result = resultOf(await send(message));
		expect(result.ok, JSON.stringify(message)).toBe(false);
		expect(JSON.stringify(result.error)).toMatch(pattern);
	}
});
