// One batch run's control: the verdicts by job order, progress with counts and ETA, pause /
// resume / cancel, saving as it goes (through a store the caller gives), and the result. Where
// the jobs execute is the executor's business (src/runtime/eval-pool.ts: a pool of workers).
import type { EvalMachine, SampleVerdict } from '../pack.ts';
import { aggregate } from './aggregate.ts';
import type {
	BatchJob,
	BatchPlan,
	BatchProgress,
	BatchResult,
	BatchState,
	EvalRunHandle,
	EvalRunRecord,
	StartEvalRunRequest
} from './types.ts';
import { runChunkSize } from './types.ts';

/** What an executor is handed: where to put verdicts, when to wait, when to stop. */
export interface ExecuteContext {
	signal: AbortSignal;
	/** Resolves at once while running; while paused, when resumed. */
	gate(): Promise<void>;
	/** Records finished jobs' verdicts (any order, any batch size). */
	deliver(done: readonly { order: number; verdict: SampleVerdict }[]): void;
}

/** Runs jobs somewhere (a worker pool); rejects with the abort reason when the signal aborts. */
export interface BatchExecutor {
	execute(jobs: readonly BatchJob[], context: ExecuteContext): Promise<void>;
	/** The machine the verdicts are measured on. */
	machine(): EvalMachine;
}

/** Where a run is kept as it goes (src/runtime/eval-run-store.ts in the browser). */
export interface RunSaver {
	saveRecord(record: EvalRunRecord): Promise<void>;
	saveChunk(id: string, chunk: number, verdicts: (SampleVerdict | null)[]): Promise<void>;
}

/** A run to drive: its record, plan, the verdicts already known (on resume) and where to save. */
export interface DriveRequest {
	record: EvalRunRecord;
	plan: BatchPlan;
	ks?: number[];
	known?: (SampleVerdict | undefined)[];
	executor: BatchExecutor;
	saver?: RunSaver;
	signal?: AbortSignal;
	/** ms between saves of changed chunks (default 1000). */
	saveEveryMs?: number;
}

/** Starts executing the plan's pending jobs; returns the handle at once. */
export function driveRun(request: DriveRequest): EvalRunHandle {
	const { record, plan, executor, saver } = request;
	const total = plan.jobs.length;
	const verdicts: (SampleVerdict | undefined)[] = request.known?.slice() ?? [];
	verdicts.length = total;
	let done = verdicts.filter(Boolean).length;
	let passed = verdicts.filter((v) => v?.passed).length;
	const startDone = done;
	const started = performance.now();
	const listeners = new Set<(p: BatchProgress) => void>();
	const stopper = new AbortController();
	request.signal?.addEventListener('abort', () => stopper.abort(), { once: true });
	if (request.signal?.aborted) stopper.abort();
	let state: BatchState = 'running';
	let storageError: string | undefined;
	let error: string | undefined;
	const pause: { wake: () => void; gate: Promise<void> | null } = { wake: () => {}, gate: null };
	const dirty = new Set<number>();
	let lastSave = 0;

	const progress = (): BatchProgress => {
		const rate = (done - startDone) / Math.max(1, performance.now() - started);
		const etaMs = done > startDone && rate > 0 ? Math.round((total - done) / rate) : null;
		const p: BatchProgress = { done, total, passed, etaMs, state };
		if (error) p.error = error;
		if (storageError) p.storageError = storageError;
		return p;
	};
	const emit = () => {
		const p = progress();
		for (const listener of listeners) listener(p);
	};
	const save = async (force: boolean) => {
		if (!saver || (!force && performance.now() - lastSave < (request.saveEveryMs ?? 1000))) return;
		lastSave = performance.now();
		const chunks = [...dirty];
		dirty.clear();
		Object.assign(record, { state, done, passed, updatedAt: Date.now(), error });
		try {
			for (const n of chunks) {
				const slice = verdicts.slice(n * runChunkSize, (n + 1) * runChunkSize);
				await saver.saveChunk(
					record.id,
					n,
					Array.from(slice, (v) => v ?? null)
				);
			}
			await saver.saveRecord(record);
		} catch (e) {
			for (const n of chunks) dirty.add(n);
			storageError = e instanceof Error ? e.message : String(e);
			emit();
		}
	};
	const context: ExecuteContext = {
		signal: stopper.signal,
		gate: () => pause.gate ?? Promise.resolve(),
		deliver(batch) {
			for (const { order, verdict } of batch) {
				if (verdicts[order] === undefined) {
					done++;
					if (verdict.passed) passed++;
				}
				verdicts[order] = verdict;
				dirty.add(Math.floor(order / runChunkSize));
			}
			emit();
			void save(false);
		}
	};
	const pending = plan.jobs.filter((job) => verdicts[job.order] === undefined);
	const result = (async (): Promise<BatchResult> => {
		record.chunks = Math.ceil(total / runChunkSize);
		record.machine = executor.machine();
		await save(true);
		try {
			await executor.execute(pending, context);
			state = 'done';
		} catch (e) {
			if (stopper.signal.aborted) state = 'cancelled';
			else {
				state = 'error';
				error = e instanceof Error ? e.message : String(e);
			}
		}
		pause.wake();
		// Engine versions are known once the workers have started.
		record.machine = executor.machine();
		await save(true);
		emit();
		if (state === 'error') throw new Error(error);
		return resultOf(plan, verdicts, state, request.ks, record.machine);
	})();
	return {
		id: record.id,
		progress(listener) {
			listeners.add(listener);
			listener(progress());
			return () => listeners.delete(listener);
		},
		pause() {
			if (state !== 'running') return;
			state = 'paused';
			pause.gate = new Promise((resolve) => (pause.wake = resolve));
			emit();
			void save(true);
		},
		resume() {
			if (state !== 'paused') return;
			state = 'running';
			pause.gate = null;
			pause.wake();
			emit();
		},
		cancel() {
			stopper.abort();
			pause.wake();
		},
		result
	};
}

/** The result of verdicts so far: metrics over the finished samples, in input order. */
export function resultOf(
	plan: BatchPlan,
	verdicts: readonly (SampleVerdict | undefined)[],
	state: BatchState,
	ks?: number[],
	machine?: EvalMachine
): BatchResult {
	const samples = verdicts.filter((v): v is SampleVerdict => v !== undefined);
	return {
		state,
		metrics: aggregate(plan, verdicts, ks, machine),
		samples,
		nearLimit: samples.filter((s) => s.nearLimit)
	};
}

/** A new run's record (its id, pack, source and options; nothing done yet). */
export function newRunRecord(request: StartEvalRunRequest, total: number): EvalRunRecord {
	const now = Date.now();
	return {
		id: `run-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
		packId: request.pack.id,
		packTitle: request.pack.title,
		format: request.pack.format,
		source: request.source,
		options: request.options ?? {},
		createdAt: now,
		updatedAt: now,
		state: 'running',
		total,
		done: 0,
		passed: 0,
		chunks: 0
	};
}
