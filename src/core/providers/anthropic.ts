import type { CallContext } from './doctor.ts';
import { droppedError, streamErrorEvent } from './doctor.ts';
import { ProviderError } from './errors.ts';
import { apiUrl, parseData, requestJson, sseEvents } from './http.ts';
import type { ChatMessage, GenerateRequest, Provider, StreamChunk, WireJson } from './types.ts';

/** Options of {@link AnthropicProvider}. */
export interface AnthropicOptions {
	model: string;
	apiKey?: string;
	/** Default `https://api.anthropic.com`; with or without `/v1`. */
	baseUrl?: string;
	/** `max_tokens` when the request gives none (the API requires one); default 4096. */
	defaultMaxTokens?: number;
	headers?: Record<string, string>;
	fetch?: typeof fetch;
}

/**
 * Anthropic Messages over fetch + SSE: POST /v1/messages with `stream: true`, text deltas streamed,
 * `tool_use` blocks assembled from `input_json_delta` and emitted whole at `content_block_stop`.
 * The system prompt travels apart from the messages; tool results go back as `tool_result` blocks.
 * Raw completion mode does not exist in this API.
 */
export class AnthropicProvider implements Provider {
	readonly kind = 'anthropic';
	readonly model: string;
	private readonly options: AnthropicOptions;

	constructor(options: AnthropicOptions) {
		this.options = options;
		this.model = options.model;
	}

	/** Model ids from GET /v1/models (first 1000). */
	async listModels(signal?: AbortSignal): Promise<string[]> {
		const ctx = this.context('/models?limit=1000', signal);
		const response = await requestJson(ctx, { method: 'GET', headers: this.headers() });
		const body = await response.json().catch(() => undefined);
		return (Array.isArray(body?.data) ? body.data : []).map((m: WireJson) => String(m.id));
	}

	/** Streams one generation; throws a {@link ProviderError} on any failure. */
	async *generate(request: GenerateRequest): AsyncIterable<StreamChunk> {
		const ctx = this.context('/messages', request.signal);
		if (request.mode !== 'chat') {
			throw new ProviderError('unsupported', 'Anthropic models have no raw completion mode.', {
				fixes: [
					'Choose the chat continuation style for this preset, or an OpenAI-compatible server for raw completion.'
				]
			});
		}
		const response = await requestJson(ctx, { headers: this.headers(), body: this.body(request) });
		const blocks = new Map<number, { id: string; name: string; json: string }>();
		let stopReason: string | undefined;
		let stopped = false;
		let promptTokens = 0;
		let completionTokens = 0;
		for await (const event of sseEvents(response, ctx)) {
			const data = parseData(event.data);
			const type = event.event ?? data?.type;
			if (type === 'message_start') {
				promptTokens = data?.message?.usage?.input_tokens ?? 0;
				completionTokens = data?.message?.usage?.output_tokens ?? 0;
			} else if (type === 'content_block_start') {
				const block = data?.content_block;
				if (block?.type === 'tool_use') {
					// `input` is `{}` here and arrives as JSON text; a non-empty one is kept as a start.
					const initial =
						block.input && Object.keys(block.input).length > 0 ? JSON.stringify(block.input) : '';
					blocks.set(data.index, { id: String(block.id), name: String(block.name), json: initial });
				} else if (block?.type === 'text' && block.text) {
					yield { type: 'text', text: block.text };
				}
			} else if (type === 'content_block_delta') {
				const delta = data?.delta;
				if (delta?.type === 'text_delta' && delta.text) yield { type: 'text', text: delta.text };
				else if (delta?.type === 'input_json_delta') {
					const block = blocks.get(data.index);
					if (block) block.json += delta.partial_json ?? '';
				}
			} else if (type === 'content_block_stop') {
				const block = blocks.get(data?.index);
				if (block) {
					blocks.delete(data.index);
					yield {
						type: 'tool-call',
						call: { id: block.id, name: block.name, arguments: block.json || '{}' }
					};
				}
			} else if (type === 'message_delta') {
				stopReason = data?.delta?.stop_reason ?? stopReason;
				completionTokens = data?.usage?.output_tokens ?? completionTokens;
			} else if (type === 'message_stop') {
				stopped = true;
				break;
			} else if (type === 'error') {
				throw streamErrorEvent(String(data?.error?.message ?? 'error'), data?.error?.type, ctx);
			}
			// `ping` and unknown future events are ignored, as the API asks.
		}
		if (!stopped && stopReason === undefined) throw droppedError(ctx);
		yield {
			type: 'done',
			finishReason: stopReason ?? 'end_turn',
			usage: { promptTokens, completionTokens }
		};
	}

	private context(path: string, signal?: AbortSignal): CallContext {
		return {
			url: apiUrl(this.options.baseUrl ?? 'https://api.anthropic.com', path),
			model: this.model,
			secrets: [this.options.apiKey],
			fetch: this.options.fetch,
			signal
		};
	}

	private headers(): Record<string, string> {
		const headers: Record<string, string> = {
			'Content-Type': 'application/json',
			'anthropic-version': '2023-06-01',
			// Without this the API refuses calls that carry a browser Origin.
			'anthropic-dangerous-direct-browser-access': 'true',
			...this.options.headers
		};
		if (this.options.apiKey) headers['x-api-key'] = this.options.apiKey;
		return headers;
	}

	private body(request: GenerateRequest): Record<string, unknown> {
		const messages = request.messages ?? [];
		const system = messages
			.filter((m) => m.role === 'system')
			.map((m) => m.content)
			.join('\n\n');
		const body: Record<string, unknown> = {
			model: this.model,
			max_tokens: request.maxTokens ?? this.options.defaultMaxTokens ?? 4096,
			messages: toAnthropicMessages(messages),
			stream: true
		};
		if (system) body.system = system;
		if (request.stop?.length) body.stop_sequences = request.stop;
		if (request.temperature !== undefined) body.temperature = request.temperature;
		if (request.tools?.length) {
			body.tools = request.tools.map((t) => ({
				name: t.name,
				description: t.description,
				input_schema: t.parameters
			}));
		}
		return body;
	}
}

type Block = Record<string, unknown>;

/**
 * Maps provider-neutral messages to Messages API turns: system messages are dropped (sent apart),
 * tool results become `tool_result` blocks in a user turn, and consecutive turns of one side are
 * merged so results come first in the user turn that follows the `tool_use`.
 */
export function toAnthropicMessages(
	messages: ChatMessage[]
): { role: 'user' | 'assistant'; content: Block[] }[] {
	const turns: { role: 'user' | 'assistant'; content: Block[] }[] = [];
	const add = (role: 'user' | 'assistant', blocks: Block[]) => {
		const last = turns.at(-1);
		if (last && last.role === role) last.content.push(...blocks);
		else turns.push({ role, content: blocks });
	};
	for (const m of messages) {
		if (m.role === 'system') continue;
		if (m.role === 'tool') {
			add('user', [{ type: 'tool_result', tool_use_id: m.toolCallId ?? '', content: m.content }]);
		} else if (m.role === 'user') {
			if (m.content) add('user', [{ type: 'text', text: m.content }]);
		} else {
			const blocks: Block[] = m.content ? [{ type: 'text', text: m.content }] : [];
			for (const call of m.toolCalls ?? []) {
				blocks.push({
					type: 'tool_use',
					id: call.id,
					name: call.name,
					input: parseInput(call.arguments)
				});
			}
			if (blocks.length > 0) add('assistant', blocks);
		}
	}
	// The API wants a user turn's tool results before any text in it.
	for (const turn of turns) {
		if (turn.role !== 'user') continue;
		const results = turn.content.filter((b) => b.type === 'tool_result');
		turn.content = [...results, ...turn.content.filter((b) => b.type !== 'tool_result')];
	}
	return turns;
}

function parseInput(text: string): unknown {
	try {
		const value = JSON.parse(text || '{}');
		return value && typeof value === 'object' && !Array.isArray(value) ? value : { value };
	} catch {
		// The API wants an object; keep the model's malformed text visible rather than lose it.
		return { raw: text };
	}
}
