import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startOpenAiServer, type ScriptedServer } from '../fixtures/index.ts';
import { twoTaskHumanEvalPack } from '../fixtures/two-task-humaneval.ts';
import { OpenAiProvider } from '../../src/core/providers/openai.ts';
import type { SampleVerdict, TaskPack } from '../../src/core/eval/pack.ts';
import { cutAtStops, humanEvalStops } from '../../src/core/eval/batch/generate.ts';
import { sampleTraceId } from '../../src/core/eval/batch/sample-trace-id.ts';
import type { BatchSource } from '../../src/core/eval/batch/types.ts';
import { emptyQuery, queryHistory } from '../../src/core/history/query.ts';
import { traceFromEvents } from '../../src/core/trace/trace.ts';
import { readTraceRecord, traceToV2, type TraceV2 } from '../../src/core/trace/trace-v2.ts';
import { createEvalPool, startEvalRun } from '../../src/runtime/eval-pool.ts';
import { createSampleTraceWriter } from '../../src/runtime/sample-trace-writer.ts';
import {
	createTraceStore,
	type FinishedRun,
	type TraceStore
} from '../../src/runtime/trace-store.ts';
import type { PythonEngine } from '../../workers/python-engine.ts';
import { loadNodePython, pythonRuntimeOf } from './helpers/node-runtime.ts';

// A model-sourced batch run keeps each sample's model call as a trace in the history store (the
// real trace store on an in-memory IndexedDB): the request as sent, the reply as the scripted
// OpenAI-compatible server streamed it over real HTTP, the answer cut from it and the verdict as
// the final reward, under an id made of the eval run's id, the task and the sample index.

const pack = twoTaskHumanEvalPack('ours-traced');

// Taken before the engine loads: the Python engine removes the network globals of this realm.
const nodeFetch = globalThis.fetch.bind(globalThis);

let engine: PythonEngine;
let server: ScriptedServer | undefined;
beforeAll(async () => {
	engine = await loadNodePython();
}, 120_000);
afterAll(async () => server?.close());

const pool = () => createEvalPool({ workers: 2, createPython: () => pythonRuntimeOf(engine) });

/** The saved trace of a sample, read back as History reads it and validated as an import is. */
async function savedTrace(store: TraceStore, runId: string, s: SampleVerdict): Promise<TraceV2> {
	const id = sampleTraceId(runId, s.taskId, s.index);
	const entry = await store.entry(id);
	const events = await store.events(id);
	expect(entry, id).not.toBeNull();
	const trace = traceToV2(traceFromEvents(events), entry?.v2 ?? {});
	return readTraceRecord(JSON.parse(JSON.stringify(trace)));
}

describe('sample traces of a model source', () => {
	test('completion preset: one trace per sample with the request, the reply and the verdict, found by the eval run id', async () => {
		// Ours/0: the reply runs on into a second def (cut by the stops) and passes; Ours/1: one
		// right reply, one wrong one.
		let inc = 0;
		const good = '    return n + 1\n';
		server = await startOpenAiServer((req) => {
			const prompt = String(req.body?.prompt ?? '');
			if (prompt.startsWith('def add'))
				return { chunks: ['    return a + b\n', '\ndef more():\n    pass\n'], honorStop: false };
			return { chunks: [inc++ === 0 ? good : '    return n\n'] };
		});
		const provider = new OpenAiProvider({ baseUrl: server.url, model: 'm', fetch: nodeFetch });
		const store = createTraceStore('traces-completion');
		const source: BatchSource = {
			kind: 'model',
			provider: { kind: 'openai', model: 'm', apiKey: 'sk-secret' },
			preset: 'completion',
			n: 2,
			sampling: { temperature: 0.5 }
		};
		const handle = startEvalRun(
			{ pack, source, options: { k: [1] }, persist: false },
			{ pool: pool(), provider, traces: async () => store }
		);
		const result = await handle.result;
		expect(result.samples.map((s) => s.passed)).toEqual([true, true, true, false]);

		// One trace per sample, each listed with the eval run's id and found by searching for it.
		const entries = await store.list();
		const ofRun = entries.filter((e) => e.source.evalRun === handle.id);
		expect(ofRun).toHaveLength(4);
		expect(queryHistory(entries, { ...emptyQuery, text: handle.id })).toHaveLength(4);
		expect(ofRun.map((e) => e.title).sort()).toEqual([
			'Ours · Ours/0 · sample 0',
			'Ours · Ours/0 · sample 1',
			'Ours · Ours/1 · sample 0',
			'Ours · Ours/1 · sample 1'
		]);
		expect(ofRun.every((e) => e.source.kind === 'eval' && e.preset === 'eval-completion')).toBe(
			true
		);

		const sent = server.requests.map((r) => r.body);
		for (const s of result.samples) {
			const trace = await savedTrace(store, handle.id, s);
			const problem = pack.format === 'humaneval' ? pack.problems : [];
			const prompt = problem.find((p) => p.task_id === s.taskId)!.prompt;
			// The request: the raw prompt, the Codex stops and the sampling exactly as sent.
			expect(trace.header).toMatchObject({
				presetId: 'eval-completion',
				mode: 'completion',
				prompt: { completion: prompt },
				provider: { kind: 'openai', model: 'm' },
				sampling: { temperature: 0.5 }
			});
			expect(trace.header.task).toMatchObject({ id: s.taskId, entryPoint: expect.any(String) });
			const request = sent.find((b) => b.prompt === prompt);
			expect(request).toMatchObject({ prompt, temperature: 0.5, stop: expect.any(Array) });
			const call = trace.events.find((e) => e.type === 'call');
			expect(call).toMatchObject({ type: 'call', stop: humanEvalStops });
			// The reply as streamed, the answer cut from it, the verdict as the final reward.
			const text = trace.events.find((e) => e.type === 'text');
			const answer = trace.events.find((e) => e.type === 'answer');
			const reply = text?.type === 'text' ? text.text : '';
			expect(answer).toMatchObject({ code: cutAtStops(reply, humanEvalStops), raw: reply });
			if (s.taskId === 'Ours/0') expect(reply).toBe('    return a + b\n\ndef more():\n    pass\n');
			else expect(reply === good).toBe(s.passed);
			expect(trace.outcome).toMatchObject({
				reason: 'answer',
				reward: s.passed ? 1 : 0,
				turns: 1,
				components: { passed: s.passed, result: s.result, metric: 'humaneval' }
			});
			expect(trace.parameters).toMatchObject({
				evalRun: handle.id,
				taskId: s.taskId,
				sample: s.index,
				pack: { id: pack.id }
			});
			expect(JSON.stringify(trace)).not.toContain('sk-secret');
		}
	});

	test('chat preset: the one message sent and the whole reply are kept; the fenced block is the answer', async () => {
		await server?.close();
		server = await startOpenAiServer(() => ({
			chunks: ['Sure:\n```python\ndef add(a, b):\n', '    return a + b\n```\nDone.']
		}));
		const provider = new OpenAiProvider({ baseUrl: server.url, model: 'm', fetch: nodeFetch });
		const store = createTraceStore('traces-chat');
		const one: TaskPack = {
			...pack,
			problems: pack.format === 'humaneval' ? [pack.problems[0]] : []
		};
		const handle = startEvalRun(
			{
				pack: one,
				source: { kind: 'model', provider: { kind: 'openai', model: 'm' }, preset: 'chat', n: 1 },
				persist: false
			},
			{ pool: pool(), provider, traces: async () => store }
		);
		const [s] = (await handle.result).samples;
		const trace = await savedTrace(store, handle.id, s);
		const content = String(server.requests[0].body?.messages?.[0]?.content);
		expect(trace.header).toMatchObject({ presetId: 'eval-chat', mode: 'chat' });
		expect(trace.header.prompt.user).toBe(content);
		expect(trace.events.find((e) => e.type === 'call')).toMatchObject({ messages: 1 });
		expect(trace.events.find((e) => e.type === 'answer')).toMatchObject({
			code: 'def add(a, b):\n    return a + b\n',
			raw: 'Sure:\n```python\ndef add(a, b):\n    return a + b\n```\nDone.'
		});
		expect(trace.outcome.reward).toBe(1);
	});

	test('a run without a trace store, or of predictions, saves no traces', async () => {
		const store = createTraceStore('traces-none');
		const handle = startEvalRun(
			{ pack, source: { kind: 'reference' }, persist: false },
			{ pool: pool(), traces: async () => store }
		);
		expect((await handle.result).samples).toHaveLength(2);
		expect(await store.list()).toEqual([]);
	});
});

describe('sample trace writer', () => {
	const run = (i: number): FinishedRun => ({
		id: `r${i}`,
		title: `r${i}`,
		events: [],
		source: { kind: 'eval', evalRun: 'x' }
	});

	test('writes many traces to a call, and keeps a refused batch to write again with the next', async () => {
		const calls: string[][] = [];
		let refuse = true;
		const writer = createSampleTraceWriter(
			async () => ({
				async saveRuns(runs) {
					calls.push(runs.map((r) => r.id));
					if (refuse) return { ok: false, quota: true, message: 'full' };
					return { ok: true };
				}
			}),
			{ batch: 200, delayMs: 60_000 }
		);
		for (let i = 0; i < 450; i++) writer.add(run(i));
		await writer.flush();
		// Two full batches went out as they filled, the rest on flush; all three were refused.
		expect(calls.map((c) => c.length)).toEqual([200, 200, 50]);
		refuse = false;
		await writer.flush();
		const saved = calls.slice(3).flat();
		expect(saved.sort()).toEqual(Array.from({ length: 450 }, (_, i) => `r${i}`).sort());
		expect(calls.slice(3).every((c) => c.length <= 200)).toBe(true);
	});
});
