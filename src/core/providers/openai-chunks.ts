import type { StreamChunk, ToolCall, WireJson } from './types.ts';

interface PartialCall {
	id: string;
	name: string;
	arguments: string;
}

/**
 * Turns OpenAI-style stream chunks (chat `delta`s or completion `text`s) into {@link StreamChunk}s:
 * text deltas pass through, `tool_calls` fragments are assembled by index and emitted whole when
 * the choice finishes, and `reasoning_content` (vLLM/llama.cpp/DeepSeek reasoning parsers) is
 * wrapped in `<think>…</think>` so the transcript keeps the model's thinking in the text.
 * Shared by the HTTP provider and WebLLM, whose engine yields the same chunk shape.
 */
export class OpenAiChunkAssembler {
	private calls = new Map<number, PartialCall>();
	private thinking = false;
	private finishReason: string | undefined;
	private usage: { promptTokens: number; completionTokens: number } | undefined;

	/** Whether a choice has reported its finish reason. */
	get finished(): boolean {
		return this.finishReason !== undefined;
	}

	/** Feeds one parsed chunk; returns the stream chunks it completes. */
	push(chunk: WireJson): StreamChunk[] {
		const out: StreamChunk[] = [];
		if (chunk?.usage && typeof chunk.usage.prompt_tokens === 'number') {
			this.usage = {
				promptTokens: chunk.usage.prompt_tokens,
				completionTokens: chunk.usage.completion_tokens ?? 0
			};
		}
		const choice = Array.isArray(chunk?.choices) ? chunk.choices[0] : undefined;
		if (!choice) return out;
		const delta = choice.delta;
		if (delta) {
			const reasoning = delta.reasoning_content ?? delta.reasoning;
			if (typeof reasoning === 'string' && reasoning.length > 0) {
				if (!this.thinking) out.push({ type: 'text', text: '<think>' });
				this.thinking = true;
				out.push({ type: 'text', text: reasoning });
			}
			if (typeof delta.content === 'string' && delta.content.length > 0) {
				this.closeThinking(out);
				out.push({ type: 'text', text: delta.content });
			}
			if (Array.isArray(delta.tool_calls)) {
				this.closeThinking(out);
				delta.tool_calls.forEach((fragment: WireJson, position: number) =>
					this.addFragment(fragment, position)
				);
			}
		} else if (typeof choice.text === 'string' && choice.text.length > 0) {
			out.push({ type: 'text', text: choice.text });
		}
		if (choice.finish_reason) {
			this.finishReason = String(choice.finish_reason);
			this.closeThinking(out);
			out.push(...this.flushCalls());
		}
		return out;
	}

	/** Ends the stream: any calls still open, then the `done` chunk. */
	finish(): StreamChunk[] {
		const out: StreamChunk[] = [];
		this.closeThinking(out);
		out.push(...this.flushCalls());
		out.push({ type: 'done', finishReason: this.finishReason ?? 'stop', usage: this.usage });
		return out;
	}

	private addFragment(fragment: WireJson, position: number): void {
		// Ollama and some proxies omit `index` when a call arrives in one piece.
		const index = typeof fragment?.index === 'number' ? fragment.index : position;
		let call = this.calls.get(index);
		if (!call) {
			call = { id: '', name: '', arguments: '' };
			this.calls.set(index, call);
		}
		if (fragment?.id && !call.id) call.id = String(fragment.id);
		const fn = fragment?.function ?? {};
		if (fn.name && !call.name) call.name = String(fn.name);
		if (typeof fn.arguments === 'string') call.arguments += fn.arguments;
		// A few servers send arguments as an object instead of JSON text.
		else if (fn.arguments && typeof fn.arguments === 'object')
			call.arguments += JSON.stringify(fn.arguments);
	}

	private flushCalls(): StreamChunk[] {
		const calls: ToolCall[] = [...this.calls.entries()]
			.sort(([a], [b]) => a - b)
			.map(([index, c]) => ({
				id: c.id || `call_${index}`,
				name: c.name,
				arguments: c.arguments || '{}'
			}));
		this.calls.clear();
		return calls.map((call) => ({ type: 'tool-call', call }));
	}

	private closeThinking(out: StreamChunk[]): void {
		if (this.thinking) out.push({ type: 'text', text: '</think>' });
		this.thinking = false;
	}
}
