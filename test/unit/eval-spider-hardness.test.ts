import { expect, test } from 'vitest';
import { spiderHardness, type SpiderSql } from '../../src/core/eval/spider-hardness.ts';
import { readShared, testRealData } from '../shared-data.ts';

// Expected levels computed by the OFFICIAL taoyds/test-suite-sql-eval evaluation.py
// `Evaluator().eval_hardness(sql)` (CPython 3.11.7; nltk stubbed, unused by it) on each tree:
// e = easy, m = medium, h = hard, x = extra.

/** A tree with the given clauses; every other clause empty, FROM one table. */
function tree(clauses: Record<string, unknown>): SpiderSql {
	return {
		from: { table_units: [['table_unit', 0]], conds: [] },
		where: [],
		groupBy: [],
		having: [],
		orderBy: [],
		limit: null,
		intersect: null,
		union: null,
		except: null,
		...clauses
	} as unknown as SpiderSql;
}

/** Trees of our own: a NOT condition, HAVING with 'and' and with 'or' (has_agg reads both). */
const synthetic = [
	tree({
		select: [false, [[0, [0, [0, 1, false], null]]]],
		where: [[true, 2, [0, [0, 1, false], null], 1, null]]
	}),
	tree({
		select: [false, [[3, [0, [0, 1, false], null]]]],
		where: [[true, 2, [0, [0, 1, false], null], 1, null]],
		groupBy: [[0, 2, false]],
		having: [
			[false, 3, [0, [3, 1, false], null], 1, null],
			'and',
			[false, 4, [0, [0, 2, false], null], 5, null]
		]
	}),
	tree({
		select: [false, [[0, [0, [0, 1, false], null]]]],
		groupBy: [[0, 2, false]],
		having: [
			[false, 3, [0, [0, 1, false], null], 1, null],
			'or',
			[false, 4, [0, [0, 2, false], null], 5, null]
		]
	})
];

test('hardness of trees of our own', () => {
	expect(synthetic.map(spiderHardness)).toEqual(['easy', 'medium', 'medium']);
});

testRealData('hardness of every Spider dev-sample question is the official one', () => {
	const dev = JSON.parse(readShared('spider/dev-sample.json')) as { sql: SpiderSql }[];
	const letter = { easy: 'e', medium: 'm', hard: 'h', extra: 'x' } as const;
	const letters = dev.map((q) => letter[spiderHardness(q.sql)]).join('');
	const official =
		'eemmmmmmeemmhhmmmmmmmmmmxxhhhhhhhmmmmhhmmxxhheemmmmmmhheexxxxxxhhxxmmmmmmmmmmmmmmmmhhxxeeeemmeemmeeeemmmmhhhhmmmmmmhheemmeehhee';
	expect(letters).toBe(official);
});
