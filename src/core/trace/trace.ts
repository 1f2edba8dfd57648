import { z } from 'zod';
import {
	agentEventSchema,
	traceHeaderSchema,
	type AgentEvent,
	type TraceHeader
} from './events.ts';

/** A recorded run: the header of its start event and the rest of its event list. */
export const traceSchema = z.object({
	format: z.literal('execlab-trace'),
	version: z.literal(1),
	header: traceHeaderSchema,
	events: z.array(agentEventSchema)
});
/** A recorded run. */
export type Trace = z.infer<typeof traceSchema>;

/** One recorded model call: its raw output and how it ended, for replaying through the loop. */
export interface RecordedCall {
	text: string;
	finishReason: string;
	/** Native tool calls of the call (tools preset), rebuilt from its action and answer events. */
	toolCalls?: { id: string; name: string; arguments: string }[];
}

/** Merges consecutive text deltas of the same call into one event, keeping everything else as is. */
export function compactEvents(events: readonly AgentEvent[]): AgentEvent[] {
	const out: AgentEvent[] = [];
	let pending: string[] = [];
	let head: Extract<AgentEvent, { type: 'text' }> | null = null;
	const flush = () => {
		if (head) out.push({ ...head, text: pending.join('') });
		head = null;
		pending = [];
	};
	for (const event of events) {
		if (event.type === 'text') {
			if (head && head.call === event.call) {
				pending.push(event.text);
				continue;
			}
			flush();
			head = event;
			pending = [event.text];
			continue;
		}
		flush();
		out.push(event);
	}
	flush();
	return out;
}

/** Builds a trace from a run's events (the first must be `start`). */
export function traceFromEvents(events: readonly AgentEvent[]): Trace {
	const [first, ...rest] = events;
	if (!first || first.type !== 'start') throw new RangeError('A trace starts with a start event');
	return { format: 'execlab-trace', version: 1, header: first.header, events: compactEvents(rest) };
}

/** The event list of a trace, start event first, as the loop emitted it (text deltas merged). */
export function eventsFromTrace(trace: Trace): AgentEvent[] {
	return [{ type: 'start', t: 0, header: trace.header }, ...trace.events];
}

/** Serialises a trace as JSON text. */
export function exportTrace(trace: Trace): string {
	return JSON.stringify(trace, null, 1);
}

/** Parses and validates trace JSON; throws a readable error when it is not a trace. */
export function importTrace(json: string | unknown): Trace {
	const data = typeof json === 'string' ? JSON.parse(json) : json;
	const parsed = traceSchema.safeParse(data);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new TypeError(`Not an ExecLab trace: ${issue?.path.join('.')}: ${issue?.message}`);
	}
	return parsed.data;
}

/** The model calls of a trace in order, for feeding the same output through the loop again. */
export function recordedCalls(trace: Trace): RecordedCall[] {
	const calls = new Map<number, RecordedCall>();
	const byTurn = new Map<number, RecordedCall>();
	const addTool = (turn: number, id: string, name: string, args: string) => {
		const call = byTurn.get(turn);
		if (call) (call.toolCalls ??= []).push({ id, name, arguments: args });
	};
	for (const event of trace.events) {
		if (event.type === 'call') {
			const call: RecordedCall = { text: '', finishReason: 'stop' };
			calls.set(event.call, call);
			byTurn.set(event.turn, call);
		} else if (event.type === 'action' && event.toolCallId) {
			addTool(
				event.turn,
				event.toolCallId,
				event.kind === 'sql' ? 'run_sql' : 'run_python',
				event.raw
			);
		} else if (event.type === 'answer' && event.toolCallId) {
			addTool(event.turn, event.toolCallId, 'submit', event.raw);
		} else if (event.type === 'text') {
			const call = calls.get(event.call);
			if (call) call.text += event.text;
		} else if (event.type === 'call-end') {
			const call = calls.get(event.call);
			if (call) call.finishReason = event.finishReason;
		}
	}
	return [...calls.keys()].sort((a, b) => a - b).map((k) => calls.get(k)!);
}

/** The observations of a trace, for a replay's engine-drift check (same runs, same text). */
export function recordedObservations(trace: Trace): { status: string; text: string }[] {
	return trace.events
		.filter((e) => e.type === 'observation')
		.map((e) => ({ status: e.status, text: e.text }));
}

/** The header fields shown in a trace list. */
export function describeTrace(header: TraceHeader): string {
	return `${header.presetId} · ${header.provider.kind}/${header.provider.model} · ${header.startedAt}`;
}
