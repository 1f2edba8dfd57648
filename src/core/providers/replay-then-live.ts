import type { AgentEvent } from '../trace/events.ts';
import { ProviderError } from './errors.ts';
import { ReplayProvider, type ReplayTurn } from './replay.ts';
import type { GenerateRequest, Provider, StreamChunk } from './types.ts';

/** Options of {@link ReplayThenLiveProvider}. */
export interface ReplayThenLiveOptions {
	/** The recorded model turns, played in order. */
	turns: ReplayTurn[];
	/** Model name of the recording (used while no live provider takes over). */
	model?: string;
	/** The pace now, read at each turn: characters per second, or null for as fast as possible. */
	pace?: () => number | null;
	/**
	 * Awaited before each model turn (0-based): a step-by-step replay releases turns one at a
	 * time, and a replay waiting on the user's choice after a divergence holds here.
	 */
	gate?: (turn: number, signal?: AbortSignal) => Promise<void>;
	/** Takes over once the recorded turns are played (a continued trace); none: the replay ends there. */
	live?: Provider;
}

/**
 * The provider of a replay in the Agent tab: the recorded turns first (each paced and gated as
 * the user sets it, through {@link ReplayProvider}), then, when continuing a trace, a live
 * provider for every later turn. The loop sees one provider and rebuilds the whole conversation
 * for the live model, so it continues exactly where the recording stops.
 */
export class ReplayThenLiveProvider implements Provider {
	readonly kind: Provider['kind'];
	readonly model: string;
	readonly #options: ReplayThenLiveOptions;
	#played = 0;

	constructor(options: ReplayThenLiveOptions) {
		this.#options = options;
		// A continued run is the live model's: its header names it (the replayed turns are its context).
		this.kind = options.live?.kind ?? 'replay';
		this.model = options.live?.model ?? options.model ?? 'replay';
	}

	/** Model turns played so far (recorded and live). */
	get played(): number {
		return this.#played;
	}

	/** Whether the next turn is live (every recorded turn has been played). */
	get live(): boolean {
		return this.#played >= this.#options.turns.length;
	}

	/** Plays the next recorded turn, or asks the live provider once they are all played. */
	async *generate(request: GenerateRequest): AsyncIterable<StreamChunk> {
		const { turns, gate, pace, live } = this.#options;
		const index = this.#played;
		await gate?.(index, request.signal);
		this.#played++;
		if (index < turns.length) {
			const cps = pace?.() ?? null;
			const one = new ReplayProvider({
				turns: [turns[index]],
				...(cps && cps > 0 ? { charsPerSecond: cps } : {})
			});
			yield* one.generate(request);
		} else if (live) {
			yield* live.generate(request);
		} else {
			throw new ProviderError(
				'server',
				`The recording has no turn #${index + 1}: the run went further than the trace.`,
				{
					fixes: [
						'Continue the trace with a live model, or replay it on the task it was recorded on.'
					]
				}
			);
		}
	}
}

/**
 * How many of a recorded run's model calls are complete, in order: ended, with every action they
 * made observed and no fatal error. A trace cut by a crash or a reload continues after these.
 */
export function completeCallCount(events: readonly AgentEvent[]): number {
	let calls = 0;
	let complete = 0;
	let ended = false;
	let pending = 0;
	let failed = false;
	const settle = () => {
		if (calls > complete && ended && pending === 0 && !failed) complete = calls;
	};
	for (const e of events) {
		if (e.type === 'call') {
			settle();
			if (complete < calls) return complete;
			calls++;
			ended = false;
			pending = 0;
		} else if (e.type === 'call-end') ended = true;
		else if (e.type === 'action') pending++;
		else if (e.type === 'observation') pending = Math.max(0, pending - 1);
		else if (e.type === 'error' && e.fatal) failed = true;
	}
	settle();
	return complete;
}
