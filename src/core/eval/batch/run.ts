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
	return new RunControl(request).handle();
}

// One run's state: verdicts by order, counts, pause gate, what is still to save.
class RunControl {
	readonly #request: DriveRequest;
	readonly #verdicts: (SampleVerdict | undefined)[];
	readonly #listeners = new Set<(p: BatchProgress) => void>();
	readonly #stopper = new AbortController();
	readonly #dirty = new Set<number>();
	readonly #started = performance.now();
	readonly #startDone: number;
	#done: number;
	#passed: number;
	#state: BatchState = 'running';
	#error: string | undefined;
	#storageError: string | undefined;
	#gate: Promise<void> | null = null;
	#wake: () => void = () => {};
	#lastSave = 0;

	constructor(request: DriveRequest) {
		this.#request = request;
		this.#verdicts = request.known?.slice() ?? [];
		this.#verdicts.length = request.plan.jobs.length;
		this.#done = this.#startDone = this.#verdicts.filter(Boolean).length;
		this.#passed = this.#verdicts.filter((v) => v?.passed).length;
		const outer = request.signal;
		outer?.addEventListener('abort', () => this.#stopper.abort(), { once: true });
		if (outer?.aborted) this.#stopper.abort();
	}

	handle(): EvalRunHandle {
		const result = this.#run();
		return {
			id: this.#request.record.id,
			progress: (listener) => {
				this.#listeners.add(listener);
				listener(this.#progress());
				return () => this.#listeners.delete(listener);
			},
			pause: () => this.#pause(),
			resume: () => this.#resume(),
			cancel: () => {
				this.#stopper.abort();
				this.#wake();
			},
			result
		};
	}

	async #run(): Promise<BatchResult> {
		const { record, plan, executor } = this.#request;
		record.chunks = Math.ceil(plan.jobs.length / runChunkSize);
		record.machine = executor.machine();
		await this.#save(true);
		const pending = plan.jobs.filter((job) => this.#verdicts[job.order] === undefined);
		try {
			await executor.execute(pending, this.#context());
			this.#state = 'done';
		} catch (e) {
			if (this.#stopper.signal.aborted) this.#state = 'cancelled';
			else {
				this.#state = 'error';
				this.#error = e instanceof Error ? e.message : String(e);
			}
		}
		this.#wake();
		// Engine versions are known once the workers have started.
		record.machine = executor.machine();
		await this.#save(true);
		this.#emit();
		if (this.#state === 'error') throw new Error(this.#error);
		return resultOf(plan, this.#verdicts, this.#state, this.#request.ks, record.machine);
	}

	#context(): ExecuteContext {
		return {
			signal: this.#stopper.signal,
			gate: () => this.#gate ?? Promise.resolve(),
			deliver: (batch) => {
				for (const { order, verdict } of batch) {
					if (this.#verdicts[order] === undefined) {
						this.#done++;
						if (verdict.passed) this.#passed++;
					}
					this.#verdicts[order] = verdict;
					this.#dirty.add(Math.floor(order / runChunkSize));
				}
				this.#emit();
				void this.#save(false);
			}
		};
	}

	#pause(): void {
		if (this.#state !== 'running') return;
		this.#state = 'paused';
		this.#gate = new Promise((resolve) => (this.#wake = resolve));
		this.#emit();
		void this.#save(true);
	}

	#resume(): void {
		if (this.#state !== 'paused') return;
		this.#state = 'running';
		this.#gate = null;
		this.#wake();
		this.#emit();
	}

	#progress(): BatchProgress {
		const total = this.#verdicts.length;
		const gained = this.#done - this.#startDone;
		const rate = gained / Math.max(1, performance.now() - this.#started);
		const etaMs = gained > 0 && rate > 0 ? Math.round((total - this.#done) / rate) : null;
		const p: BatchProgress = {
			done: this.#done,
			total,
			passed: this.#passed,
			etaMs,
			state: this.#state
		};
		if (this.#error) p.error = this.#error;
		if (this.#storageError) p.storageError = this.#storageError;
		return p;
	}

	#emit(): void {
		const p = this.#progress();
		for (const listener of this.#listeners) listener(p);
	}

	// Changed verdict chunks, then the record; at most once per saveEveryMs unless forced. A
	// failure (quota) is reported in progress and the chunks stay to save next time.
	async #save(force: boolean): Promise<void> {
		const { saver, record } = this.#request;
		const every = this.#request.saveEveryMs ?? 1000;
		if (!saver || (!force && performance.now() - this.#lastSave < every)) return;
		this.#lastSave = performance.now();
		const chunks = [...this.#dirty];
		this.#dirty.clear();
		const { done, passed } = { done: this.#done, passed: this.#passed };
		Object.assign(record, {
			state: this.#state,
			done,
			passed,
			updatedAt: Date.now(),
			error: this.#error
		});
		try {
			for (const n of chunks) {
				const slice = this.#verdicts.slice(n * runChunkSize, (n + 1) * runChunkSize);
				await saver.saveChunk(
					record.id,
					n,
					Array.from(slice, (v) => v ?? null)
				);
			}
			await saver.saveRecord(record);
		} catch (e) {
			for (const n of chunks) this.#dirty.add(n);
			this.#storageError = e instanceof Error ? e.message : String(e);
			this.#emit();
		}
	}
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
