// One runMany worker call, watched: each sample's time budget is checked through the worker's
// shared batch buffer (or its `sample` events without isolation); a sample that overruns is
// interrupted, and one that ignores the interrupt makes the chunk "stuck" (the caller hard-stops).
import type { EvalSample, EvalSampleResult } from '../../workers/protocol.ts';
import { batchProgress } from '../../workers/python-shared-memory.ts';
import type { PythonWorkerHandle } from './python-worker-handle.ts';

/** How a chunk ended; `stuck` names the sample (index within the chunk) that could not be stopped. */
export type ChunkOutcome =
	| { kind: 'done'; results: EvalSampleResult[] }
	| { kind: 'stuck'; index: number }
	| { kind: 'aborted' }
	| { kind: 'crashed'; error: unknown };

/** What watching a chunk needs. */
export interface ChunkOptions {
	signal: AbortSignal;
	graceMs: number;
	maxOutputBytes?: number;
	/** Wall-time budget of a sample, in ms. */
	budgetOf(sample: EvalSample): number;
	/** Raises KeyboardInterrupt in this worker. */
	interrupt(handle: PythonWorkerHandle): void;
}

/** Sends `chunk` to the worker in one call and enforces every sample's budget while it runs. */
export function runChunk(
	handle: PythonWorkerHandle,
	chunk: EvalSample[],
	options: ChunkOptions
): Promise<ChunkOutcome> {
	const progress = handle.buffers ? batchProgress(handle.buffers.batch) : null;
	progress?.clear();
	if (handle.buffers) Atomics.store(handle.buffers.interrupt, 0, 0);
	handle.lastSample.index = -1;
	const call = handle.api.runMany(chunk, { maxOutputBytes: options.maxOutputBytes });
	const { signal } = options;
	return new Promise<ChunkOutcome>((resolve) => {
		let seenStarted = -1;
		let seenIndex = -1;
		let seenAt = performance.now();
		let interruptedStarted = -1;
		let interruptedAt = 0;
		const finish = (outcome: ChunkOutcome) => {
			clearInterval(poll);
			signal.removeEventListener('abort', onAbort);
			resolve(outcome);
		};
		const onAbort = () => finish({ kind: 'aborted' });
		signal.addEventListener('abort', onAbort);
		call.then(
			(results) => finish({ kind: 'done', results }),
			(error) => finish({ kind: 'crashed', error })
		);
		void handle.crashed.then((why) => finish({ kind: 'crashed', error: new Error(why) }));
		const poll = setInterval(() => {
			const now = performance.now();
			if (progress) {
				const started = progress.started;
				if (started !== seenStarted) {
					seenStarted = started;
					seenIndex = progress.index;
					seenAt = now;
				}
			} else if (handle.lastSample.index !== seenIndex) {
				seenIndex = handle.lastSample.index;
				seenStarted++;
				seenAt = handle.lastSample.at;
			}
			if (seenIndex < 0 || seenIndex >= chunk.length) return;
			if (interruptedStarted === seenStarted) {
				if (now - interruptedAt > options.graceMs) finish({ kind: 'stuck', index: seenIndex });
				return;
			}
			if (now - seenAt <= options.budgetOf(chunk[seenIndex])) return;
			if (!progress) return finish({ kind: 'stuck', index: seenIndex });
			progress.markTarget(seenIndex);
			options.interrupt(handle);
			interruptedStarted = seenStarted;
			interruptedAt = now;
		}, 5);
		if (signal.aborted) onAbort();
	});
}
