// Where an interrupted run can go on from: the prefix of its events up to its last complete turn.
import type { AgentEvent } from '../trace/events.ts';
import { outcomeOf, type TraceV2 } from '../trace/trace-v2.ts';

/** The events of a run up to its last complete turn, and how many turns that is. */
export interface TurnPrefix {
	events: AgentEvent[];
	/** Complete turns kept (model calls whose action was executed and observed). */
	turns: number;
	/** Whether the run had ended (its stop event is kept; nothing was cut). */
	ended: boolean;
	/** Events dropped after the last complete turn. */
	dropped: number;
}

/**
 * The prefix of a run's events (start first, or a trace's events after its header) up to its last
 * complete turn: everything before the first model call that follows the last observation. A
 * turn whose call, answer or execution was cut off by the interruption is dropped whole, so a
 * continuation asks the model again from a state the recorded run really reached.
 */
export function lastCompleteTurn(events: readonly AgentEvent[]): TurnPrefix {
	const ended = events.some((e) => e.type === 'stop');
	if (ended) return { events: [...events], turns: countCalls(events), ended, dropped: 0 };
	const from = events.findLastIndex((e) => e.type === 'observation') + 1;
	let cut = events.findIndex((e, i) => i >= from && e.type === 'call');
	if (cut < 0) cut = events.length;
	const kept = events.slice(0, cut);
	return { events: kept, turns: countCalls(kept), ended, dropped: events.length - cut };
}

function countCalls(events: readonly AgentEvent[]): number {
	return events.filter((e) => e.type === 'call').length;
}

/** A trace cut to its last complete turn (its outcome recomputed), ready to be continued live. */
export function continuationTrace(trace: TraceV2): TraceV2 {
	const prefix = lastCompleteTurn(trace.events);
	if (prefix.ended) return trace;
	return { ...trace, events: prefix.events, outcome: outcomeOf(prefix.events) };
}
