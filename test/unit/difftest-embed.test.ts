import { beforeAll, expect, test } from 'vitest';
import type { AgentEnvironment } from '../../src/core/agent/agent-run.ts';
import { codearcTasks, mokavTasks } from '../../src/data/difftest/index.ts';
import { registerAgentHandlers } from '../../src/embed/agent-handlers.ts';
import type { OutgoingMessage } from '../../src/embed/contract.ts';
import { embedHarness, type EmbedSend } from './helpers/embed-harness.ts';
import { createEmbedRegistry } from '../../src/embed/registry.ts';
import type { Runtime } from '../../src/core/runtime.ts';
import { useOpenAiServers } from '../fixtures/use-openai-servers.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';

// Both differential-testing presets on the embed's agent-run, through the real dispatcher, loop and
// Pyodide, with a scripted OpenAI server: a course page sends the hidden function, and nothing the
// page gets back (events, result, trace) carries it in play mode.

const host = 'https://host.example';
let runtime: NodeRuntime;
let send: EmbedSend;
const server = useOpenAiServers();
// The Python engine takes `fetch` away while user code runs (in the product that is the worker's, in Node
// this process's); the embed's providers use the global one, so it is put back after each Python call.
const nodeFetch = globalThis.fetch;

/** The runtime with `globalThis.fetch` restored after every Python call. */
function keepingFetch(rt: NodeRuntime): Runtime {
	const keep =
		<A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
		async (...a: A) => {
			try {
				return await f(...a);
			} finally {
				globalThis.fetch = nodeFetch;
			}
		};
	const py = rt.python;
	return {
		sql: rt.sql,
		python: {
			...py,
			run: keep(py.run.bind(py)),
			trace: keep(py.trace.bind(py)),
			runMany: keep(py.runMany.bind(py)),
			reset: keep(py.reset.bind(py))
		}
	};
}

beforeAll(async () => {
	runtime = await nodeRuntime({ python: true });
	globalThis.fetch = nodeFetch;
	const env: AgentEnvironment = {
		runtime: keepingFetch(runtime),
		async ensureDb() {},
		engines: async () => runtime.engines
	};
	const registry = createEmbedRegistry();
	registerAgentHandlers(registry, env);
	send = embedHarness(registry, host);
});

const resultOf = (replies: OutgoingMessage[]) =>
	replies.find((m) => m.type === 'result') as unknown as {
		ok: boolean;
		trace: { events: { type: string; value?: number }[] };
	};

test('codearc: the page gets the episode and its reward, never the hidden function', async () => {
	const task = codearcTasks.find((t) => t.id === 'codearc-run-length')!.task;
	const impl =
		'IMPLEMENTATION:\n```python\ndef run_length(s):\n    out = ""\n    i = 0\n    while i < len(s):\n        j = i\n        while j < len(s) and s[j] == s[i]:\n            j += 1\n        out += s[i] + str(j - i)\n        i = j\n    return out\n```';
	const s = await server([{ chunks: [impl] }]);
	const replies = await send({
		type: 'agent-run',
		id: 'd1',
		provider: { kind: 'openai', baseUrl: s.url, model: 'test-model' },
		preset: 'codearc',
		task
	});
	const result = resultOf(replies);
	expect(result.ok).toBe(true);
	expect(result.trace.events.filter((e) => e.type === 'reward').at(-1)).toMatchObject({ value: 1 });
	const hiddenLine = 'out.append(s[i] + str(j - i))';
	expect(task.codearc!.hidden).toContain(hiddenLine);
	expect(JSON.stringify(replies)).not.toContain(hiddenLine);
	expect(s.requests[0].rawBody).not.toContain(hiddenLine);
	expect(s.requests[0].rawBody).toContain('Result 1: a3b1');
});

test('mokav: a difference-exposing test found through agent-run', async () => {
	const task = mokavTasks.find((t) => t.id === 'mokav-is-leap')!.task;
	const s = await server([{ chunks: ["{'inputdata': 2000}"] }]);
	const replies = await send({
		type: 'agent-run',
		id: 'd2',
		provider: { kind: 'openai', baseUrl: s.url, model: 'test-model' },
		preset: 'mokav',
		task
	});
	const events = resultOf(replies).trace.events;
	expect(events.filter((e) => e.type === 'reward')).toMatchObject([
		{ value: 1, components: { found: true, originalOutput: 'False', patchedOutput: 'True' } }
	]);
});
