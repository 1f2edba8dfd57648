// BIRD execution accuracy as AlibabaResearch/DAMO-ConvAI bird/llm/src/evaluation.py computes it
// (`execute_sql`, `execute_model`, `package_sqls`), on our SQL runtime.
import { pyRowKey, type TypedRows } from './python-value.ts';
import { fetchLikePython, type SqlExec } from './python-sqlite.ts';

/** run_evaluation.sh's `meta_time_out=30.0` (seconds), one budget for both queries of a pair. */
export const birdTimeoutMs = 30_000;

/** A BIRD EX verdict: the score and why. */
export interface BirdExVerdict {
	score: 0 | 1;
	/** Why: equal sets, different sets, a query raised (either one: BIRD scores 0), or timed out. */
	reason: 'match' | 'mismatch' | 'pred-error' | 'gold-error' | 'timeout';
	error?: string;
}

/** Python's `set(rows)` equality: rows as tuples under Python ==, duplicates and order ignored. */
export function birdSetEqual(a: TypedRows, b: TypedRows): boolean {
	const set = (t: TypedRows) => new Set(t.rows.map((row, r) => pyRowKey(row, t.types[r])));
	const sa = set(a);
	const sb = set(b);
	return sa.size === sb.size && [...sa].every((k) => sb.has(k));
}

/**
 * evaluation.py `execute_model(predicted_sql, ground_truth, db, idx, meta_time_out)`: the
 * prediction runs first, then the gold, on one database (Python's default text factory: text that
 * is not UTF-8 raises); any exception, the gold's included, scores 0, as does running past the
 * budget shared by both; else 1 iff `set(predicted_res) == set(ground_truth_res)`.
 */
export async function birdEx(
	sql: SqlExec,
	db: string,
	pred: string,
	gold: string,
	options: { timeoutMs?: number } = {}
): Promise<BirdExVerdict> {
	const budget = options.timeoutMs ?? birdTimeoutMs;
	const p = await fetchLikePython(sql, db, pred, { timeoutMs: budget, strictText: true });
	if (p.kind === 'timeout') return { score: 0, reason: 'timeout' };
	if (p.kind === 'error') return { score: 0, reason: 'pred-error', error: p.message };
	// The engine's time, not the wall's: the call may have waited behind other jobs' queries.
	const left = Math.max(1, budget - p.durationMs);
	const g = await fetchLikePython(sql, db, gold, { timeoutMs: left, strictText: true });
	if (g.kind === 'timeout') return { score: 0, reason: 'timeout' };
	if (g.kind === 'error') return { score: 0, reason: 'gold-error', error: g.message };
	return birdSetEqual(p.rows, g.rows)
		? { score: 1, reason: 'match' }
		: { score: 0, reason: 'mismatch' };
}

/** The separator evaluation.py `package_sqls` splits each predict_dev.json value at. */
export const birdSeparator = '\t----- bird -----\t';

/**
 * evaluation.py `package_sqls` (mode 'gpt') reading one predict_dev.json value: `sql` and the
 * database name split at {@link birdSeparator}; a value that is not a string becomes `" "` on
 * `financial`. Null where Python's two-name unpacking raises (the separator not exactly once),
 * which stops the official run.
 */
export function birdPredictionFromJson(value: unknown): { sql: string; db: string } | null {
	if (typeof value !== 'string') return { sql: ' ', db: 'financial' };
	const parts = value.split(birdSeparator);
	return parts.length === 2 ? { sql: parts[0], db: parts[1] } : null;
}
