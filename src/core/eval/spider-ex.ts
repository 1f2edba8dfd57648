// Spider execution accuracy exactly as taoyds/test-suite-sql-eval computes it (exec_eval.py
// `eval_exec_match` with plug_value=False, keep_distinct=False; evaluation.py `evaluate` reading
// the prediction), on our SQL runtime. Our own TypeScript after reading theirs; nothing copied.
import { fetchLikePython, type PythonFetch, type SqlExec } from './python-sqlite.ts';
import { resultEq } from './spider-result-eq.ts';
import { firstStatementTokens } from './sqlparse-lite.ts';

/** exec_eval.py TIMEOUT (seconds), used as our per-query limit; see {@link evalExecMatch}. */
export const spiderTimeoutMs = 60_000;

/** A Spider EX verdict: the score and why. */
export interface SpiderExVerdict {
	score: 0 | 1;
	/** `match`; else why 0: the denotations differ, the prediction failed, timed out, or was empty. */
	reason: 'match' | 'mismatch' | 'pred-error' | 'pred-timeout' | 'empty-pred';
	/** The database where the verdict was decided (the last one on a match). */
	db?: string;
	/** The prediction's error message, for `pred-error`. */
	error?: string;
}

/** The gold query failed on a test-suite database: an error in the data, not a score of 0. */
export class GoldQueryError extends Error {
	override name = 'GoldQueryError';
	constructor(
		readonly query: string,
		readonly db: string,
		readonly detail: string
	) {
		// exec_eval.py asserts with this wording.
		super(`gold query ${query} has error on database file ${db}: ${detail}`);
	}
}

/** exec_eval.py `postprocess`: `> =`, `< =`, `! =` joined up. */
export function spiderPostprocess(query: string): string {
	return query.replaceAll('> =', '>=').replaceAll('< =', '<=').replaceAll('! =', '!=');
}

/**
 * parse.py `remove_distinct`: the FIRST statement sqlparse splits off (a second statement is
 * dropped, so `SELECT a FROM t; DROP TABLE t` is scored as `SELECT a FROM t; `), with every
 * token that is the word `distinct` (any case) removed, `count(DISTINCT a)` becoming `count( a)`.
 * Null where sqlparse finds no statement (blank text), where Python raises IndexError.
 */
export function removeDistinct(query: string): string | null {
	const tokens = firstStatementTokens(query);
	if (!tokens) return null;
	return tokens
		.filter((t) => t.value.toLowerCase() !== 'distinct')
		.map((t) => t.value)
		.join('');
}

/** exec_eval.py `replace_cur_year`: `YEAR(CURDATE())` becomes 2020 (and eats the spaces after). */
export function replaceCurYear(query: string): string {
	return query.replace(/YEAR\s*\(\s*CURDATE\s*\(\s*\)\s*\)\s*/gi, '2020');
}

/**
 * evaluation.py `evaluate`'s reading of one line of a predictions file: stripped, cut at the first
 * tab, and every `value` replaced by `1` (case-sensitive, anywhere: a column named `value` too).
 */
export function spiderPredictionFromLine(line: string): string {
	return line.trim().split('\t')[0].replaceAll('value', '1');
}

/**
 * The test-suite databases of a question: every file in the database's folder whose name contains
 * `.sqlite` (exec_eval.py tests `'.sqlite' in basename`, so `x.sqlite-journal` counts), sorted by
 * name (os.listdir's order is arbitrary; only which gold error is reported can depend on it).
 */
export function testSuiteDatabases(fileNames: readonly string[]): string[] {
	return fileNames.filter((name) => name.includes('.sqlite')).sort();
}

/** Options of {@link evalExecMatch}. */
export interface SpiderExOptions {
	/** Per-query limit; default {@link spiderTimeoutMs}. */
	timeoutMs?: number;
}

/**
 * exec_eval.py `eval_exec_match(db, p_str, g_str, plug_value=False, keep_distinct=False)` over
 * databases opened in `sql` under the names given (the question's test suite, in order): both
 * queries postprocessed and stripped of DISTINCT, order mattering iff the gold holds `order by`,
 * and on each database gold then prediction run; a failing gold throws {@link GoldQueryError}, a
 * failing or timed-out prediction, or different denotations, score 0. The official TIMEOUT never
 * fires (asyncio.wait_for around a coroutine that never yields); ours is a real limit.
 */
export async function evalExecMatch(
	sql: SqlExec,
	dbs: readonly string[],
	pred: string,
	gold: string,
	options: SpiderExOptions = {}
): Promise<SpiderExVerdict> {
	const timeoutMs = options.timeoutMs ?? spiderTimeoutMs;
	const p = removeDistinct(spiderPostprocess(pred));
	const g = removeDistinct(spiderPostprocess(gold));
	if (g === null) throw new GoldQueryError(gold, dbs[0] ?? '', 'the gold query is empty');
	// Python raises IndexError here and the whole evaluation stops; one empty prediction scores 0.
	if (p === null) return { score: 0, reason: 'empty-pred' };
	const orderMatters = g.toLowerCase().includes('order by');
	let last: string | undefined;
	for (const db of dbs) {
		const goldRun = await run(sql, db, g, timeoutMs);
		const predRun = await run(sql, db, p, timeoutMs);
		if (goldRun.kind !== 'rows') {
			throw new GoldQueryError(g, db, goldRun.kind === 'error' ? goldRun.message : 'timed out');
		}
		if (predRun.kind === 'error') {
			return { score: 0, reason: 'pred-error', db, error: predRun.message };
		}
		if (predRun.kind === 'timeout') return { score: 0, reason: 'pred-timeout', db };
		if (!resultEq(goldRun.rows, predRun.rows, orderMatters)) {
			return { score: 0, reason: 'mismatch', db };
		}
		last = db;
	}
	return { score: 1, reason: 'match', db: last };
}

/** exec_eval.py `exec_on_db_`: YEAR(CURDATE()) replaced, then execute + fetchall. */
function run(sql: SqlExec, db: string, query: string, timeoutMs: number): Promise<PythonFetch> {
	return fetchLikePython(sql, db, replaceCurYear(query), { timeoutMs });
}

/**
 * One Spider EX verdict as evaluation.py `evaluate` scores a line of a predictions file: the
 * prediction read as it reads it ({@link spiderPredictionFromLine}), then {@link evalExecMatch}.
 */
export function spiderEx(
	sql: SqlExec,
	dbs: readonly string[],
	predLine: string,
	gold: string,
	options: SpiderExOptions = {}
): Promise<SpiderExVerdict> {
	return evalExecMatch(sql, dbs, spiderPredictionFromLine(predLine), gold.trim(), options);
}
