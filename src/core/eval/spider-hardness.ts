// Spider's hardness of a question, as taoyds/test-suite-sql-eval evaluation.py
// `Evaluator.eval_hardness` computes it from the parsed SQL (dev.json's `sql` tree):
// `count_component1`, `count_component2` (`get_nestedSQL`), `count_others`, `count_agg`/`has_agg`.

/** Spider's hardness levels. */
export type SpiderHardness = 'easy' | 'medium' | 'hard' | 'extra';

/** A dev.json `sql` tree (process_sql.py's output), loosely typed: only what hardness reads. */
export interface SpiderSql {
	select: [boolean, unknown[][]];
	from: { table_units: unknown[]; conds: unknown[] };
	where: unknown[];
	groupBy: unknown[][];
	having: unknown[];
	orderBy: [] | [string, unknown[][]];
	limit: number | null;
	intersect: SpiderSql | null;
	union: SpiderSql | null;
	except: SpiderSql | null;
}

const likeOp = 9; // WHERE_OPS.index('like')

/** Python's `x != 0` for what the tree holds (False == 0 and True == 1 in Python; a str is never 0). */
function pyNonZero(x: unknown): boolean {
	if (typeof x === 'boolean') return x;
	return x !== 0;
}

/**
 * evaluation.py `has_agg`: `unit[0] != AGG_OPS.index('none')`. Applied as published to condition
 * units (whose first field is the NOT flag) and, for HAVING, to the 'and'/'or' strings too, so a
 * NOT condition and every HAVING connective count as an aggregation.
 */
function hasAgg(unit: unknown): boolean {
	return pyNonZero((unit as ArrayLike<unknown>)[0]);
}

const countAgg = (units: readonly unknown[]) => units.filter(hasAgg).length;
const evens = <T>(list: readonly T[]) => list.filter((_, i) => i % 2 === 0);
const odds = <T>(list: readonly T[]) => list.filter((_, i) => i % 2 === 1);

/** evaluation.py `count_component1`. */
function countComponent1(sql: SpiderSql): number {
	let count = 0;
	if (sql.where.length > 0) count++;
	if (sql.groupBy.length > 0) count++;
	if (sql.orderBy.length > 0) count++;
	if (sql.limit !== null) count++;
	if (sql.from.table_units.length > 0) count += sql.from.table_units.length - 1;
	const ao = [...odds(sql.from.conds), ...odds(sql.where), ...odds(sql.having)];
	count += ao.filter((t) => t === 'or').length;
	const condUnits = [...evens(sql.from.conds), ...evens(sql.where), ...evens(sql.having)];
	count += condUnits.filter((c) => (c as unknown[])[1] === likeOp).length;
	return count;
}

/** evaluation.py `get_nestedSQL`'s length: subqueries in conditions, then INTERSECT/EXCEPT/UNION. */
function countComponent2(sql: SpiderSql): number {
	let nested = 0;
	for (const c of [...evens(sql.from.conds), ...evens(sql.where), ...evens(sql.having)]) {
		const unit = c as unknown[];
		if (isDict(unit[3])) nested++;
		if (isDict(unit[4])) nested++;
	}
	for (const part of [sql.intersect, sql.except, sql.union]) if (part !== null) nested++;
	return nested;
}

function isDict(x: unknown): boolean {
	return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** evaluation.py `count_others`. */
function countOthers(sql: SpiderSql): number {
	let count = 0;
	let agg = countAgg(sql.select[1]) + countAgg(evens(sql.where)) + countAgg(sql.groupBy);
	if (sql.orderBy.length > 0) {
		const units = sql.orderBy[1] as unknown[][];
		agg += countAgg([
			...units.map((u) => u[1]).filter(Boolean),
			...units.map((u) => u[2]).filter(Boolean)
		]);
	}
	agg += countAgg(sql.having);
	if (agg > 1) count++;
	if (sql.select[1].length > 1) count++;
	if (sql.where.length > 1) count++;
	if (sql.groupBy.length > 1) count++;
	return count;
}

/** evaluation.py `Evaluator.eval_hardness` of a dev.json `sql` tree. */
export function spiderHardness(sql: SpiderSql): SpiderHardness {
	const c1 = countComponent1(sql);
	const c2 = countComponent2(sql);
	const others = countOthers(sql);
	if (c1 <= 1 && others === 0 && c2 === 0) return 'easy';
	if ((others <= 2 && c1 <= 1 && c2 === 0) || (c1 <= 2 && others < 2 && c2 === 0)) return 'medium';
	if (
		(others > 2 && c1 <= 2 && c2 === 0) ||
		(c1 > 2 && c1 <= 3 && others <= 2 && c2 === 0) ||
		(c1 <= 1 && others === 0 && c2 <= 1)
	) {
		return 'hard';
	}
	return 'extra';
}
