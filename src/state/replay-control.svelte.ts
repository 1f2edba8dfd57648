import { abortedError } from '../core/providers/errors.ts';
import type { Divergence } from '../core/trace/divergence.ts';
import type { EventOf } from '../core/trace/events.ts';
import { loadText, saveText } from './persistence.ts';

// How a replay in the Agent tab is played: step by step (one model turn per Next) or at a pace,
// and what happens at a divergence: the replay waits for the user's choice (continue or stop), or
// stops at once when "stop at the first divergence" is set. The provider's gate waits here.

/** A divergence found during a replay, with the live observation event it is about (null: never reached). */
export interface MarkedDivergence {
	divergence: Divergence;
	event: EventOf<'observation'> | null;
}

/** Paces offered: characters per second (0: as fast as possible). */
export const replayPaces = [
	{ cps: 150, label: 'slow' },
	{ cps: 900, label: 'normal' },
	{ cps: 6000, label: 'fast' },
	{ cps: 0, label: 'instant' }
] as const;

const optionsKey = 'replay-options';

interface Waiter {
	resolve(): void;
	reject(error: unknown): void;
}

/** Replay controls and the divergences of the current replay. */
export class ReplayControl {
	/** Step by step: each recorded model turn waits for {@link next}. */
	step = $state(false);
	/** Characters per second of the replayed text (0: as fast as possible). */
	pace = $state(900);
	/** Stop the replay at the first divergence instead of asking. */
	stopAtDivergence = $state(false);
	/** What the replay waits for: the Next key, the user's choice after a divergence, or nothing. */
	waiting = $state<'next' | 'divergence' | null>(null);
	/** Divergences of the current (or last) replay, in order. */
	divergences = $state.raw<MarkedDivergence[]>([]);
	#waiter: Waiter | null = null;

	constructor() {
		try {
			const saved = JSON.parse(loadText(optionsKey) ?? '{}') as Record<string, unknown>;
			if (typeof saved.step === 'boolean') this.step = saved.step;
			if (typeof saved.pace === 'number' && saved.pace >= 0) this.pace = saved.pace;
			if (typeof saved.stopAtDivergence === 'boolean')
				this.stopAtDivergence = saved.stopAtDivergence;
		} catch {
			// A damaged entry: the defaults stand.
		}
	}

	/** Keeps the options for the next visit. */
	save(): void {
		const { step, pace, stopAtDivergence } = this;
		saveText(optionsKey, JSON.stringify({ step, pace, stopAtDivergence }));
	}

	/** Forgets the divergences and any wait (a new replay). */
	reset(): void {
		this.divergences = [];
		this.#release();
	}

	/**
	 * Waits before recorded model turn `turn` (of `recorded`): while a divergence awaits the
	 * user's choice, and in step mode for Next. Rejects as a stopped request when `signal` fires.
	 */
	async gate(turn: number, recorded: number, signal?: AbortSignal): Promise<void> {
		if (this.waiting === 'divergence') await this.#wait(signal);
		if (this.step && turn < recorded) {
			this.waiting = 'next';
			await this.#wait(signal);
		}
	}

	/** Releases the next recorded turn (step mode). */
	next(): void {
		if (this.waiting === 'next') this.#release();
	}

	/** Answers a divergence: go on replaying, or stop (the caller stops the run). */
	choose(choice: 'continue' | 'stop'): void {
		if (this.waiting !== 'divergence') return;
		if (choice === 'continue') this.#release();
		else this.#release(abortedError('stopped at a divergence'));
	}

	/** Records a divergence; returns whether the run must stop now (else it waits for a choice). */
	mark(divergence: Divergence, event: EventOf<'observation'>): 'stop' | 'wait' {
		this.divergences = [...this.divergences, { divergence, event }];
		if (this.stopAtDivergence) return 'stop';
		this.waiting = 'divergence';
		return 'wait';
	}

	/** Records a recorded observation the live run never reached (the run has ended). */
	markMissing(divergence: Divergence): void {
		this.divergences = [...this.divergences, { divergence, event: null }];
	}

	/** The divergence of a live observation, if it is one. */
	divergenceOf(event: EventOf<'observation'> | null): Divergence | null {
		if (!event) return null;
		return this.divergences.find((d) => d.event === event)?.divergence ?? null;
	}

	/** Ends any wait (the run ended). */
	settle(): void {
		this.#release();
	}

	#wait(signal?: AbortSignal): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			if (signal?.aborted) return reject(abortedError(signal.reason));
			const onAbort = () => this.#release(abortedError(signal?.reason));
			signal?.addEventListener('abort', onAbort, { once: true });
			this.#waiter = {
				resolve: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				},
				reject: (error) => {
					signal?.removeEventListener('abort', onAbort);
					reject(error);
				}
			};
		});
	}

	#release(error?: unknown): void {
		const waiter = this.#waiter;
		this.#waiter = null;
		this.waiting = null;
		if (!waiter) return;
		if (error === undefined) waiter.resolve();
		else waiter.reject(error);
	}
}
