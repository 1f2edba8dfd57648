// The one description of the two engines the app, the embed API and the agent loop use. The page's
// worker clients (src/runtime/python-client.ts, sql-client.ts) implement it; Node tests build it
// from the real engines (test/unit/helpers/node-runtime.ts). A consumer that needs less takes a
// `Pick<>` of it rather than an interface of its own.
import type {
	EvalSample,
	EvalSampleResult,
	OutputListener,
	PythonRunOptions,
	PythonRunResult,
	PythonTraceOptions,
	PythonTraceResult,
	RunManyOptions,
	SqlExecOptions,
	SqlExecResult,
	SqlReadCall,
	SqlSampleInfo,
	SqlSchema
} from '../../workers/protocol.ts';

/** Options that can carry an AbortSignal: aborting it stops that call. */
export interface Cancellable {
	signal?: AbortSignal;
}

/** Python: named sessions, output streamed, a user's error as data, a dead worker as a rejection. */
export interface PythonRuntime {
	/** Runs code in a session; aborting `signal` stops the run (interrupt when isolated, else hard stop). */
	run(
		code: string,
		options?: PythonRunOptions & Cancellable,
		onOutput?: OutputListener
	): Promise<PythonRunResult>;
	/** Runs code like {@link run} under the line tracer: the steps of the user's code come with it. */
	trace(
		code: string,
		options?: PythonTraceOptions & Cancellable,
		onOutput?: OutputListener
	): Promise<PythonTraceResult>;
	/** Forgets a session's namespace. */
	reset(session?: string): Promise<void>;
	/** Runs independent programs (tests of an answer, pass@k samples), each in a fresh namespace. */
	runMany(
		samples: EvalSample[],
		options?: RunManyOptions & Cancellable
	): Promise<EvalSampleResult[]>;
	/** The Stop button: ends the current run. */
	stop(): void;
	/** WebAssembly heap size in bytes. */
	heapBytes(): Promise<number>;
}

/** SQL: named SQLite databases; a user's error as data. */
export interface SqlRuntime {
	/** Runs statements; aborting `signal` stops this call (the databases are restored). */
	exec(
		sql: string,
		options: Omit<SqlExecOptions, 'exportAfter'> & Cancellable
	): Promise<SqlExecResult>;
	/**
	 * Runs read-only calls in one message to the engine, each with its own time limit (a call past
	 * it comes back timed out): scorers send many small queries, and each round trip costs more than
	 * the query. Rejects when the batch cannot finish (a crash, the batch past its largest limit,
	 * `signal`); the databases are restored, and the calls may be rerun one by one with `exec`.
	 */
	execMany(calls: SqlReadCall[], options?: Cancellable): Promise<SqlExecResult[]>;
	/** Opens (or replaces) a named database from bytes; rejects on bytes that are not SQLite. */
	open(name: string, bytes: Uint8Array): Promise<SqlSchema>;
	/** Tables, views, columns, keys and row counts of a database. */
	schema(db: string): Promise<SqlSchema>;
	/** Closes a database. */
	close(db: string): Promise<void>;
	/** Names of the open databases. */
	list(): string[];
	/** Remembers a database's state for `restore`. */
	snapshot(db: string): Promise<void>;
	/** Puts a database back as it was at its last `snapshot`. */
	restore(db: string): Promise<SqlSchema>;
	/** A database's SQLite file bytes. */
	exportBytes(db: string): Promise<Uint8Array>;
	/** Lists the bundled sample databases. */
	samples(): Promise<SqlSampleInfo[]>;
	/** The .sqlite bytes of a bundled sample, without opening it. */
	fetchSample(name: string): Promise<Uint8Array>;
	/** Opens a bundled sample under `as` (default its name). */
	openSample(name: string, as?: string): Promise<SqlSchema>;
	/** Saves a database as a .sqlite file through the browser's download. */
	download(db: string, fileName?: string): Promise<void>;
	/** Ends the current call. */
	stop(): void;
}

/** Both engines. */
export interface Runtime {
	python: PythonRuntime;
	sql: SqlRuntime;
}
