// runMany on the host side: sends samples in chunks, watches each sample's time budget through
// the shared batch buffer (or per-sample messages without isolation), interrupts a sample that
// overruns, and hard-stops then resumes after a sample that cannot be interrupted.
import type { EvalSample, EvalSampleResult, RunManyOptions } from '../../workers/protocol.ts';
import { batchProgress } from '../../workers/python-shared-memory.ts';
import type { PythonWorkerHandle } from './python-worker-handle.ts';

/** Options of a batch run from the page. */
export interface RunManyRequest extends RunManyOptions {
	/** Aborting stops the batch (hard stop) and rejects with an AbortError. */
	signal?: AbortSignal;
	/** Called after each chunk with the number of finished samples. */
	onProgress?: (done: number, total: number) => void;
	/** Samples per worker call; a hard stop re-runs at most this many. Default 500. */
	chunkSize?: number;
}

/** What runBatch needs from the client. */
export interface BatchHost {
	handle(): Promise<PythonWorkerHandle>;
	graceMs: number;
	interrupt(): void;
	/** Terminates, respawns and rebuilds the sessions. */
	hardStop(): Promise<unknown>;
	/** Registers what the user's Stop button does while the batch runs. */
	setStop(stop: (() => void) | null): void;
}

type ChunkOutcome =
	| { kind: 'done'; results: EvalSampleResult[] }
	| { kind: 'stuck'; index: number }
	| { kind: 'aborted' }
	| { kind: 'crashed'; error: unknown };

const defaultTimeoutMs = 10_000;

/** Runs every sample, each with its own budget; results come back in sample order. */
export async function runBatch(
	host: BatchHost,
	samples: EvalSample[],
	request: RunManyRequest = {}
): Promise<EvalSampleResult[]> {
	const results: EvalSampleResult[] = [];
	const chunkSize = Math.max(1, request.chunkSize ?? 500);
	let stuckAt = -1;
	let i = 0;
	while (i < samples.length) {
		if (request.signal?.aborted) throw abortError();
		if (i === stuckAt) {
			results.push(stuckResult(samples[i], budgetOf(samples[i], request)));
			i++;
			continue;
		}
		const end = stuckAt > i ? stuckAt : Math.min(samples.length, i + chunkSize);
		const outcome = await runChunk(host, samples.slice(i, end), request);
		if (outcome.kind === 'done') {
			results.push(...outcome.results);
			i = end;
			request.onProgress?.(i, samples.length);
			continue;
		}
		await host.hardStop();
		if (outcome.kind === 'aborted') throw abortError();
		if (outcome.kind === 'crashed') throw outcome.error;
		// Re-run the samples before the stuck one (their results died with the worker), then skip it.
		stuckAt = i + outcome.index;
	}
	return results;
}

async function runChunk(
	host: BatchHost,
	chunk: EvalSample[],
	request: RunManyRequest
): Promise<ChunkOutcome> {
	const handle = await host.handle();
	const progress = handle.buffers ? batchProgress(handle.buffers.batch) : null;
	progress?.clear();
	if (handle.buffers) Atomics.store(handle.buffers.interrupt, 0, 0);
	handle.lastSample.index = -1;
	const call = handle.api.runMany(chunk, { maxOutputBytes: request.maxOutputBytes });
	return new Promise<ChunkOutcome>((resolve) => {
		let seenStarted = -1;
		let seenIndex = -1;
		let seenAt = performance.now();
		let interruptedStarted = -1;
		let interruptedAt = 0;
		const finish = (outcome: ChunkOutcome) => {
			clearInterval(poll);
			request.signal?.removeEventListener('abort', onAbort);
			host.setStop(null);
			resolve(outcome);
		};
		const onAbort = () => finish({ kind: 'aborted' });
		request.signal?.addEventListener('abort', onAbort);
		host.setStop(onAbort);
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
				if (now - interruptedAt > host.graceMs) finish({ kind: 'stuck', index: seenIndex });
				return;
			}
			if (now - seenAt <= budgetOf(chunk[seenIndex], request)) return;
			if (!progress) return finish({ kind: 'stuck', index: seenIndex });
			progress.markTarget(seenIndex);
			host.interrupt();
			interruptedStarted = seenStarted;
			interruptedAt = now;
		}, 5);
	});
}

function budgetOf(sample: EvalSample, request: RunManyRequest): number {
	return sample.timeoutMs ?? request.timeoutMs ?? defaultTimeoutMs;
}

function stuckResult(sample: EvalSample, budget: number): EvalSampleResult {
	const message = `exceeded its ${budget} ms budget and could not be interrupted; the worker was restarted`;
	return {
		id: sample.id,
		status: 'timeout',
		error: { type: 'TimeoutError', message, traceback: `TimeoutError: ${message}`, line: null },
		stdout: '',
		durationMs: budget
	};
}

function abortError(): DOMException {
	return new DOMException('runMany was stopped', 'AbortError');
}
