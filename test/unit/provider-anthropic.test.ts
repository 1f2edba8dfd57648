import { describe, expect, test } from 'vitest';
import { startAnthropicServer } from '../fixtures/index.ts';
import { AnthropicProvider, toAnthropicMessages } from '../../src/core/providers/anthropic.ts';
import type { GenerateRequest } from '../../src/core/providers/types.ts';
import { chatRequest, collect, failure, serverPerTest, textOf } from './provider-helpers.ts';

const slot = serverPerTest();
const chat = (extra: Partial<GenerateRequest> = {}) => chatRequest('How many singers?', extra);

const provider = (extra: { apiKey?: string; model?: string } = {}) =>
	new AnthropicProvider({
		baseUrl: slot.server!.url,
		model: extra.model ?? 'claude-test',
		apiKey: extra.apiKey
	});

describe('Anthropic provider against a scripted Messages SSE server', () => {
	test('streams text, sends the system prompt apart and the browser-access headers', async () => {
		slot.server = await startAnthropicServer([
			{ chunks: ['There ', 'are ', '6.'], usage: { promptTokens: 20, completionTokens: 3 } }
		]);
		const chunks = await collect(
			provider({ apiKey: 'sk-ant-test-1' }),
			chat({ temperature: 0, maxTokens: 100 })
		);
		expect(textOf(chunks)).toBe('There are 6.');
		expect(chunks.at(-1)).toEqual({
			type: 'done',
			finishReason: 'end_turn',
			usage: { promptTokens: 20, completionTokens: 3 }
		});
		const req = slot.server.requests[0];
		expect(req.path).toBe('/v1/messages');
		expect(req.headers['x-api-key']).toBe('sk-ant-test-1');
		expect(req.headers['anthropic-version']).toBe('2023-06-01');
		expect(req.headers['anthropic-dangerous-direct-browser-access']).toBe('true');
		expect(req.headers.authorization).toBeUndefined();
		expect(req.body).toEqual({
			model: 'claude-test',
			max_tokens: 100,
			temperature: 0,
			stream: true,
			system: 'You write SQL.',
			messages: [{ role: 'user', content: [{ type: 'text', text: 'How many singers?' }] }]
		});
	});

	test('a split tag arrives intact; stop sequences are forwarded and reported', async () => {
		slot.server = await startAnthropicServer([
			{ chunks: ['<s', 'ql>SELECT COUNT(*) FROM singer</s', 'ql>', ' more'] }
		]);
		const chunks = await collect(provider(), chat({ stop: ['</sql>'] }));
		expect(textOf(chunks)).toBe('<sql>SELECT COUNT(*) FROM singer');
		expect(slot.server.requests[0].body.stop_sequences).toEqual(['</sql>']);
		expect(chunks.at(-1)).toMatchObject({ type: 'done', finishReason: 'stop_sequence' });
	});

	test('tool_use blocks are assembled from input_json_delta into whole calls', async () => {
		slot.server = await startAnthropicServer([
			{
				chunks: [
					'I will query.',
					{
						toolCall: { id: 'toolu_1', name: 'run_sql', arguments: '{"query":"SELECT 1"}' },
						parts: 6
					},
					{ toolCall: { id: 'toolu_2', name: 'submit', arguments: '{"answer":"1"}' }, parts: 2 }
				]
			}
		]);
		const chunks = await collect(
			provider(),
			chat({ tools: [{ name: 'run_sql', description: 'Run SQL', parameters: { type: 'object' } }] })
		);
		expect(chunks.filter((c) => c.type !== 'done')).toEqual([
			{ type: 'text', text: 'I will query.' },
			{
				type: 'tool-call',
				call: { id: 'toolu_1', name: 'run_sql', arguments: '{"query":"SELECT 1"}' }
			},
			{ type: 'tool-call', call: { id: 'toolu_2', name: 'submit', arguments: '{"answer":"1"}' } }
		]);
		expect(chunks.at(-1)).toMatchObject({ finishReason: 'tool_use' });
		expect(slot.server.requests[0].body.tools).toEqual([
			{ name: 'run_sql', description: 'Run SQL', input_schema: { type: 'object' } }
		]);
	});

	test('tool results go back as tool_result blocks first in the next user turn', async () => {
		slot.server = await startAnthropicServer([{ chunks: ['6'] }]);
		await collect(provider(), {
			mode: 'chat',
			messages: [
				{ role: 'system', content: 'S' },
				{ role: 'user', content: 'Count.' },
				{
					role: 'assistant',
					content: 'Querying.',
					toolCalls: [{ id: 'toolu_1', name: 'run_sql', arguments: '{"query":"SELECT 6"}' }]
				},
				{ role: 'tool', toolCallId: 'toolu_1', content: '6' },
				{ role: 'user', content: '2 turns left.' }
			]
		});
		expect(slot.server.requests[0].body.messages).toEqual([
			{ role: 'user', content: [{ type: 'text', text: 'Count.' }] },
			{
				role: 'assistant',
				content: [
					{ type: 'text', text: 'Querying.' },
					{ type: 'tool_use', id: 'toolu_1', name: 'run_sql', input: { query: 'SELECT 6' } }
				]
			},
			{
				role: 'user',
				content: [
					{ type: 'tool_result', tool_use_id: 'toolu_1', content: '6' },
					{ type: 'text', text: '2 turns left.' }
				]
			}
		]);
	});

	test('malformed tool arguments are kept visible rather than lost', () => {
		const turns = toAnthropicMessages([
			{
				role: 'assistant',
				content: '',
				toolCalls: [{ id: 't', name: 'run_sql', arguments: '{"query": SELECT' }]
			}
		]);
		expect(turns[0].content[0]).toEqual({
			type: 'tool_use',
			id: 't',
			name: 'run_sql',
			input: { raw: '{"query": SELECT' }
		});
	});

	test('completion mode is refused with a clear "unsupported" error', async () => {
		slot.server = await startAnthropicServer([]);
		const { error } = await failure(provider(), { mode: 'completion', prompt: 'x' });
		expect(error.kind).toBe('unsupported');
		expect(slot.server.requests).toHaveLength(0);
	});

	test('listModels reads GET /v1/models', async () => {
		slot.server = await startAnthropicServer([], { models: ['claude-a', 'claude-b'] });
		expect(await provider().listModels()).toEqual(['claude-a', 'claude-b']);
		expect(slot.server.requests[0].headers['anthropic-version']).toBe('2023-06-01');
	});

	test('a wrong key is 401 auth; the key stays out of the error', async () => {
		slot.server = await startAnthropicServer([], { apiKey: 'sk-ant-right-key' });
		const { error } = await failure(provider({ apiKey: 'sk-ant-wrong-key' }), chat());
		expect(error.kind).toBe('auth');
		expect(JSON.stringify({ ...error, m: error.message })).not.toContain('sk-ant-wrong-key');
	});

	test('429 with Retry-After, 500 and 529 overloaded are classified', async () => {
		slot.server = await startAnthropicServer([
			{
				status: 429,
				headers: { 'retry-after': '12' },
				error: { message: 'Number of requests has exceeded your rate limit' }
			},
			{ status: 500, error: { message: 'Internal server error' } },
			{ status: 529, error: { message: 'Overloaded' } }
		]);
		const limited = (await failure(provider(), chat())).error;
		expect([limited.kind, limited.retryAfterSeconds]).toEqual(['rate-limit', 12]);
		expect((await failure(provider(), chat())).error.kind).toBe('server');
		expect((await failure(provider(), chat())).error.kind).toBe('server');
	});

	test('unknown model (404 not_found_error naming the model) and prompt too long are told apart', async () => {
		slot.server = await startAnthropicServer([
			{ status: 404, error: { message: 'model: claude-nope' } },
			{ status: 400, error: { message: 'prompt is too long: 210000 tokens > 200000 maximum' } }
		]);
		expect((await failure(provider({ model: 'claude-nope' }), chat())).error.kind).toBe(
			'unknown-model'
		);
		expect((await failure(provider(), chat())).error.kind).toBe('context-length');
	});

	test('an error event mid-stream is a server error, after the text so far', async () => {
		slot.server = await startAnthropicServer([
			{ chunks: ['Par', 'tial'], streamError: { message: 'Overloaded', type: 'overloaded_error' } }
		]);
		const { error, chunks } = await failure(provider(), chat());
		expect(error.kind).toBe('server');
		expect(textOf(chunks)).toBe('Partial');
	});

	test('a stream cut before message_stop is "dropped"', async () => {
		slot.server = await startAnthropicServer([{ chunks: ['<python>print(', '1'], end: 'drop' }]);
		const { error, chunks } = await failure(provider(), chat());
		expect(error.kind).toBe('dropped');
		expect(textOf(chunks)).toBe('<python>print(1');
		expect(await slot.server.requests[0].outcome).toBe('dropped');
	});

	test('aborting a slow stream closes the connection', async () => {
		slot.server = await startAnthropicServer([
			{ chunks: Array.from({ length: 40 }, () => 'x'), delayMs: 250 }
		]);
		const controller = new AbortController();
		let n = 0;
		let caught: unknown;
		try {
			for await (const chunk of provider().generate(chat({ signal: controller.signal }))) {
				if (chunk.type === 'text' && ++n === 1) controller.abort();
			}
		} catch (error) {
			caught = error;
		}
		expect(caught).toMatchObject({ kind: 'aborted' });
		expect(n).toBe(1);
		expect(await slot.server.requests[0].outcome).toBe('client-closed');
	});
});
