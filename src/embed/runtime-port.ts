import type {
	PythonRunOptions,
	PythonRunResult,
	SqlExecOptions,
	SqlExecResult,
	SqlSchema
} from '../../workers/protocol.ts';

// The part of the page's runtime clients the embed handlers use. Structural, and sync results are
// accepted too, so Node tests can pass the real engines (Pyodide, sql.js) without workers.

type MaybePromise<T> = T | Promise<T>;

/** Options that can carry an AbortSignal (engines without one ignore it). */
export interface Cancellable {
	signal?: AbortSignal;
}

/** Python as the embed contract needs it. */
export interface EmbedPythonRuntime {
	/** Runs code; aborting `signal` stops this run (interrupt when isolated, else hard stop). */
	run(code: string, options: PythonRunOptions & Cancellable): MaybePromise<PythonRunResult>;
	reset(session: string): MaybePromise<void>;
}

/** SQL as the embed contract needs it. */
export interface EmbedSqlRuntime {
	/** Runs statements; aborting `signal` stops this call (worker terminated, databases restored). */
	exec(sql: string, options: SqlExecOptions & Cancellable): MaybePromise<SqlExecResult>;
	/** Opens (or replaces) a named database from bytes; rejects on bytes that are not SQLite. */
	open(name: string, bytes: Uint8Array): MaybePromise<SqlSchema>;
	schema(db: string): MaybePromise<SqlSchema>;
	close(db: string): MaybePromise<void>;
}

/** The runtimes handed to the embed handlers (dependency injection). */
export interface EmbedRuntime {
	python: EmbedPythonRuntime;
	sql: EmbedSqlRuntime;
	/** The database a SQL `run` without `db` uses (the app's current one); default "main". */
	currentDb?(): string | null | Promise<string | null>;
	/** Whether Python can be interrupted rather than hard-stopped; default `crossOriginIsolated`. */
	interrupts?(): boolean;
}
