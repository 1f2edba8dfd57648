import type { GenerateRequest, Provider, ToolCall } from '../providers/types.ts';
import type { AgentEvent } from '../trace/events.ts';
import { estimateTokens } from './loop-support.ts';
import type { TurnParser } from './stream-parser.ts';

/** What streaming one model call produced. */
export interface Streamed {
	turnText: string;
	finish: string;
	usage?: { promptTokens: number; completionTokens: number };
	/** The loop ended the request itself (action complete or token budget). */
	cut: boolean;
	overTokens: boolean;
	failure: unknown;
	toolCalls: ToolCall[];
}

/** Streams one call through the turn parser, yielding text events; stops reading at the turn's end. */
export async function* streamCall(
	provider: Provider,
	req: GenerateRequest,
	parser: TurnParser,
	tokensLeft: number | null,
	textEvent: (text: string) => AgentEvent
): AsyncGenerator<AgentEvent, Streamed> {
	const out: Streamed = {
		turnText: '',
		finish: 'stop',
		cut: false,
		overTokens: false,
		failure: null,
		toolCalls: []
	};
	try {
		for await (const chunk of provider.generate(req)) {
			if (chunk.type === 'text') {
				const shown = parser.push(chunk.text);
				if (shown) {
					out.turnText += shown;
					yield textEvent(shown);
				}
				if (parser.done) out.cut = true;
				else if (tokensLeft !== null && estimateTokens(out.turnText.length) > tokensLeft)
					out.overTokens = out.cut = true;
				// Leaving the loop ends the request (the caller aborts it too), even when the server
				// ignores stop strings.
				if (out.cut) break;
			} else if (chunk.type === 'tool-call') out.toolCalls.push(chunk.call);
			else {
				out.finish = chunk.finishReason;
				out.usage = chunk.usage;
			}
		}
	} catch (e) {
		if (!out.cut) out.failure = e ?? new Error('unknown provider failure');
	}
	return out;
}
