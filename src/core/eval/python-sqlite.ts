// Running one query the way the official evaluators do: Python's sqlite3 `cursor.execute(query)`
// then `fetchall()`, on our SQL runtime. Every row is fetched (no cap), in a read-only call (the
// official harnesses write to their database files when a prediction is DML; we roll back).
import type { SqlRuntime } from '../runtime.ts';
import type { TypedRows } from './python-value.ts';

/** The part of the SQL runtime the evaluators need. */
export type SqlExec = Pick<SqlRuntime, 'exec'>;

/**
 * What `cursor.execute(q); cursor.fetchall()` gave: rows, a Python exception, or a timeout, with
 * the time the engine spent on it (not the time the call waited behind others).
 */
export type PythonFetch = (
	{ kind: 'rows'; rows: TypedRows } | { kind: 'error'; message: string } | { kind: 'timeout' }
) & { durationMs: number };

/** Python's sqlite3 message for a call holding more than one statement (CPython 3.11). */
export const oneStatementMessage = 'You can only execute one statement at a time.';

/** Where the first statement's `;` ends, skipping strings, quoted names and comments; or -1. */
function firstSemicolon(query: string): number {
	let i = 0;
	while (i < query.length) {
		const ch = query[i];
		if (ch === "'" || ch === '"' || ch === '`' || ch === '[') {
			const close = ch === '[' ? ']' : ch;
			let j = i + 1;
			for (; j < query.length; j++) {
				if (query[j] !== close) continue;
				if (close !== ']' && query[j + 1] === close) j++;
				else break;
			}
			i = j + 1;
		} else if (query.startsWith('--', i)) {
			const nl = query.indexOf('\n', i);
			i = nl < 0 ? query.length : nl + 1;
		} else if (query.startsWith('/*', i)) {
			const end = query.indexOf('*/', i + 2);
			i = end < 0 ? query.length : end + 2;
		} else if (ch === ';') return i;
		else i++;
	}
	return -1;
}

/** Whether text is only whitespace and comments (line, block, an unclosed block), as SQLite skips. */
function onlyComments(text: string): boolean {
	return /^(?:\s|--[^\n]*(?:\n|$)|\/\*[\s\S]*?(?:\*\/|$))*$/.test(text);
}

/**
 * Whether Python's `cursor.execute` refuses the query as holding more than one statement: after the
 * first statement's `;` only whitespace and comments may follow (`SELECT 1;;` is refused).
 * Trigger bodies (`CREATE TRIGGER … BEGIN …; END`) are not recognised.
 */
export function isMultiStatement(query: string): boolean {
	const end = firstSemicolon(query);
	return end >= 0 && !onlyComments(query.slice(end + 1));
}

/** Options of {@link fetchLikePython}. */
export interface FetchOptions {
	/** The per-query limit; a query stopped by it is `timeout`. */
	timeoutMs: number;
	/**
	 * Text read with Python's default text factory (strict UTF-8, which raises on bad bytes: BIRD)
	 * rather than Spider's `lambda b: b.decode(errors="ignore")`.
	 */
	strictText?: boolean;
}

/** Runs one query on a database as `cursor.execute(query); cursor.fetchall()` does. */
export async function fetchLikePython(
	sql: SqlExec,
	db: string,
	query: string,
	options: FetchOptions
): Promise<PythonFetch> {
	if (isMultiStatement(query))
		return { kind: 'error', message: oneStatementMessage, durationMs: 0 };
	const r = await sql.exec(query, {
		db,
		readOnly: true,
		maxRows: Number.MAX_SAFE_INTEGER,
		timeoutMs: options.timeoutMs
	});
	const { durationMs } = r;
	if (r.stopped || r.error?.type === 'Timeout') return { kind: 'timeout', durationMs };
	if (!r.ok) return { kind: 'error', message: r.error?.message ?? 'failed', durationMs };
	if (options.strictText && r.invalidUtf8) {
		return { kind: 'error', message: 'Could not decode to UTF-8 column', durationMs };
	}
	return { kind: 'rows', rows: { rows: r.rows, types: r.types }, durationMs };
}
