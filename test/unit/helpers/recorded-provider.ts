import type {
	GenerateRequest,
	Provider,
	StreamChunk,
	ToolCall
} from '../../../src/core/providers/types.ts';

/** One scripted model reply: text (and tool calls) as the model wrote it. */
export interface ScriptedReply {
	text: string;
	toolCalls?: ToolCall[];
	/** Finish reason when the whole text is sent. */
	finishReason?: string;
	/** Throw this after sending the text (a dropped stream, a 500 mid-way). */
	failWith?: Error;
}

/** How the scripted provider streams. */
export interface ScriptOptions {
	/** Characters per chunk (default 7), or a function giving chunk boundaries for a reply. */
	chunk?: number | ((text: string) => number[]);
	/** Honour stop strings as a real server does (cut before the first one, omit it); default true. */
	honourStops?: boolean;
	/** Milliseconds to wait before each chunk (lets a Stop land mid-stream). */
	delayMs?: number;
}

/**
 * A test provider that plays scripted replies chunk by chunk through the real loop, honouring (or
 * ignoring) stop strings and the abort signal like a streaming server; it records every request.
 */
export class ScriptedProvider implements Provider {
	readonly kind = 'replay' as const;
	readonly model = 'scripted';
	readonly requests: GenerateRequest[] = [];
	/** How many chunks each call actually delivered before it ended or was cut. */
	readonly delivered: number[] = [];
	#replies: ScriptedReply[];
	#options: ScriptOptions;

	constructor(replies: (ScriptedReply | string)[], options: ScriptOptions = {}) {
		this.#replies = replies.map((r) => (typeof r === 'string' ? { text: r } : r));
		this.#options = options;
	}

	async *generate(request: GenerateRequest): AsyncIterable<StreamChunk> {
		this.requests.push(request);
		const index = this.requests.length - 1;
		this.delivered[index] = 0;
		const reply = this.#replies[index];
		if (!reply) throw new Error(`ScriptedProvider: no reply scripted for call ${index + 1}`);
		let text = reply.text;
		let finishReason = reply.finishReason ?? (reply.toolCalls?.length ? 'tool_calls' : 'stop');
		if (this.#options.honourStops !== false) {
			for (const stop of request.stop ?? []) {
				const i = text.indexOf(stop);
				if (i >= 0) {
					text = text.slice(0, i);
					finishReason = 'stop';
				}
			}
		}
		for (const piece of split(text, this.#options.chunk ?? 7)) {
			if (this.#options.delayMs) await new Promise((r) => setTimeout(r, this.#options.delayMs));
			if (request.signal?.aborted)
				throw new DOMException('The operation was aborted.', 'AbortError');
			this.delivered[index]++;
			yield { type: 'text', text: piece };
		}
		if (reply.failWith) throw reply.failWith;
		for (const call of reply.toolCalls ?? []) yield { type: 'tool-call', call };
		yield { type: 'done', finishReason };
	}
}

function split(text: string, chunk: number | ((text: string) => number[])): string[] {
	if (typeof chunk === 'function') {
		const cuts = [0, ...chunk(text), text.length];
		return cuts
			.slice(1)
			.map((end, i) => text.slice(cuts[i], end))
			.filter(Boolean);
	}
	const out: string[] = [];
	for (let i = 0; i < text.length; i += chunk) out.push(text.slice(i, i + chunk));
	return out;
}
