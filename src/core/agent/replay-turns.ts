import type { ReplayTurn } from '../providers/replay.ts';
import { recordedCalls, type Trace } from '../trace/trace.ts';

/** The recorded model output of a trace as Replay turns (text, finish reason, tool calls). */
export function replayTurnsFromTrace(trace: Trace): ReplayTurn[] {
	return recordedCalls(trace).map((c) => ({
		text: c.text,
		// A call the loop cut at an action's end replays whole; the parser cuts it again.
		finishReason: c.finishReason === 'cut' ? 'stop' : c.finishReason,
		...(c.toolCalls?.length ? { toolCalls: c.toolCalls } : {})
	}));
}
