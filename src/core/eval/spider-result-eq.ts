// taoyds/test-suite-sql-eval exec_eval.py: unorder_row, quick_rej, multiset_eq,
// get_constraint_permutation, permute_tuple and result_eq, on typed rows compared as Python
// compares the values sqlite3 returns (3 == 3.0; str(3) + str(type(3)) sorts apart from 3.0's).
import type { SqlTypeLetter, SqlValue } from '../../../workers/protocol.ts';
import {
	comparePyStr,
	pyKey,
	pyRowKey,
	pyStr,
	pyTypeName,
	type TypedRows
} from './python-value.ts';

/** exec_eval.py `unorder_row`: a row's values sorted by `str(x) + str(type(x))`, as a row key. */
export function unorderRowKey(row: readonly SqlValue[], types: string): string {
	const cells = row.map((value, c) => {
		const type = types[c] as SqlTypeLetter;
		return { key: pyStr(value, type) + pyTypeName(type), eq: pyKey(value, type) };
	});
	// Array.prototype.sort is stable, like Python's sorted.
	cells.sort((a, b) => comparePyStr(a.key, b.key));
	return JSON.stringify(cells.map((c) => c.eq));
}

/** exec_eval.py `quick_rej`: the unordered rows equal as lists (order matters) or as sets. */
export function quickRej(a: TypedRows, b: TypedRows, orderMatters: boolean): boolean {
	const s1 = a.rows.map((row, r) => unorderRowKey(row, a.types[r]));
	const s2 = b.rows.map((row, r) => unorderRowKey(row, b.types[r]));
	if (orderMatters) return s1.length === s2.length && s1.every((k, i) => k === s2[i]);
	const set1 = new Set(s1);
	const set2 = new Set(s2);
	return set1.size === set2.size && [...set1].every((k) => set2.has(k));
}

/** exec_eval.py `multiset_eq` on row keys. */
function multisetEq(l1: readonly string[], l2: readonly string[]): boolean {
	if (l1.length !== l2.length) return false;
	const counts = new Map<string, number>();
	for (const k of l1) counts.set(k, (counts.get(k) ?? 0) + 1);
	for (const k of l2) {
		const n = (counts.get(k) ?? 0) - 1;
		if (n < 0) return false;
		counts.set(k, n);
	}
	return true;
}

/**
 * exec_eval.py `result_eq`: equal when both are empty, or when some permutation of b's columns
 * makes b's rows equal to a's (as lists when order matters, else as bags). Python narrows the
 * permutations with 20 random rows of b (for more than 3 columns) and tries the rest; that only
 * drops permutations that cannot match, so narrowing by every row, as here, gives the same answer
 * without the randomness.
 */
export function resultEq(a: TypedRows, b: TypedRows, orderMatters: boolean): boolean {
	if (a.rows.length === 0 && b.rows.length === 0) return true;
	if (a.rows.length !== b.rows.length) return false;
	const numCols = a.rows[0].length;
	if (b.rows[0].length !== numCols) return false;
	if (!quickRej(a, b, orderMatters)) return false;
	const key = (rows: TypedRows, r: number, c: number) =>
		pyKey(rows.rows[r][c], rows.types[r][c] as SqlTypeLetter);
	const columnsOfA = Array.from(
		{ length: numCols },
		(_, c) => new Set(a.rows.map((_, r) => key(a, r, c)))
	);
	// candidates[i]: the columns of b whose every value occurs in a's column i.
	const candidates = columnsOfA.map((values) =>
		Array.from({ length: numCols }, (_, j) => j).filter((j) =>
			b.rows.every((_, r) => values.has(key(b, r, j)))
		)
	);
	const rowsA = a.rows.map((row, r) => pyRowKey(row, a.types[r]));
	const perm: number[] = [];
	const used = new Set<number>();
	const matches = (): boolean => {
		const rowsB = b.rows.map((row, r) =>
			JSON.stringify(perm.map((j) => pyKey(row[j], b.types[r][j] as SqlTypeLetter)))
		);
		if (orderMatters) return rowsA.every((k, i) => k === rowsB[i]);
		return multisetEq(rowsA, rowsB);
	};
	const search = (i: number): boolean => {
		if (i === numCols) return matches();
		for (const j of candidates[i]) {
			if (used.has(j)) continue;
			used.add(j);
			perm.push(j);
			const found = search(i + 1);
			perm.pop();
			used.delete(j);
			if (found) return true;
		}
		return false;
	};
	return search(0);
}
