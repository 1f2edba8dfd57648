import type { CallContext } from './doctor.ts';
import { droppedError, streamErrorEvent } from './doctor.ts';
import { ProviderError, abortedError } from './errors.ts';
import { apiUrl, parseData, requestJson, sseEvents } from './http.ts';
import { OpenAiChunkAssembler } from './openai-chunks.ts';
import type { ChatMessage, GenerateRequest, Provider, StreamChunk, WireJson } from './types.ts';

/** Options of {@link OpenAiProvider}. */
export interface OpenAiOptions {
	/** Server root or API base, with or without `/v1`: `http://localhost:11434`, `https://openrouter.ai/api/v1`. */
	baseUrl: string;
	model: string;
	/** Sent as `Authorization: Bearer …` when set; local servers usually need none. */
	apiKey?: string;
	/** Ask for a final usage chunk (`stream_options.include_usage`); default true. */
	includeUsage?: boolean;
	/** Extra headers, e.g. OpenRouter's `HTTP-Referer` / `X-Title`. */
	headers?: Record<string, string>;
	/** The fetch to use (tests, or a proxying fetch); default the global one. */
	fetch?: typeof fetch;
}

/**
 * An OpenAI-compatible backend over fetch + SSE: chat (`/v1/chat/completions`) and raw completion
 * (`/v1/completions`), streaming text and whole tool calls.
 *
 * Server quirks worth knowing:
 * - Ollama silently truncates prompts longer than its context (default 4096 tokens) instead of
 *   failing, ignores unknown fields, and sends whole tool calls in one delta.
 * - llama.cpp's `/v1/completions` is the OpenAI-shaped one (the native `/completion` differs:
 *   `n_predict`, its own stream format); it takes `stop` and streams `[DONE]`.
 * - vLLM and llama.cpp may stream `reasoning_content` for thinking models (see the assembler).
 * - api.openai.com accepts at most 4 stop strings and wants `max_completion_tokens` for newer
 *   models; `/v1/completions` there only serves legacy instruct models.
 * - Some older servers reject `stream_options`; we then retry once without it.
 */
export class OpenAiProvider implements Provider {
	readonly kind = 'openai';
	readonly model: string;
	private readonly options: OpenAiOptions;

	constructor(options: OpenAiOptions) {
		this.options = options;
		this.model = options.model;
	}

	/** Model ids from GET /v1/models. */
	async listModels(signal?: AbortSignal): Promise<string[]> {
		const ctx = this.context('/models', signal);
		const response = await requestJson(ctx, { method: 'GET', headers: this.headers() });
		const body = await response.json().catch(() => undefined);
		const data = Array.isArray(body?.data)
			? body.data
			: Array.isArray(body?.models)
				? body.models
				: [];
		return data
			.map((m: WireJson) => String(m?.id ?? m?.name ?? ''))
			.filter((id: string) => id.length > 0);
	}

	/** Streams one generation; throws a {@link ProviderError} on any failure. */
	async *generate(request: GenerateRequest): AsyncIterable<StreamChunk> {
		const chat = request.mode === 'chat';
		const ctx = this.context(chat ? '/chat/completions' : '/completions', request.signal);
		let body = this.body(request, this.options.includeUsage ?? true);
		let response: Response;
		try {
			response = await requestJson(ctx, { headers: this.headers(), body });
		} catch (error) {
			const rejectsUsage =
				error instanceof ProviderError &&
				error.kind === 'bad-request' &&
				/stream_options|include_usage/.test(error.detail ?? '');
			if (!rejectsUsage) throw error;
			body = this.body(request, false);
			response = await requestJson(ctx, { headers: this.headers(), body });
		}
		const type = response.headers.get('content-type') ?? '';
		const assembler = new OpenAiChunkAssembler();
		if (type.includes('application/json')) {
			// A proxy that ignored `stream: true` sends the whole answer at once.
			yield* fromWholeAnswer(await response.json(), assembler);
			return;
		}
		let terminated = false;
		for await (const event of sseEvents(response, ctx)) {
			if (event.data.trim() === '[DONE]') {
				terminated = true;
				break;
			}
			const chunk = parseData(event.data);
			if (chunk?.error) {
				const e = chunk.error;
				throw streamErrorEvent(typeof e === 'string' ? e : String(e.message ?? ''), e.type, ctx);
			}
			for (const out of assembler.push(chunk)) {
				if (request.signal?.aborted) throw abortedError(request.signal.reason);
				yield out;
			}
		}
		// Lenient servers end cleanly after the finish reason without `[DONE]`; that is complete.
		if (!terminated && !assembler.finished) throw droppedError(ctx);
		yield* assembler.finish();
	}

	private context(path: string, signal?: AbortSignal): CallContext {
		return {
			url: apiUrl(this.options.baseUrl, path),
			model: this.model,
			secrets: [this.options.apiKey],
			fetch: this.options.fetch,
			signal
		};
	}

	private headers(): Record<string, string> {
		const headers: Record<string, string> = {
			'Content-Type': 'application/json',
			...this.options.headers
		};
		if (this.options.apiKey) headers.Authorization = `Bearer ${this.options.apiKey}`;
		return headers;
	}

	private body(request: GenerateRequest, includeUsage: boolean): Record<string, unknown> {
		const body: Record<string, unknown> = { model: this.model, stream: true };
		if (includeUsage) body.stream_options = { include_usage: true };
		if (request.mode === 'chat') body.messages = (request.messages ?? []).map(toOpenAiMessage);
		else body.prompt = request.prompt ?? '';
		if (request.stop?.length) body.stop = request.stop;
		if (request.temperature !== undefined) body.temperature = request.temperature;
		if (request.maxTokens !== undefined) {
			const official = /(^|\.)openai\.com$/.test(
				new URL(apiUrl(this.options.baseUrl, '')).hostname
			);
			body[official && request.mode === 'chat' ? 'max_completion_tokens' : 'max_tokens'] =
				request.maxTokens;
		}
		if (request.mode === 'chat' && request.tools?.length) {
			body.tools = request.tools.map((t) => ({
				type: 'function',
				function: { name: t.name, description: t.description, parameters: t.parameters }
			}));
		}
		return body;
	}
}

/** Maps a provider-neutral message to the chat completions wire shape. */
export function toOpenAiMessage(message: ChatMessage): Record<string, unknown> {
	if (message.role === 'tool') {
		return { role: 'tool', tool_call_id: message.toolCallId ?? '', content: message.content };
	}
	if (message.role === 'assistant' && message.toolCalls?.length) {
		return {
			role: 'assistant',
			content: message.content || null,
			tool_calls: message.toolCalls.map((c) => ({
				id: c.id,
				type: 'function',
				function: { name: c.name, arguments: c.arguments }
			}))
		};
	}
	return { role: message.role, content: message.content };
}

function* fromWholeAnswer(body: WireJson, assembler: OpenAiChunkAssembler): Iterable<StreamChunk> {
	const choice = body?.choices?.[0] ?? {};
	const message = choice.message ?? {};
	const delta = {
		content: message.content ?? undefined,
		reasoning_content: message.reasoning_content ?? undefined,
		tool_calls: message.tool_calls?.map((c: WireJson, index: number) => ({ index, ...c }))
	};
	const asChunk = choice.message
		? { choices: [{ delta, finish_reason: choice.finish_reason ?? 'stop' }], usage: body.usage }
		: {
				choices: [{ text: choice.text ?? '', finish_reason: choice.finish_reason ?? 'stop' }],
				usage: body.usage
			};
	yield* assembler.push(asChunk);
	yield* assembler.finish();
}
