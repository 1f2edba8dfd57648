// A batch run whose answers come from a model: they are generated first (progress counts them,
// phase 'generating'), then handed to the scoring run the caller starts (phase 'scoring'). One
// handle covers both; pause holds the model calls too, and a cancel while generating ends the run
// with nothing scored.
import type { Provider } from '../../providers/types.ts';
import { generateAnswers, type GeneratedAnswer } from './generate.ts';
import type { BatchProgress, BatchResult, EvalRunHandle, StartEvalRunRequest } from './types.ts';

/** Generates the answers of a `model` source, then scores them through `score` (run `id`). */
export function generatingRun(
	id: string,
	request: StartEvalRunRequest,
	provider: Provider,
	score: (answers: GeneratedAnswer[], signal: AbortSignal) => EvalRunHandle
): EvalRunHandle {
	const source = request.source;
	if (source.kind !== 'model') throw new TypeError('source: expected kind "model"');
	const listeners = new Set<(p: BatchProgress) => void>();
	let current: BatchProgress = {
		...{ done: 0, total: 0, passed: 0, etaMs: null },
		...{ state: 'running', phase: 'generating' }
	};
	const emit = (p: BatchProgress) => {
		current = p;
		for (const listener of listeners) listener(p);
	};
	const stopper = new AbortController();
	request.signal?.addEventListener('abort', () => stopper.abort(), { once: true });
	let inner: EvalRunHandle | null = null;
	const pause: { gate: Promise<void> | null; wake: () => void } = { gate: null, wake: () => {} };
	const result = (async (): Promise<BatchResult> => {
		let answers: GeneratedAnswer[];
		try {
			answers = await generateAnswers(request.pack, {
				...{ provider, preset: source.preset, n: source.n, sampling: source.sampling },
				signal: stopper.signal,
				gate: () => pause.gate ?? Promise.resolve(),
				onProgress: (done, total) => emit({ ...current, done, total })
			});
		} catch (error) {
			if (!stopper.signal.aborted) throw error;
			emit({ ...current, state: 'cancelled' });
			return {
				state: 'cancelled',
				metrics: { nearLimit: 0, total: 0 },
				samples: [],
				nearLimit: []
			};
		}
		inner = score(answers, stopper.signal);
		// Paused while the last calls were in flight: scoring starts paused.
		if (pause.gate) inner.pause();
		inner.progress((p) => emit({ ...p, phase: 'scoring' }));
		return inner.result;
	})();
	return {
		id,
		progress(listener) {
			listeners.add(listener);
			listener(current);
			return () => listeners.delete(listener);
		},
		pause() {
			if (inner) return inner.pause();
			if (current.state !== 'running') return;
			pause.gate = new Promise((resolve) => (pause.wake = resolve));
			emit({ ...current, state: 'paused' });
		},
		resume() {
			if (inner) return inner.resume();
			if (current.state !== 'paused') return;
			pause.gate = null;
			pause.wake();
			emit({ ...current, state: 'running' });
		},
		cancel() {
			stopper.abort();
			pause.wake();
			inner?.cancel();
		},
		result
	};
}
