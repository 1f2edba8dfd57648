// runMany on the host side: splits the samples into chunks and runs them on up to two workers at
// once (the client's worker and its warm spare, borrowed for the batch), each chunk watched for
// per-sample budgets; after a sample that cannot be interrupted, the lane's worker is replaced and
// the chunk resumes after it. Results come back in sample order.
import type { EvalSample, EvalSampleResult, RunManyOptions } from '../../workers/protocol.ts';
import { runChunk, type ChunkOptions } from './python-batch-chunk.ts';
import type { PythonWorkerHandle } from './python-worker-handle.ts';

/** Options of a batch run from the page. */
export interface RunManyRequest extends RunManyOptions {
	/** Aborting stops the batch (hard stop) and rejects with an AbortError. */
	signal?: AbortSignal;
	/** Called after each chunk with the number of finished samples. */
	onProgress?: (done: number, total: number) => void;
	/** Samples per worker call; a hard stop re-runs at most this many. Default: n/8, 25 to 500. */
	chunkSize?: number;
	/**
	 * Run chunks on two workers at once: the client's spare worker is borrowed (booted first if
	 * needed, then kept). Default: true for 200 samples or more when the machine has 4+ cores.
	 */
	parallel?: boolean;
}

/** What runBatch needs from the client. */
export interface BatchHost {
	handle(): Promise<PythonWorkerHandle>;
	graceMs: number;
	interrupt(handle: PythonWorkerHandle): void;
	/** Terminates, respawns and rebuilds the sessions of the client's worker. */
	hardStop(): Promise<unknown>;
	/** An idle second worker for a parallel lane, or null when none can be had. */
	borrow(): Promise<PythonWorkerHandle | null>;
	/** Hands a borrowed worker back; a `broken` one (stopped mid-call) is terminated. */
	giveBack(handle: PythonWorkerHandle, broken: boolean): void;
	/** Registers what the user's Stop button does while the batch runs. */
	setStop(stop: (() => void) | null): void;
}

/** A worker that chunks run on, one at a time. */
interface Lane {
	/** The lane's worker; null when a borrowed one was lost and could not be replaced. */
	handle(): Promise<PythonWorkerHandle | null>;
	/** Replaces the lane's worker (after a stuck sample or an abort). */
	hardStop(): Promise<void>;
}

const defaultTimeoutMs = 10_000;
// Below this a batch takes about as long as booting a second worker.
const minParallelSamples = 200;
// With two cores the page, the browser and the two workers compete, and a second lane measured
// slower (its boot plus contention) than one; from four cores on it has a core of its own.
const minParallelCores = 4;

/** Runs every sample, each with its own budget; results come back in sample order. */
export async function runBatch(
	host: BatchHost,
	samples: EvalSample[],
	request: RunManyRequest = {}
): Promise<EvalSampleResult[]> {
	const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
	const parallel =
		request.parallel ?? (cores >= minParallelCores && samples.length >= minParallelSamples);
	const size = Math.max(
		1,
		request.chunkSize ?? (parallel ? clamp(Math.ceil(samples.length / 8), 25, 500) : 500)
	);
	const stopper = new AbortController();
	const abort = () => stopper.abort();
	request.signal?.addEventListener('abort', abort);
	if (request.signal?.aborted) abort();
	host.setStop(abort);
	const chunkOptions: ChunkOptions = {
		signal: stopper.signal,
		graceMs: host.graceMs,
		maxOutputBytes: request.maxOutputBytes,
		budgetOf: (sample) => budgetOf(sample, request),
		interrupt: (handle) => host.interrupt(handle)
	};
	const results: EvalSampleResult[][] = [];
	const pending = Array.from({ length: Math.ceil(samples.length / size) }, (_, i) => i);
	const errors: unknown[] = [];
	let done = 0;
	const work = async (lane: Lane) => {
		try {
			for (let index = pending.shift(); index !== undefined; index = pending.shift()) {
				const chunk = samples.slice(index * size, (index + 1) * size);
				const out = await runSlice(lane, chunk, chunkOptions);
				if (out === null) return void pending.unshift(index);
				results[index] = out;
				done += out.length;
				request.onProgress?.(done, samples.length);
			}
		} catch (error) {
			errors.push(error);
			abort();
		}
	};
	const main: Lane = {
		handle: () => host.handle(),
		hardStop: async () => void (await host.hardStop())
	};
	try {
		const helper = { active: false };
		const second = parallel && pending.length > 1 ? helperWork(host, pending, work, helper) : null;
		await work(main);
		// Wait for the helper only when it is running a chunk, not while its worker still boots.
		if (second && helper.active) await second;
		// A chunk handed back by a helper that lost its worker after the main lane finished.
		if (!errors.length && pending.length) await work(main);
	} finally {
		host.setStop(null);
		request.signal?.removeEventListener('abort', abort);
	}
	if (errors.length) throw errors[0];
	return results.flat();
}

// The second lane: borrows the spare (it may still be booting while the first lane works) and
// returns it afterwards, or terminates it when it was stopped mid-call.
async function helperWork(
	host: BatchHost,
	pending: number[],
	work: (lane: Lane) => Promise<void>,
	state: { active: boolean }
): Promise<void> {
	let current = await host.borrow();
	if (!current) return;
	if (!pending.length) return host.giveBack(current, false);
	state.active = true;
	let gone = false;
	const lane: Lane = {
		async handle() {
			if (!current && !gone) gone = (current = await host.borrow()) === null;
			return current;
		},
		async hardStop() {
			if (current) host.giveBack(current, true);
			current = null;
		}
	};
	try {
		await work(lane);
	} finally {
		if (current) host.giveBack(current, false);
	}
}

// One chunk on one lane; after a stuck sample the worker is replaced, the samples before it are
// re-run (their results died with the worker) and the stuck one is reported as a timeout.
async function runSlice(
	lane: Lane,
	slice: EvalSample[],
	options: ChunkOptions
): Promise<EvalSampleResult[] | null> {
	const results: EvalSampleResult[] = [];
	let stuckAt = -1;
	let i = 0;
	while (i < slice.length) {
		if (options.signal.aborted) throw abortError();
		if (i === stuckAt) {
			results.push(stuckResult(slice[i], options.budgetOf(slice[i])));
			i++;
			continue;
		}
		const end = stuckAt > i ? stuckAt : slice.length;
		const handle = await lane.handle();
		if (!handle) return null;
		const outcome = await runChunk(handle, slice.slice(i, end), options);
		if (outcome.kind === 'done') {
			results.push(...outcome.results);
			i = end;
			continue;
		}
		await lane.hardStop();
		if (outcome.kind === 'aborted') throw abortError();
		if (outcome.kind === 'crashed') throw outcome.error;
		stuckAt = i + outcome.index;
	}
	return results;
}

function budgetOf(sample: EvalSample, request: RunManyRequest): number {
	return sample.timeoutMs ?? request.timeoutMs ?? defaultTimeoutMs;
}

function clamp(value: number, low: number, high: number): number {
	return Math.min(high, Math.max(low, value));
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
