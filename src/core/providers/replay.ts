import { sleep } from './abortable.ts';
import { ProviderError, abortedError } from './errors.ts';
import type { GenerateRequest, Provider, StreamChunk, ToolCall } from './types.ts';

/** One recorded model turn: its text (as recorded chunks or whole) and/or tool calls. */
export interface ReplayTurn {
	/** Text pieces as they streamed; or give `text`. */
	chunks?: string[];
	text?: string;
	toolCalls?: ToolCall[];
	finishReason?: string;
	usage?: { promptTokens: number; completionTokens: number };
}

/** Options of {@link ReplayProvider}. */
export interface ReplayOptions {
	turns: ReplayTurn[];
	/** Pace the text at this many characters per second (demos); default: as fast as possible. */
	charsPerSecond?: number;
	/** Model name shown in traces; default `replay`. */
	model?: string;
}

/**
 * Feeds recorded model output through the provider interface, one turn per `generate` call, so the
 * loop re-runs a trace (or a demo) exactly; optional pacing makes it watchable. Requests are kept
 * in `requests` so a replay can be checked against what the loop asked for.
 */
export class ReplayProvider implements Provider {
	readonly kind = 'replay';
	readonly model: string;
	/** The requests received, in order. */
	readonly requests: GenerateRequest[] = [];
	private readonly options: ReplayOptions;
	private next = 0;

	constructor(options: ReplayOptions) {
		this.options = options;
		this.model = options.model ?? 'replay';
	}

	/** How many recorded turns have not been played yet. */
	get remaining(): number {
		return this.options.turns.length - this.next;
	}

	/** Plays the next recorded turn. */
	async *generate(request: GenerateRequest): AsyncIterable<StreamChunk> {
		this.requests.push(request);
		const signal = request.signal;
		if (signal?.aborted) throw abortedError(signal.reason);
		const turn = this.options.turns[this.next];
		if (!turn) {
			throw new ProviderError(
				'server',
				`The recording has no turn #${this.next + 1}: the run went further than the trace.`,
				{
					fixes: ['Replay with the same preset and task as the recording, or record a new trace.']
				}
			);
		}
		this.next++;
		const cps = this.options.charsPerSecond;
		const pieces =
			turn.chunks ?? (turn.text ? (cps ? splitForPacing(turn.text) : [turn.text]) : []);
		for (const text of pieces) {
			if (cps && cps > 0) await sleep((text.length / cps) * 1000, signal);
			else if (signal?.aborted) throw abortedError(signal.reason);
			yield { type: 'text', text };
		}
		for (const call of turn.toolCalls ?? []) yield { type: 'tool-call', call };
		yield {
			type: 'done',
			finishReason: turn.finishReason ?? (turn.toolCalls?.length ? 'tool_calls' : 'stop'),
			usage: turn.usage
		};
	}
}

/** Cuts text into word-sized pieces so paced output streams like a model's. */
function splitForPacing(text: string): string[] {
	return text.match(/\s*\S{1,8}|\s+$/g) ?? [text];
}
