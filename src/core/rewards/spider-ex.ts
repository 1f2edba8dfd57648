// Spider execution match for rewards: thin entry points over the official-equal metric in
// src/core/eval/ (spider-ex.ts, spider-result-eq.ts: taoyds/test-suite-sql-eval exec_eval.py), so
// a reward and the Eval tab can never disagree.
import { removeDistinct } from '../eval/spider-ex.ts';
import { resultEq as evalResultEq } from '../eval/spider-result-eq.ts';
import type { TypedRows } from '../eval/python-value.ts';
import { typedRows, type Rows } from './typed-rows.ts';

/** Whether Spider's evaluator compares in order: the gold SQL contains `order by` (exec_eval.py). */
export const orderMatters = (gold: string) => gold.toLowerCase().includes('order by');

/**
 * parse.py `remove_distinct` (`keep_distinct=False`), via {@link removeDistinct}: the first
 * statement, with every `distinct` token dropped (string literals untouched); blank text stays blank.
 */
export function stripDistinct(sql: string): string {
	return removeDistinct(sql) ?? sql;
}

/**
 * exec_eval.py `result_eq(result1, result2, order_matters)`, gold first. Give {@link TypedRows} for
 * the official verdict; bare rows are typed from their JS values (an integral REAL reads as int).
 */
export function resultEq(
	gold: Rows | TypedRows,
	pred: Rows | TypedRows,
	ordered: boolean
): boolean {
	return evalResultEq(typedRows(gold), typedRows(pred), ordered);
}
