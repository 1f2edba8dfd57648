import { runAgent, type RunAgentOptions } from '../../../src/core/agent/loop.ts';
import type { AgentEvent, EventOf } from '../../../src/core/trace/events.ts';

/** Runs the loop to the end and returns its events. */
export async function collect(options: RunAgentOptions): Promise<AgentEvent[]> {
	const events: AgentEvent[] = [];
	for await (const event of runAgent(options)) events.push(event);
	return events;
}

/** The events of one type. */
export function ofType<T extends AgentEvent['type']>(events: AgentEvent[], type: T): EventOf<T>[] {
	return events.filter((e): e is EventOf<T> => e.type === type);
}

/** Events without timings and with text deltas merged per call, for comparing runs. */
export function comparable(events: AgentEvent[]): unknown[] {
	const out: Record<string, unknown>[] = [];
	for (const e of events) {
		const { t: _t, ...rest } = e as AgentEvent & Record<string, unknown>;
		if (rest.type === 'start') continue;
		if (rest.type === 'observation' || rest.type === 'call-end') {
			delete rest.durationMs;
			delete rest.result;
			delete rest.usage;
		}
		const last = out.at(-1);
		if (rest.type === 'text' && last?.type === 'text' && last.call === rest.call)
			last.text += rest.text as string;
		else out.push(rest);
	}
	return out;
}
