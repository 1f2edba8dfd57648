// The contract of a batch run (issue 14 §4): where the answers come from, the options, the
// progress it reports, the jobs it plans (one per task and sample index) and the record kept in
// IndexedDB so a reload resumes it. The runtime side (src/runtime/eval-pool.ts) exposes:
//   createEvalPool(opts?: EvalPoolOptions): EvalPool
//   startEvalRun(request: StartEvalRunRequest): EvalRunHandle
//   resumeEvalRun(runId: string, options: ResumeEvalRunOptions): Promise<EvalRunHandle>
// and src/runtime/eval-run-store.ts keeps the records (evalRunStore: list/load/save/remove).
import type { EvalMachine, EvalMetrics, PackFormat, SampleVerdict, TaskPack } from '../pack.ts';

/** Sampling parameters for a model source. */
export interface BatchSampling {
	temperature?: number;
	topP?: number;
	maxTokens?: number;
}

/** A model provider as the embed `agent-run` names it (`{kind: 'openai', baseUrl?, apiKey?, model}`…). */
export interface BatchProvider {
	kind: string;
	model?: string;
	baseUrl?: string;
	apiKey?: string;
	[field: string]: unknown;
}

/** Where a batch run's answers come from (the embed `eval-run`'s `source`, exactly). */
export type BatchSource =
	/** A benchmark's own predictions file: HumanEval `samples.jsonl`, MBPP JSONL, Spider `predicted_sql.txt`, BIRD `predict_dev.json`. */
	| { kind: 'predictions'; text: string }
	/** The pack's own reference solutions (canonical_solution, MBPP `code`, Spider/BIRD gold SQL). */
	| { kind: 'reference' }
	/** `n` samples per task from a model through a provider and preset. */
	| { kind: 'model'; provider: BatchProvider; preset: string; n: number; sampling?: BatchSampling };

/** Limits of a batch run; the official limits apply when unset. */
export interface BatchBudgets {
	/** Per-sample (Python) or per-query (SQL) wall time, ms. Defaults: HumanEval 3000, MBPP 5000, Spider 60000, BIRD 30000. */
	timeoutMs?: number;
	/** Output cap per Python sample, bytes. */
	maxOutputBytes?: number;
}

/** Options of a batch run (the embed `eval-run`'s `k`, `workers`, `budgets`). */
export interface BatchOptions {
	/** pass@k values to report (Python packs). Default [1, 10, 100], each only when every task has ≥ k samples. */
	k?: number[];
	/** Workers in the pool. Default navigator.hardwareConcurrency. */
	workers?: number;
	budgets?: BatchBudgets;
}

/** Where a run is. */
export type BatchState = 'running' | 'paused' | 'cancelled' | 'done' | 'error';

/** A run's progress, reported after each chunk. */
export interface BatchProgress {
	done: number;
	total: number;
	passed: number;
	/** Estimated time left, from the rate so far; null before the first chunk. */
	etaMs: number | null;
	state: BatchState;
	/** Set when state is `error`. */
	error?: string;
	/** A model source first generates its answers (`done` counts answers), then scores them. */
	phase?: 'generating' | 'scoring';
	/** Saving the run for a later resume failed (e.g. the storage quota); the run itself goes on. */
	storageError?: string;
}

/** What every job carries: its place in the input order, its task and its sample index. */
interface JobBase {
	/** Position in the order the predictions were given (the result's `samples[order]`). */
	order: number;
	taskId: string;
	/** Which answer to that task (0-based), in the order they were given. */
	index: number;
	/** Spider hardness / BIRD difficulty. */
	group?: string;
}

/** A Python job: one runMany sample, built exactly as the metric function builds it. */
export interface PythonJob extends JobBase {
	kind: 'python';
	metric: 'humaneval' | 'mbpp';
	code: string;
	tests: string;
	timeoutMs: number;
	/** The runMany sample's `guard` (HumanEval's sandbox, workers/protocol.ts EvalSample). */
	guard?: 'humaneval';
}

/** An SQL job: a prediction scored against the gold on the task's database(s). */
export interface SqlJob extends JobBase {
	kind: 'sql';
	metric: 'spider-ex' | 'bird-ex';
	/** The pack database the question runs on (its `db_id`). */
	dbId: string;
	/** For BIRD, the database the prediction names (it may differ from the gold's). */
	predDbId?: string;
	pred: string;
	gold: string;
	timeoutMs: number;
}

/** One unit of work of a batch run: one (task, sample index). */
export type BatchJob = PythonJob | SqlJob;

/** A planned run: its jobs in input order, and the task count pass@k averages over. */
export interface BatchPlan {
	format: PackFormat;
	jobs: BatchJob[];
	/** Task ids in pack order (pass@k is averaged over the tasks that have samples). */
	taskIds: string[];
}

/** A finished (or stopped) run's numbers and verdicts. */
export interface BatchResult {
	state: BatchState;
	metrics: EvalMetrics;
	/** In the order the predictions were given; a stopped run holds only the finished ones. */
	samples: SampleVerdict[];
	/** The verdicts that came within 2× of their limit. */
	nearLimit: SampleVerdict[];
}

/** A run as kept in IndexedDB while it goes, so a reload resumes it. */
export interface EvalRunRecord {
	id: string;
	packId: string;
	packTitle: string;
	format: PackFormat;
	source: BatchSource;
	options: BatchOptions;
	createdAt: number;
	updatedAt: number;
	state: BatchState;
	total: number;
	done: number;
	passed: number;
	/** Number of verdict chunks stored under `<id>/chunk/<n>` (each {@link runChunkSize} verdicts by order). */
	chunks: number;
	machine?: EvalMachine;
	error?: string;
	/** A model source's generated answers (in job order), so a resume scores the same ones. */
	answers?: { taskId: string; answer: string; call?: SampleCall }[];
	/** About how many bytes the stored run takes (record, input, verdicts); set by the store. */
	bytes?: number;
}

/** The model call behind a generated answer (its request is rebuilt from the pack and preset). */
export interface SampleCall {
	/** When the request was sent (ms since the epoch). */
	at: number;
	/** Milliseconds until the reply ended. */
	ms: number;
	/** The reply exactly as the model wrote it (the answer is cut from it). */
	reply: string;
	finishReason: string;
	usage?: { promptTokens: number; completionTokens: number };
}

/** The runs list entry (the record without its verdicts). */
export type EvalRunSummary = EvalRunRecord;

/** Verdicts per stored chunk of a run record. */
export const runChunkSize = 500;

/** What starting a run needs (the pool is created for the run when not given). */
export interface StartEvalRunRequest {
	pack: TaskPack;
	source: BatchSource;
	options?: BatchOptions;
	/** Keep the run in IndexedDB as it goes (default true in the browser). */
	persist?: boolean;
	signal?: AbortSignal;
}

/** A running batch. */
export interface EvalRunHandle {
	readonly id: string;
	/** Subscribes to progress (called at once with the current one); returns the unsubscribe function. */
	progress(listener: (progress: BatchProgress) => void): () => void;
	pause(): void;
	resume(): void;
	cancel(): void;
	/** Settles when the run is done or cancelled; rejects only when the run itself broke. */
	readonly result: Promise<BatchResult>;
}
