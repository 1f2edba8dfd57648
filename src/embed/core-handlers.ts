import type { PythonRunResult, PythonTraceResult, SqlExecResult } from '../../workers/protocol.ts';
import type { Runtime } from '../core/runtime.ts';
import {
	loadDbSchema,
	resetSchema,
	runSchema,
	schemaRequestSchema,
	traceSchema,
	type EmbedError,
	type RunRequest,
	type TraceRequest
} from './contract.ts';
import type { EmbedRegistry, ResultBody } from './registry.ts';

/** Options of {@link registerCoreHandlers}. */
export interface CoreHandlerOptions {
	/** Python namespace the host's code runs in; default "embed" (apart from the editor's). */
	pythonSession?: string;
	/** Python namespace of `trace`, emptied before each trace; default "embed-trace". */
	traceSession?: string;
	/** The database a SQL `run` without `db` uses (the app's current one); default "main". */
	currentDb?(): string | null | Promise<string | null>;
}

/** The `result` fields of a Python run, as the contract states them. */
export function pythonReply(r: PythonRunResult): ResultBody {
	const body: ResultBody = {
		ok: r.ok,
		stdout: r.stdout,
		stderr: r.stderr,
		durationMs: r.durationMs,
		truncated: r.truncated.stdout || r.truncated.stderr
	};
	if (r.value !== null) body.value = r.value;
	if (r.error) {
		const error: EmbedError = { type: r.error.type, message: r.error.message };
		if (r.error.line !== null) error.line = r.error.line;
		if (r.error.traceback) error.traceback = r.error.traceback;
		body.error = error;
	}
	if (r.stopped) body.stopped = r.stopped;
	return body;
}

/**
 * The `result` fields of a traced Python run: `steps` (event, line, func, changed, and `value`,
 * `exception`, `out` when set), `truncated` (the step cap stopped it), `stdout` and `error`.
 */
export function traceReply(r: PythonTraceResult): ResultBody {
	const { error, stopped } = pythonReply(r);
	const body: ResultBody = {
		ok: r.ok,
		steps: r.steps,
		truncated: r.truncated.steps,
		stdout: r.stdout,
		stderr: r.stderr,
		durationMs: r.durationMs
	};
	if (error) body.error = error;
	if (stopped) body.stopped = stopped;
	return body;
}

/** The `result` fields of a SQL run: the last result set, as the contract states them. */
export function sqlReply(r: SqlExecResult): ResultBody {
	const body: ResultBody = {
		ok: r.ok,
		stdout: '',
		stderr: '',
		columns: r.columns,
		rows: r.rows,
		types: r.types,
		rowCount: r.rowCount,
		durationMs: r.durationMs,
		truncated: r.truncated
	};
	if (r.invalidUtf8) body.invalidUtf8 = true;
	if (r.error) body.error = { type: r.error.type, message: r.error.message };
	if (r.stopped) body.stopped = { kind: 'hard-stop', ...r.stopped };
	return body;
}

/** Registers `run`, `trace`, `load-db`, `schema` and `reset` against the given runtimes. */
export function registerCoreHandlers(
	registry: EmbedRegistry,
	runtime: Runtime,
	options: CoreHandlerOptions = {}
): void {
	const session = options.pythonSession ?? 'embed';
	// Databases the host opened, so `reset` for SQL closes those and leaves the app's own alone.
	const hostDbs = new Set<string>();

	registry.register('run', {
		schema: runSchema,
		async handle(request: RunRequest, context) {
			const common = {
				signal: context.signal,
				...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs })
			};
			if (request.language === 'python') {
				return pythonReply(await runtime.python.run(request.code, { ...common, session }));
			}
			const db = request.db ?? (await options.currentDb?.()) ?? 'main';
			const result = await runtime.sql.exec(request.code, {
				...common,
				db,
				...(request.maxRows === undefined ? {} : { maxRows: request.maxRows })
			});
			return sqlReply(result);
		}
	});

	registry.register('load-db', {
		schema: loadDbSchema,
		async handle(request) {
			const bytes =
				request.bytes instanceof Uint8Array ? request.bytes : new Uint8Array(request.bytes);
			const schema = await runtime.sql.open(request.name, bytes);
			hostDbs.add(request.name);
			return { ok: true, tables: schema.tables.map((t) => t.name) };
		}
	});

	registry.register('schema', {
		schema: schemaRequestSchema,
		async handle(request) {
			return { ok: true, schema: await runtime.sql.schema(request.db) };
		}
	});

	registry.register('reset', {
		schema: resetSchema,
		async handle(request) {
			if (request.language === 'python') {
				await runtime.python.reset(session);
				return { ok: true };
			}
			const closed = [...hostDbs];
			for (const name of closed) await runtime.sql.close(name);
			hostDbs.clear();
			return { ok: true, closed };
		}
	});

	const traceSession = options.traceSession ?? 'embed-trace';
	registry.register('trace', {
		schema: traceSchema,
		async handle(request: TraceRequest, context) {
			// Each trace starts from empty globals, so its steps depend on the code sent alone.
			await runtime.python.reset(traceSession);
			const result = await runtime.python.trace(request.code, {
				signal: context.signal,
				session: traceSession,
				...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
				...(request.maxSteps === undefined ? {} : { maxSteps: request.maxSteps })
			});
			return traceReply(result);
		}
	});
}
