import type { Provider, ReplayTurn } from '../core/providers/index.ts';
import { ReplayThenLiveProvider } from '../core/providers/replay-then-live.ts';
import { DivergenceTracker, expectedObservations } from '../core/trace/divergence.ts';
import type { AgentEvent, StopReason } from '../core/trace/events.ts';
import type { Trace } from '../core/trace/trace.ts';
import type { ReplayControl } from './replay-control.svelte.ts';

/** Recorded model output the Replay provider plays, with where it came from. */
export interface ReplaySource {
	title: string;
	turns: ReplayTurn[];
	/** The trace it came from (absent for the scripted demo). */
	trace: Trace | null;
}

/** A replay's provider and its divergence check, for one run of the Agent tab. */
export interface ReplayPlan {
	provider: ReplayThenLiveProvider;
	/** Takes each live event as it comes. */
	observe(event: AgentEvent): void;
	/** Ends the check with the run's stop reason. */
	finish(reason: StopReason | null): void;
}

/** What a replay plan is made of. */
export interface ReplayPlanOptions {
	source: ReplaySource;
	control: ReplayControl;
	/** The live provider that continues the trace (absent: a plain replay). */
	live?: Provider;
	/** The status to show once the run has ended. */
	onNote(text: string): void;
	/** Stops the run (at a divergence, when so set). */
	abort(): void;
}

/**
 * The provider of a replay (paced and gated by `control`) and the check of its live observations
 * against the recorded ones: each divergence is marked as it comes, and the run waits for the
 * user's choice or stops, as `control` says. A continued trace is compared only where it is a
 * replay (the recorded turns' observations); a plain replay also counts observations never reached.
 */
export function createReplayPlan(options: ReplayPlanOptions): ReplayPlan {
	const { source, control, live, onNote } = options;
	control.reset();
	const recorded = source.turns.length;
	const provider = new ReplayThenLiveProvider({
		turns: source.turns,
		model: source.trace?.header.provider.model ?? 'replay',
		pace: () => control.pace,
		gate: (turn, signal) => control.gate(turn, recorded, signal),
		...(live ? { live } : {})
	});
	const trace = source.trace;
	if (!trace) return { provider, observe() {}, finish() {} };
	const continuing = live !== undefined;
	const tracker = new DivergenceTracker(trace.events);
	const limit = continuing
		? observationsOfCalls(trace.events, recorded)
		: expectedObservations(trace.events).length;
	return {
		provider,
		observe(event) {
			if (event.type !== 'observation' || (continuing && tracker.seen >= limit)) return;
			const found = tracker.observe(event);
			if (!found || control.mark(found, event) === 'wait') return;
			onNote(`Stopped at the first divergence (action ${found.action + 1}).`);
			options.abort();
		},
		finish(reason) {
			if (continuing) return;
			const known = control.divergences.length;
			for (const missing of tracker.finish(reason).slice(known)) control.markMissing(missing);
			const n = control.divergences.length;
			if (!n && reason !== 'user') onNote('Replayed: every observation matched the recording.');
			else if (n && reason !== 'user')
				onNote(`Replayed with ${n} divergence${n === 1 ? '' : 's'} from the recording.`);
		}
	};
}

/** How many observations the first `calls` model calls of a recording made. */
function observationsOfCalls(events: readonly AgentEvent[], calls: number): number {
	let seen = 0;
	let n = 0;
	for (const e of events) {
		if (e.type === 'call' && ++seen > calls) break;
		if (e.type === 'observation') n++;
	}
	return n;
}
