import type {
	EvalSample,
	EvalSampleResult,
	OutputListener,
	PythonRunOptions,
	PythonRunResult,
	SqlExecOptions,
	SqlExecResult,
	SqlSchema
} from '../../workers/protocol.ts';

/** What the agent loop and evaluation need from the runtimes; passed in, so tests can give real engines. */
export interface Executors {
	/** Runs Python in a session; user errors come back as data, a dead worker rejects. */
	python(
		code: string,
		options: PythonRunOptions & { signal?: AbortSignal; onOutput?: OutputListener }
	): Promise<PythonRunResult>;
	/** Resets a Python session's namespace. */
	resetPython(session: string): Promise<void>;
	/** Runs independent programs (tests of an answer, pass@k samples), each in a fresh namespace. */
	pythonBatch(
		samples: EvalSample[],
		options: { timeoutMs?: number; signal?: AbortSignal }
	): Promise<EvalSampleResult[]>;
	/** Runs SQL against a named database; errors come back as data. */
	sql(sql: string, options: SqlExecOptions & { signal?: AbortSignal }): Promise<SqlExecResult>;
	/** Schema of a named database (for prompts that list tables). */
	schema(db: string): Promise<SqlSchema>;
}
