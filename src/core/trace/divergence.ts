import { diffLines } from 'diff';
import type { AgentEvent, StopReason } from './events.ts';

// A replay re-executes every recorded action live. Its observations are compared with the recorded
// ones by position: the n-th observation of the live run against the n-th of the trace. Equal means
// the exact same text, byte for byte: the text is what the model saw, so any difference (a changed
// row, another engine's message) is something the recorded model output was not a reply to. Nothing
// is normalised: observation texts carry no clock readings (durations are a separate field, not
// compared), and a timeout's text names the limit, not the time taken.

/** An observation of the live run that differs from the recorded one (null: there was none). */
export interface Divergence {
	/** 0-based index of the action (its observation) in the run, counting every observation. */
	action: number;
	/** The recorded observation text, or null when the live run went further than the recording. */
	expected: string | null;
	/** The live observation text, or null when the live run ended before reaching it. */
	actual: string | null;
}

/** One piece of a line diff: lines both sides share, or lines only one side has. */
export interface DiffPart {
	kind: 'same' | 'removed' | 'added';
	/** The lines, each ending in a newline except perhaps the last. */
	text: string;
}

/** A readable line diff from the expected text to the actual one (jsdiff's line diff). */
export function observationDiff(expected: string | null, actual: string | null): DiffPart[] {
	return diffLines(expected ?? '', actual ?? '').map((change) => ({
		kind: change.added ? 'added' : change.removed ? 'removed' : 'same',
		text: change.value
	}));
}

/** The divergence of one observation from its recorded counterpart, or null when they are equal. */
export function compareObservation(
	action: number,
	expected: string | null,
	actual: string | null
): Divergence | null {
	return expected === actual ? null : { action, expected, actual };
}

/** The observation texts of a recorded run, in order (what a replay's observations are compared with). */
export function expectedObservations(events: readonly AgentEvent[]): string[] {
	return events.flatMap((e) => (e.type === 'observation' ? [e.text] : []));
}

/**
 * Follows a replay: each live observation is compared with the recorded one at the same index as
 * it arrives; at the end, recorded observations the run never reached count too (unless the user
 * stopped it, when not reaching them is no news).
 */
export class DivergenceTracker {
	readonly #expected: readonly string[];
	readonly #found: Divergence[] = [];
	#seen = 0;

	/** A tracker of a replay of the recorded events `recorded`. */
	constructor(recorded: readonly AgentEvent[]) {
		this.#expected = expectedObservations(recorded);
	}

	/** The divergences found so far. */
	get divergences(): readonly Divergence[] {
		return this.#found;
	}

	/** Observations of the live run so far. */
	get seen(): number {
		return this.#seen;
	}

	/** Takes one live event; returns the divergence it is, if it is an observation that differs. */
	observe(event: AgentEvent): Divergence | null {
		if (event.type !== 'observation') return null;
		const index = this.#seen++;
		const found = compareObservation(index, this.#expected[index] ?? null, event.text);
		if (found) this.#found.push(found);
		return found;
	}

	/** Ends the comparison: the recorded observations not reached are added (except after Stop). */
	finish(reason: StopReason | null): readonly Divergence[] {
		if (reason !== 'user') {
			for (let i = this.#seen; i < this.#expected.length; i++) {
				this.#found.push({ action: i, expected: this.#expected[i], actual: null });
			}
			this.#seen = Math.max(this.#seen, this.#expected.length);
		}
		return this.#found;
	}
}
