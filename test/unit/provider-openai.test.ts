import { describe, expect, test } from 'vitest';
import { startOpenAiServer } from '../fixtures/index.ts';
import { OpenAiProvider } from '../../src/core/providers/openai.ts';
import type { GenerateRequest } from '../../src/core/providers/types.ts';
import { chatRequest, collect, failure, serverPerTest, textOf } from './provider-helpers.ts';

const slot = serverPerTest();
const chat = (extra: Partial<GenerateRequest> = {}) => chatRequest('How many rows?', extra);

describe('OpenAI-compatible provider against a scripted SSE server', () => {
	test('streams chat text in order, with usage and the request fields on the wire', async () => {
		slot.server = await startOpenAiServer([{ chunks: ['Hello', ', ', 'world'] }]);
		const provider = new OpenAiProvider({
			baseUrl: slot.server.url,
			model: 'qwen',
			apiKey: 'sk-test-123'
		});
		const chunks = await collect(provider, chat({ temperature: 0.2, maxTokens: 64 }));
		expect(chunks.filter((c) => c.type === 'text').map((c) => c.type === 'text' && c.text)).toEqual(
			['Hello', ', ', 'world']
		);
		const done = chunks.at(-1);
		expect(done).toMatchObject({ type: 'done', finishReason: 'stop' });
		expect(done?.type === 'done' && done.usage?.completionTokens).toBe(3);
		const req = slot.server.requests[0];
		expect(req.path).toBe('/v1/chat/completions');
		expect(req.headers.authorization).toBe('Bearer sk-test-123');
		expect(req.body).toMatchObject({
			model: 'qwen',
			stream: true,
			stream_options: { include_usage: true },
			temperature: 0.2,
			max_tokens: 64,
			messages: [
				{ role: 'system', content: 'You write SQL.' },
				{ role: 'user', content: 'How many rows?' }
			]
		});
		expect(await req.outcome).toBe('complete');
	});

	test('a tag split across many chunks arrives intact, and the stop string is forwarded', async () => {
		slot.server = await startOpenAiServer([
			{
				chunks: [
					'<thi',
					'nk>count</th',
					'ink>\n<s',
					'ql>SELECT COUNT(*',
					') FROM t;</',
					'sql> and then more'
				]
			}
		]);
		const provider = new OpenAiProvider({ baseUrl: `${slot.server.url}/v1/`, model: 'm' });
		const chunks = await collect(provider, chat({ stop: ['</sql>', '</solution>'] }));
		expect(textOf(chunks)).toBe('<think>count</think>\n<sql>SELECT COUNT(*) FROM t;');
		expect(slot.server.requests[0].body.stop).toEqual(['</sql>', '</solution>']);
		expect(chunks.at(-1)).toMatchObject({ type: 'done', finishReason: 'stop' });
	});

	test('raw completion mode posts the prompt to /v1/completions and streams its text', async () => {
		slot.server = await startOpenAiServer([{ chunks: ['<sql>', 'SELECT 1', '</sql>'] }]);
		const provider = new OpenAiProvider({ baseUrl: slot.server.url, model: 'm' });
		const chunks = await collect(provider, {
			mode: 'completion',
			prompt: 'Question: one?\n',
			stop: ['</sql>']
		});
		expect(textOf(chunks)).toBe('<sql>SELECT 1');
		expect(slot.server.requests[0].path).toBe('/v1/completions');
		expect(slot.server.requests[0].body).toMatchObject({
			prompt: 'Question: one?\n',
			stop: ['</sql>'],
			stream: true
		});
	});

	test('streamed tool-call fragments are assembled into whole calls, in order', async () => {
		slot.server = await startOpenAiServer([
			{
				chunks: [
					'Let me run it.',
					{
						toolCall: {
							id: 'call_a',
							name: 'run_sql',
							arguments: '{"query": "SELECT name FROM t"}'
						},
						parts: 5
					},
					{
						toolCall: { id: 'call_b', name: 'run_python', arguments: '{"code": "print(1)"}' },
						parts: 4
					}
				]
			}
		]);
		const provider = new OpenAiProvider({ baseUrl: slot.server.url, model: 'm' });
		const chunks = await collect(
			provider,
			chat({ tools: [{ name: 'run_sql', description: 'Run SQL', parameters: { type: 'object' } }] })
		);
		const calls = chunks.flatMap((c) => (c.type === 'tool-call' ? [c.call] : []));
		expect(calls).toEqual([
			{ id: 'call_a', name: 'run_sql', arguments: '{"query": "SELECT name FROM t"}' },
			{ id: 'call_b', name: 'run_python', arguments: '{"code": "print(1)"}' }
		]);
		expect(chunks.at(-1)).toMatchObject({ type: 'done', finishReason: 'tool_calls' });
		expect(slot.server.requests[0].body.tools).toEqual([
			{
				type: 'function',
				function: { name: 'run_sql', description: 'Run SQL', parameters: { type: 'object' } }
			}
		]);
	});

	test('tool results are sent back as tool messages after the assistant tool_calls', async () => {
		slot.server = await startOpenAiServer([{ chunks: ['42'] }]);
		const provider = new OpenAiProvider({ baseUrl: slot.server.url, model: 'm' });
		await collect(provider, {
			mode: 'chat',
			messages: [
				{ role: 'user', content: 'Count.' },
				{
					role: 'assistant',
					content: '',
					toolCalls: [{ id: 'call_1', name: 'run_sql', arguments: '{"query":"SELECT 42"}' }]
				},
				{ role: 'tool', toolCallId: 'call_1', content: '42' }
			]
		});
		expect(slot.server.requests[0].body.messages.slice(1)).toEqual([
			{
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						id: 'call_1',
						type: 'function',
						function: { name: 'run_sql', arguments: '{"query":"SELECT 42"}' }
					}
				]
			},
			{ role: 'tool', tool_call_id: 'call_1', content: '42' }
		]);
	});

	test('a model that never closes its tag ends with finish reason "length" and the open text', async () => {
		slot.server = await startOpenAiServer([
			{ chunks: ['<sql>SELECT * FROM', ' t WHERE'], finishReason: 'length' }
		]);
		const provider = new OpenAiProvider({ baseUrl: slot.server.url, model: 'm' });
		const chunks = await collect(provider, chat({ stop: ['</sql>'] }));
		expect(textOf(chunks)).toBe('<sql>SELECT * FROM t WHERE');
		expect(chunks.at(-1)).toMatchObject({ type: 'done', finishReason: 'length' });
	});

	test('listModels reads GET /v1/models', async () => {
		slot.server = await startOpenAiServer([], { models: ['llama3.2:3b', 'qwen2.5-coder:7b'] });
		const provider = new OpenAiProvider({ baseUrl: slot.server.url, model: 'm' });
		expect(await provider.listModels()).toEqual(['llama3.2:3b', 'qwen2.5-coder:7b']);
	});

	test('401 is an auth error, and the key never appears in the error even when the server echoes it', async () => {
		const key = 'sk-secret-abcdef123456';
		slot.server = await startOpenAiServer([
			{
				status: 401,
				error: { message: `Incorrect API key provided: ${key}`, code: 'invalid_api_key' }
			}
		]);
		const provider = new OpenAiProvider({ baseUrl: slot.server.url, model: 'm', apiKey: key });
		const { error } = await failure(provider, chat());
		expect(error.kind).toBe('auth');
		expect(error.status).toBe(401);
		const everything = JSON.stringify({ ...error, message: error.message, stack: error.stack });
		expect(everything).not.toContain(key);
		expect(error.detail).toContain('[redacted]');
	});

	test('429 is a rate limit that carries Retry-After', async () => {
		slot.server = await startOpenAiServer([
			{
				status: 429,
				headers: { 'Retry-After': '7' },
				error: { message: 'Rate limit reached', type: 'requests' }
			}
		]);
		const { error } = await failure(
			new OpenAiProvider({ baseUrl: slot.server.url, model: 'm' }),
			chat()
		);
		expect(error.kind).toBe('rate-limit');
		expect(error.retryAfterSeconds).toBe(7);
		expect(error.retryable).toBe(true);
		expect(error.message).toContain('7 s');
	});

	test('500 is a server error', async () => {
		slot.server = await startOpenAiServer([
			{ status: 500, error: { message: 'CUDA out of memory' } }
		]);
		const { error } = await failure(
			new OpenAiProvider({ baseUrl: slot.server.url, model: 'm' }),
			chat()
		);
		expect(error.kind).toBe('server');
		expect(error.detail).toBe('CUDA out of memory');
	});

	test('a stream dropped mid-token keeps the text so far and then fails as "dropped"', async () => {
		slot.server = await startOpenAiServer([{ chunks: ['<sql>SEL', 'ECT na'], end: 'drop' }]);
		const { error, chunks } = await failure(
			new OpenAiProvider({ baseUrl: slot.server.url, model: 'm' }),
			chat()
		);
		expect(error.kind).toBe('dropped');
		expect(textOf(chunks)).toBe('<sql>SELECT na');
		expect(await slot.server.requests[0].outcome).toBe('dropped');
	});

	test('aborting a slow stream stops at once and closes the connection', async () => {
		slot.server = await startOpenAiServer([
			{ chunks: Array.from({ length: 50 }, (_, i) => `tok${i} `), delayMs: 200 }
		]);
		const provider = new OpenAiProvider({ baseUrl: slot.server.url, model: 'm' });
		const controller = new AbortController();
		const seen: string[] = [];
		let caught: unknown;
		try {
			for await (const chunk of provider.generate(chat({ signal: controller.signal }))) {
				if (chunk.type === 'text') seen.push(chunk.text);
				if (seen.length === 2) controller.abort();
			}
		} catch (error) {
			caught = error;
		}
		expect(caught).toMatchObject({ name: 'ProviderError', kind: 'aborted' });
		expect(seen).toEqual(['tok0 ', 'tok1 ']);
		// 50 chunks at 200 ms: the abort ended it after the second, and the client hung up.
		expect(await slot.server.requests[0].outcome).toBe('client-closed');
	});

	test('breaking out of the stream (the loop saw its stop) also closes the connection', async () => {
		slot.server = await startOpenAiServer([{ chunks: ['a', 'b', 'c'], end: 'hang' }]);
		const provider = new OpenAiProvider({ baseUrl: slot.server.url, model: 'm' });
		for await (const chunk of provider.generate(chat())) {
			if (chunk.type === 'text' && chunk.text === 'b') break;
		}
		expect(await slot.server.requests[0].outcome).toBe('client-closed');
	});

	test('an abort before the answer arrives (hanging server) is "aborted"', async () => {
		slot.server = await startOpenAiServer([{ chunks: [{ delayMs: 60_000 }, 'late'] }]);
		const provider = new OpenAiProvider({ baseUrl: slot.server.url, model: 'm' });
		const { error } = await failure(provider, chat({ signal: AbortSignal.timeout(300) }));
		expect(error.kind).toBe('aborted');
		expect(await slot.server.requests[0].outcome).toBe('client-closed');
	});

	test('an in-stream error event becomes a server error', async () => {
		slot.server = await startOpenAiServer([
			{ chunks: ['par'], streamError: { message: 'Overloaded' } }
		]);
		const { error } = await failure(
			new OpenAiProvider({ baseUrl: slot.server.url, model: 'm' }),
			chat()
		);
		expect(error.kind).toBe('server');
		expect(error.detail).toBe('Overloaded');
	});

	test('a server that rejects stream_options is retried once without it', async () => {
		slot.server = await startOpenAiServer((req) =>
			req.body.stream_options
				? {
						status: 400,
						error: { message: 'Unrecognized request argument supplied: stream_options' }
					}
				: { chunks: ['ok'] }
		);
		const chunks = await collect(
			new OpenAiProvider({ baseUrl: slot.server.url, model: 'm' }),
			chat()
		);
		expect(textOf(chunks)).toBe('ok');
		expect(slot.server.requests.map((r) => r.body.stream_options)).toEqual([
			{ include_usage: true },
			undefined
		]);
	});

	test('unknown model, context length, HTML page and wrong path are told apart', async () => {
		slot.server = await startOpenAiServer([
			{ status: 404, error: { message: 'model "llama9" not found, try pulling it first' } },
			{
				status: 400,
				error: {
					message:
						"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.",
					code: 'context_length_exceeded'
				}
			},
			{ body: '<!doctype html><html><body>Welcome</body></html>' }
		]);
		const provider = new OpenAiProvider({ baseUrl: slot.server.url, model: 'llama9' });
		expect((await failure(provider, chat())).error.kind).toBe('unknown-model');
		expect((await failure(provider, chat())).error.kind).toBe('context-length');
		expect((await failure(provider, chat())).error.kind).toBe('wrong-url');
		const wrongPath = new OpenAiProvider({ baseUrl: `${slot.server.url}/api/v1`, model: 'm' });
		const { error } = await failure(wrongPath, chat());
		expect(error.kind).toBe('wrong-url');
		expect(error.status).toBe(404);
	});

	test('nothing listening is a network error with start-the-server fixes', async () => {
		slot.server = await startOpenAiServer([]);
		const url = slot.server.url;
		await slot.server.close();
		slot.server = undefined;
		const { error } = await failure(new OpenAiProvider({ baseUrl: url, model: 'm' }), chat());
		expect(error.kind).toBe('network');
		expect(error.fixes.join(' ')).toContain('ollama serve');
	});
});
