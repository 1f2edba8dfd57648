import type { SqlValue } from '../../../workers/protocol.ts';
import { rowKey } from '../presets/dataframe-format.ts';

// Spider execution match as `result_eq` in taoyds/test-suite-sql-eval exec_eval.py: both empty →
// equal; row or column counts differ → not; order matters only when the gold has ORDER BY, otherwise
// bag (multiset) semantics; columns may be permuted; DISTINCT is stripped from both queries first.

type Rows = readonly (readonly SqlValue[])[];

/** Whether Spider's evaluator compares in order: the gold SQL contains `order by`. */
export const orderMatters = (gold: string) => gold.toLowerCase().includes('order by');

/** Removes the DISTINCT keyword outside string literals (`keep_distinct=False`). */
export function stripDistinct(sql: string): string {
	return sql.replace(
		/('(?:[^']|'')*'|"(?:[^"]|"")*")|\bdistinct\b\s*/gi,
		(m, quoted: string | undefined) => quoted ?? ''
	);
}

function multisetEqual(a: Rows, b: Rows): boolean {
	const counts = new Map<string, number>();
	for (const r of a) counts.set(rowKey(r), (counts.get(rowKey(r)) ?? 0) + 1);
	for (const r of b) {
		const k = rowKey(r);
		const n = counts.get(k);
		if (!n) return false;
		counts.set(k, n - 1);
	}
	return true;
}

/** `result_eq(result1, result2, order_matters)`: result1 is the gold, result2 the prediction. */
export function resultEq(gold: Rows, pred: Rows, ordered: boolean): boolean {
	if (gold.length === 0 && pred.length === 0) return true;
	if (gold.length !== pred.length) return false;
	const cols = gold[0].length;
	if (pred[0].length !== cols) return false;
	const goldSets = Array.from({ length: cols }, (_, i) => new Set(gold.map((r) => rowKey([r[i]]))));
	// Columns of the prediction that could be each gold column (every value present).
	const candidates = Array.from({ length: cols }, (_, j) =>
		[...Array(cols).keys()].filter((i) => pred.every((r) => goldSets[i].has(rowKey([r[j]]))))
	);
	const perm: number[] = [];
	const used = new Set<number>();
	const search = (j: number): boolean => {
		if (j === cols) {
			// perm[j] = gold column i for prediction column j; reorder prediction rows to gold's column order.
			const inverse: number[] = [];
			perm.forEach((i, jj) => (inverse[i] = jj));
			const permuted = pred.map((r) => inverse.map((jj) => r[jj]));
			return ordered
				? permuted.every((r, k) => rowKey(r) === rowKey(gold[k]))
				: multisetEqual(gold, permuted);
		}
		for (const i of candidates[j]) {
			if (used.has(i)) continue;
			used.add(i);
			perm.push(i);
			if (search(j + 1)) return true;
			perm.pop();
			used.delete(i);
		}
		return false;
	};
	return search(0);
}
