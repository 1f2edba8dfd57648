import type { PythonRunResult, SqlExecResult } from '../../../workers/protocol.ts';
import type { ObservationStatus } from '../trace/events.ts';

/** Rows kept in a trace's raw-result summary (the formatted observation holds what the model saw). */
const summaryRows = 20;

/** The observation status of an SQL result. */
export function sqlStatus(result: SqlExecResult): ObservationStatus {
	if (result.stopped) return result.stopped.reason === 'timeout' ? 'timeout' : 'interrupted';
	return result.ok ? 'ok' : 'error';
}

/** A short JSON-safe summary of an SQL result for the trace. */
export function sqlSummary(result: SqlExecResult, sql: string): Record<string, unknown> {
	return {
		engine: 'sql',
		sql,
		ok: result.ok,
		columns: result.columns,
		rows: result.rows
			.slice(0, summaryRows)
			.map((r) => r.map((v) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v))),
		rowCount: result.rowCount,
		truncated: result.truncated,
		error: result.error,
		...(result.stopped ? { stopped: result.stopped } : {})
	};
}

/** The observation status of a Python result (interrupt, hard stop and rebuild are told apart). */
export function pythonStatus(result: PythonRunResult): ObservationStatus {
	if (result.stopped?.kind === 'interrupt') return 'interrupted';
	if (result.stopped?.kind === 'hard-stop')
		return result.stopped.rebuilt ? 'rebuilt' : 'hard-stopped';
	return result.ok ? 'ok' : 'error';
}

const cap = (s: string, n = 4000) => (s.length > n ? s.slice(0, n) : s);

/** A short JSON-safe summary of a Python result for the trace. */
export function pythonSummary(result: PythonRunResult): Record<string, unknown> {
	return {
		engine: 'python',
		ok: result.ok,
		stdout: cap(result.stdout),
		stderr: cap(result.stderr),
		value: result.value,
		error: result.error,
		truncated: result.truncated,
		...(result.stopped ? { stopped: result.stopped } : {})
	};
}

/** What a Python run showed: stdout, stderr, the trailing value, the user-relative traceback, a stop. */
export function pythonOutputText(result: PythonRunResult): string {
	let text = result.stdout + result.stderr;
	if (result.value !== null) text += (text && !text.endsWith('\n') ? '\n' : '') + result.value;
	if (result.error) {
		if (text && !text.endsWith('\n')) text += '\n';
		text += result.error.traceback || `${result.error.type}: ${result.error.message}`;
	}
	const stop = result.stopped;
	if (stop?.kind === 'hard-stop') {
		if (text && !text.endsWith('\n')) text += '\n';
		text +=
			`Execution was stopped (${stop.reason}); the interpreter was restarted` +
			(stop.rebuilt
				? ' and earlier state restored.'
				: `; earlier state was lost (${stop.rebuildError ?? 'rebuild failed'}).`);
	}
	return text;
}
