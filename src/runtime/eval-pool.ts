// Batch runs on a pool of workers (issue 14 §4): Python samples go in chunks to N Python workers,
// each through the client's runMany (per-sample budgets; a stuck sample's worker is replaced and
// the sample gets the timeout verdict); SQL predictions are scored across N SQL workers, each
// with the pack's databases open. A crashed worker is replaced and the sample it died on gets an
// error verdict; the run goes on. The run's control (progress, pause, save) is core/eval/batch/run.ts.
import type { EvalSampleResult, RunManyOptions } from '../../workers/protocol.ts';
import type { Cancellable, PythonRuntime } from '../core/runtime.ts';
import type { EvalMachine, SampleVerdict, TaskPack } from '../core/eval/pack.ts';
import { generatingRun } from '../core/eval/batch/model-run.ts';
import { planAnswers, planBatch } from '../core/eval/batch/plan.ts';
import type { Provider } from '../core/providers/types.ts';
import {
	driveRun,
	newRunRecord,
	type BatchExecutor,
	type ExecuteContext
} from '../core/eval/batch/run.ts';
import { crashedVerdict, pythonVerdict, sampleOf } from '../core/eval/batch/score.ts';
import type {
	BatchJob,
	EvalRunHandle,
	EvalRunRecord,
	PythonJob,
	SqlJob,
	StartEvalRunRequest
} from '../core/eval/batch/types.ts';
import { runSqlChunk, type PoolSql } from './eval-pool-sql.ts';
import { evalRunStore, type EvalRunStore } from './eval-run-store.ts';
import { tracingExecutor } from './eval-sample-traces.ts';
import type { SampleTraceStore } from './sample-trace-writer.ts';
import { PythonClient } from './python-client.ts';
import { SqlClient } from './sql-client.ts';

/** A Python worker of the pool (a PythonClient; the real engine in Node tests). */
export interface PoolPython {
	runMany(
		samples: Parameters<PythonRuntime['runMany']>[0],
		options: RunManyOptions & Cancellable & { parallel?: boolean; chunkSize?: number }
	): Promise<EvalSampleResult[]>;
	/** Terminates the worker; the next call starts a new one. */
	dispose?(): void;
	/** What the worker reported at start (for the machine record). */
	readonly info?: { pyodideVersion: string } | null;
}

export type { PoolSql } from './eval-pool-sql.ts';

/** How to build a pool; each field has a browser default. */
export interface EvalPoolOptions {
	/** Workers of each kind; default navigator.hardwareConcurrency. */
	workers?: number;
	createPython?: () => PoolPython;
	createSql?: () => PoolSql;
	/** Jobs per dispatch; default total / (workers × 8), 10 to 250. */
	chunkSize?: number;
	maxOutputBytes?: number;
}

/** A pool of Python and SQL workers that executes batch jobs; kept across runs. */
export interface EvalPool extends BatchExecutor {
	readonly size: number;
	/** Changes the number of workers used by the next dispatches. */
	resize(workers: number): void;
	/** Sets the pack whose databases the SQL jobs open (startEvalRun does it before executing). */
	usePack(pack: TaskPack): void;
	/** Terminates every worker. */
	dispose(): void;
}

/** Builds a pool (its workers start on first use). */
export function createEvalPool(options: EvalPoolOptions = {}): EvalPool {
	let size = Math.max(1, options.workers ?? globalThis.navigator?.hardwareConcurrency ?? 2);
	const pythons: PoolPython[] = [];
	const sqls: { sql: PoolSql; open: Map<string, Promise<string[]>> }[] = [];
	const createPython = options.createPython ?? defaultPython;
	const createSql = options.createSql ?? defaultSql;
	let pack: TaskPack | null = null;
	return {
		get size() {
			return size;
		},
		resize(workers) {
			size = Math.max(1, Math.floor(workers));
		},
		usePack(value) {
			// Databases are opened under their db_id: another pack's of the same name must not be reused.
			if (pack?.id !== value.id) for (const s of sqls) s.open.clear();
			pack = value;
		},
		dispose() {
			for (const p of pythons.splice(0)) p.dispose?.();
			for (const s of sqls.splice(0)) s.sql.dispose?.();
		},
		machine() {
			const machine: EvalMachine = {
				cores: globalThis.navigator?.hardwareConcurrency ?? 1,
				userAgent: globalThis.navigator?.userAgent ?? 'unknown'
			};
			const pyodide = pythons.find((p) => p.info)?.info?.pyodideVersion;
			const sqlite = sqls.map((s) => s.sql.sqliteVersion?.()).find(Boolean);
			if (pyodide) machine.pyodide = pyodide;
			if (sqlite) machine.sqlite = sqlite;
			return machine;
		},
		async execute(jobs, context) {
			const chunk = Math.max(
				1,
				options.chunkSize ?? Math.min(250, Math.max(10, Math.ceil(jobs.length / (size * 8))))
			);
			const queue: BatchJob[][] = [];
			for (let i = 0; i < jobs.length; i += chunk) queue.push(jobs.slice(i, i + chunk));
			const runOne = async (next: BatchJob[], lane: number) => {
				if (next[0].kind === 'python') {
					const python = (pythons[lane] ??= createPython());
					await runPythonChunk(python, next as PythonJob[], context, options.maxOutputBytes);
				} else {
					const sql = (sqls[lane] ??= { sql: createSql(), open: new Map() });
					if (!pack) throw new Error('The SQL jobs have no pack to open databases from');
					await runSqlChunk(sql, pack, next as SqlJob[], context);
				}
			};
			await runLanes(queue, Math.min(size, queue.length), context, runOne);
		}
	};
}

// Each lane takes the next chunk until none is left; a lane that fails stops the others.
async function runLanes(
	queue: BatchJob[][],
	lanes: number,
	context: ExecuteContext,
	runOne: (chunk: BatchJob[], lane: number) => Promise<void>
): Promise<void> {
	let failed = false;
	const lane = async (index: number) => {
		try {
			for (let next = queue.shift(); next && !failed; next = queue.shift()) {
				await context.gate();
				context.signal.throwIfAborted();
				await runOne(next, index);
			}
		} catch (error) {
			failed = true;
			throw error;
		}
	};
	await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i)));
}

async function runPythonChunk(
	python: PoolPython,
	jobs: PythonJob[],
	context: ExecuteContext,
	maxOutputBytes?: number
): Promise<void> {
	const request = { parallel: false, chunkSize: jobs.length, maxOutputBytes };
	const run = (batch: PythonJob[]) =>
		untilAborted(python.runMany(batch.map(sampleOf), request), context.signal, python);
	try {
		const results = await run(jobs);
		const verdicts = jobs.map((job, i) => ({
			order: job.order,
			verdict: pythonVerdict(job, results[i])
		}));
		context.deliver(verdicts);
	} catch (error) {
		context.signal.throwIfAborted();
		// The worker died somewhere in the chunk: a new one runs each sample alone, so the one
		// that kills it is the one that gets the error verdict.
		python.dispose?.();
		for (const job of jobs) {
			context.signal.throwIfAborted();
			const started = performance.now();
			try {
				const [result] = await run([job]);
				context.deliver([{ order: job.order, verdict: pythonVerdict(job, result) }]);
			} catch (e) {
				context.signal.throwIfAborted();
				python.dispose?.();
				const why = e instanceof Error ? e.message : String(e ?? error);
				const verdict = crashedVerdict(job, why, performance.now() - started);
				context.deliver([{ order: job.order, verdict }]);
			}
		}
	}
}

// A cancel does not wait for the worker: it is terminated (the next call starts a new one) and
// the call rejects with the abort reason at once.
function untilAborted<T>(call: Promise<T>, signal: AbortSignal, python: PoolPython): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => {
			python.dispose?.();
			reject(signal.reason);
		};
		if (signal.aborted) return onAbort();
		signal.addEventListener('abort', onAbort, { once: true });
		call.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
	});
}

/** Options of a run started from the page (or the embed). */
export interface EvalRunOptions {
	pool?: EvalPool;
	/** Where the run is kept (default: IndexedDB when `persist` is not false). */
	store?: EvalRunStore;
	/** The model of a `model` source (built by the caller from its provider settings). */
	provider?: Provider;
	/** Where a model source's sample traces are saved (the page's trace history); none when absent. */
	traces?: () => Promise<SampleTraceStore>;
}

/** Starts a batch run; throws at once when the source cannot be read against the pack. */
export function startEvalRun(
	request: StartEvalRunRequest,
	options: EvalRunOptions = {}
): EvalRunHandle {
	if (request.source.kind === 'model') {
		const provider = options.provider;
		if (!provider)
			throw new TypeError('source: a model source needs a provider (EvalRunOptions.provider)');
		const record = newRunRecord(request, 0);
		return generatingRun(record.id, request, provider, (answers, signal) => {
			const plan = planAnswers(request.pack, answers, request.options?.budgets);
			Object.assign(record, { total: plan.jobs.length, answers });
			return drive(record, request.pack, plan, [], request.persist, options, signal);
		});
	}
	const plan = planBatch(request.pack, request.source, request.options?.budgets);
	const record = newRunRecord(request, plan.jobs.length);
	return drive(record, request.pack, plan, [], request.persist, options, request.signal);
}

/** Options of {@link resumeEvalRun}. */
export interface ResumeEvalRunOptions extends EvalRunOptions {
	/** Finds the run's pack by id (the pack store, or the bundled packs). */
	loadPack(id: string): Promise<TaskPack | null | undefined>;
	signal?: AbortSignal;
}

/** Resumes a stored run where it stopped: its finished verdicts are kept, the rest are run. */
export async function resumeEvalRun(
	runId: string,
	options: ResumeEvalRunOptions
): Promise<EvalRunHandle> {
	const store = options.store ?? evalRunStore;
	const stored = await store.load(runId);
	if (!stored) throw new Error(`No stored run ${JSON.stringify(runId)}`);
	const pack = await options.loadPack(stored.record.packId);
	if (!pack)
		throw new Error(`The pack of run ${runId} (${stored.record.packTitle}) is no longer stored`);
	const { record: kept } = stored;
	const plan = kept.answers
		? planAnswers(pack, kept.answers, kept.options.budgets)
		: planBatch(pack, kept.source, kept.options.budgets);
	const record = { ...stored.record, state: 'running' as const };
	return drive(record, pack, plan, stored.verdicts, true, { ...options, store }, options.signal);
}

function drive(
	record: EvalRunRecord,
	pack: TaskPack,
	plan: ReturnType<typeof planBatch>,
	known: (SampleVerdict | undefined)[],
	persist: boolean | undefined,
	options: EvalRunOptions,
	signal?: AbortSignal
): EvalRunHandle {
	const owned = !options.pool;
	const pool = options.pool ?? createEvalPool({ workers: record.options.workers });
	if (record.options.workers && !owned) pool.resize(record.options.workers);
	pool.usePack(pack);
	const saver = persist === false ? undefined : (options.store ?? evalRunStore);
	const executor = options.traces
		? tracingExecutor(pool, { record, pack, plan }, options.traces)
		: pool;
	const handle = driveRun({
		record,
		plan,
		known,
		executor,
		saver,
		signal,
		ks: record.options.k
	});
	if (owned) void handle.result.finally(() => pool.dispose()).catch(() => undefined);
	return handle;
}

// The pool's own workers (not the page's): a batch never queues behind the Python tab's runs.
function defaultPython(): PoolPython {
	return new PythonClient();
}

function defaultSql(): PoolSql {
	const client = new SqlClient();
	let version: string | undefined;
	client.start().then(
		(info) => (version = info.sqliteVersion),
		() => undefined
	);
	return {
		exec: (sql, options) => client.exec(sql, options),
		execMany: (calls, options) => client.execMany(calls, options),
		open: (name, bytes) => client.open(name, bytes),
		fetchSample: (name) => client.fetchSample(name),
		dispose: () => client.dispose(),
		sqliteVersion: () => version
	};
}
