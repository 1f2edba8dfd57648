import { describe, expect, test } from 'vitest';
import { ReplayProvider } from '../../src/core/providers/replay.ts';
import { ManualProvider } from '../../src/core/providers/manual.ts';
import { OpenAiChunkAssembler } from '../../src/core/providers/openai-chunks.ts';
import { detectWebGpu } from '../../src/core/providers/webgpu.ts';
import { WebLlmProvider } from '../../src/core/providers/webllm.ts';
import { createProvider } from '../../src/core/providers/index.ts';
import type { GenerateRequest, StreamChunk } from '../../src/core/providers/types.ts';
import { withDeadline } from '../deadline.ts';
import { collect, failure, textOf } from './provider-helpers.ts';

const chat = (signal?: AbortSignal): GenerateRequest => ({
	mode: 'chat',
	messages: [{ role: 'user', content: 'q' }],
	signal
});

describe('replay provider', () => {
	test('plays recorded turns in order, chunks and tool calls as recorded', async () => {
		const replay = new ReplayProvider({
			turns: [
				{ chunks: ['<sql>SELECT', ' 1</sql>'] },
				{ text: '<solution>1</solution>', usage: { promptTokens: 5, completionTokens: 4 } },
				{ toolCalls: [{ id: 'c1', name: 'submit', arguments: '{"answer":"1"}' }] }
			]
		});
		expect(await collect(replay, chat())).toEqual([
			{ type: 'text', text: '<sql>SELECT' },
			{ type: 'text', text: ' 1</sql>' },
			{ type: 'done', finishReason: 'stop', usage: undefined }
		]);
		const second = await collect(replay, chat());
		expect(textOf(second)).toBe('<solution>1</solution>');
		expect(second.at(-1)).toEqual({
			type: 'done',
			finishReason: 'stop',
			usage: { promptTokens: 5, completionTokens: 4 }
		});
		expect((await collect(replay, chat())).slice(0, 1)).toEqual([
			{ type: 'tool-call', call: { id: 'c1', name: 'submit', arguments: '{"answer":"1"}' } }
		]);
		expect(replay.requests).toHaveLength(3);
		expect(replay.remaining).toBe(0);
		expect((await failure(replay, chat())).error.message).toContain('no turn #4');
	});

	test('pacing streams text at about the given speed, in word-sized pieces', async () => {
		const text = 'SELECT name FROM singer WHERE age > 30 ORDER BY name'; // 52 chars
		const replay = new ReplayProvider({ turns: [{ text }], charsPerSecond: 200 });
		const started = Date.now();
		const chunks = await collect(replay, chat());
		const elapsed = Date.now() - started;
		expect(textOf(chunks)).toBe(text);
		expect(chunks.filter((c) => c.type === 'text').length).toBeGreaterThan(5);
		expect(elapsed).toBeGreaterThanOrEqual(230); // 52 / 200 s = 260 ms, minus timer slack
	});

	test('a paced replay stops promptly on abort', async () => {
		const replay = new ReplayProvider({ turns: [{ text: 'x '.repeat(500) }], charsPerSecond: 50 });
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 150);
		const { error, chunks } = await withDeadline(
			failure(replay, chat(controller.signal)),
			'aborted replay'
		);
		expect(error.kind).toBe('aborted');
		// The whole turn is 500 pieces over 20 s: stopped long before its end.
		expect(chunks.length).toBeLessThan(20);
	});
});

describe('manual provider', () => {
	test('generate waits for the person; the UI sees the pending request', async () => {
		const manual = new ManualProvider();
		const seen: (GenerateRequest | null)[] = [];
		manual.onPending((p) => seen.push(p));
		const request = chat();
		const result = collect(manual, request);
		await new Promise((ok) => setTimeout(ok, 20));
		expect(manual.pending).toBe(request);
		manual.submit('<sql>SELECT 2</sql>');
		expect(await result).toEqual([
			{ type: 'text', text: '<sql>SELECT 2</sql>' },
			{ type: 'done', finishReason: 'stop' }
		]);
		expect(manual.pending).toBeNull();
		expect(seen).toEqual([request, null]);
	});

	test('a turn typed before it is asked for is queued', async () => {
		const manual = new ManualProvider();
		manual.submit({
			toolCalls: [{ id: 'm1', name: 'run_sql', arguments: '{"query":"SELECT 1"}' }]
		});
		const chunks = await collect(manual, chat());
		expect(chunks).toEqual([
			{ type: 'tool-call', call: { id: 'm1', name: 'run_sql', arguments: '{"query":"SELECT 1"}' } },
			{ type: 'done', finishReason: 'tool_calls' }
		]);
	});

	test('Stop while waiting rejects as aborted and clears the pending request', async () => {
		const manual = new ManualProvider();
		const controller = new AbortController();
		const pending = failure(manual, chat(controller.signal));
		await new Promise((ok) => setTimeout(ok, 10));
		expect(manual.pending).not.toBeNull();
		controller.abort();
		expect((await pending).error.kind).toBe('aborted');
		expect(manual.pending).toBeNull();
		// The next turn goes to the next request, not the cancelled one.
		manual.submit('later');
		expect(textOf(await collect(manual, chat()))).toBe('later');
	});
});

describe('OpenAI chunk assembly (shared by HTTP and WebLLM)', () => {
	const push = (a: OpenAiChunkAssembler, delta: object, finish: string | null = null) =>
		a.push({ choices: [{ index: 0, delta, finish_reason: finish }] });

	test('interleaved fragments of parallel calls are assembled by index', () => {
		const a = new OpenAiChunkAssembler();
		const out: StreamChunk[] = [];
		out.push(
			...push(a, {
				tool_calls: [
					{ index: 0, id: 'A', type: 'function', function: { name: 'run_sql', arguments: '' } }
				]
			})
		);
		out.push(
			...push(a, {
				tool_calls: [
					{
						index: 1,
						id: 'B',
						type: 'function',
						function: { name: 'run_python', arguments: '{"co' }
					}
				]
			})
		);
		out.push(...push(a, { tool_calls: [{ index: 0, function: { arguments: '{"query":' } }] }));
		out.push(...push(a, { tool_calls: [{ index: 1, function: { arguments: 'de":"1"}' } }] }));
		out.push(...push(a, { tool_calls: [{ index: 0, function: { arguments: '"SELECT 1"}' } }] }));
		expect(out).toEqual([]);
		out.push(...push(a, {}, 'tool_calls'), ...a.finish());
		expect(out).toEqual([
			{ type: 'tool-call', call: { id: 'A', name: 'run_sql', arguments: '{"query":"SELECT 1"}' } },
			{ type: 'tool-call', call: { id: 'B', name: 'run_python', arguments: '{"code":"1"}' } },
			{ type: 'done', finishReason: 'tool_calls', usage: undefined }
		]);
	});

	test('whole calls without index or id (Ollama style), object arguments', () => {
		const a = new OpenAiChunkAssembler();
		push(a, { tool_calls: [{ function: { name: 'run_sql', arguments: { query: 'SELECT 1' } } }] });
		expect(a.finish()[0]).toEqual({
			type: 'tool-call',
			call: { id: 'call_0', name: 'run_sql', arguments: '{"query":"SELECT 1"}' }
		});
	});

	test('reasoning_content is kept as <think>…</think> text before the answer', () => {
		const a = new OpenAiChunkAssembler();
		const out = [
			...push(a, { reasoning_content: 'count ' }),
			...push(a, { reasoning_content: 'rows' }),
			...push(a, { content: '<sql>SELECT' }),
			...a.finish()
		];
		expect(textOf(out)).toBe('<think>count rows</think><sql>SELECT');
	});
});

describe('WebGPU detection (stand-in navigators for the detection logic only)', () => {
	test('no navigator.gpu, no adapter, a throwing adapter request, and a real-looking adapter', async () => {
		expect(await detectWebGpu({})).toMatchObject({ ok: false, reason: 'no-api' });
		expect(await detectWebGpu({ gpu: { requestAdapter: async () => null } })).toMatchObject({
			ok: false,
			reason: 'no-adapter'
		});
		expect(
			await detectWebGpu({
				gpu: {
					requestAdapter: async () => {
						throw new Error('GPU process crashed');
					}
				}
			})
		).toMatchObject({ ok: false, reason: 'error' });
		expect(
			await detectWebGpu({
				gpu: {
					requestAdapter: async () => ({ info: { vendor: 'intel', architecture: 'gen-12lp' } })
				}
			})
		).toEqual({ ok: true, adapter: 'intel gen-12lp' });
	});

	test('Node has no WebGPU: the WebLLM provider fails with webgpu-missing and its fixes', async () => {
		const provider = await createProvider({
			kind: 'webllm',
			model: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC'
		});
		expect(provider).toBeInstanceOf(WebLlmProvider);
		const { error } = await failure(provider, chat());
		expect(error.kind).toBe('webgpu-missing');
		expect(error.fixes.join(' ')).toContain('chrome://gpu');
	});
});
