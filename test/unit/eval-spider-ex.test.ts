import { beforeAll, describe, expect, test } from 'vitest';
import {
	GoldQueryError,
	evalExecMatch,
	removeDistinct,
	spiderPredictionFromLine,
	testSuiteDatabases
} from '../../src/core/eval/spider-ex.ts';
import { isMultiStatement } from '../../src/core/eval/python-sqlite.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';
import { expectPredicate } from './helpers/expect-predicate.ts';

// Expected values computed by the OFFICIAL code, run natively here (CPython 3.11.7 and its
// sqlite3): taoyds/test-suite-sql-eval parse.py `remove_distinct` with andialbrecht/sqlparse
// 0.6.1.dev0 (its HEAD), and exec_eval.py `eval_exec_match(db, p, g, plug_value=False,
// keep_distinct=False, progress_bar_for_each_datapoint=False)` (tqdm stubbed), by a runner in
// /tmp: `python3 ex.py cases.json`, printing each verdict ('E' = the gold assertion failed).

/** [input, remove_distinct(input)]; null where sqlparse finds no statement (IndexError). */
const removeDistinctCases: [string, string | null][] = [
	['SELECT DISTINCT a FROM t', 'SELECT  a FROM t'],
	['select distinct(a) from t', 'select (a) from t'],
	['SELECT count(DISTINCT a) FROM t', 'SELECT count( a) FROM t'],
	['SELECT a FROM t; SELECT b FROM t', 'SELECT a FROM t; '],
	['SELECT a FROM t;   -- c\n  SELECT b', 'SELECT a FROM t;   -- c\n  '],
	['SELECT a FROM t; /* c */ SELECT b', 'SELECT a FROM t; '],
	["SELECT 'distinct' FROM t", "SELECT 'distinct' FROM t"],
	['SELECT "distinct" FROM t', 'SELECT "distinct" FROM t'],
	['SELECT t.distinct FROM t', 'SELECT t. FROM t'],
	['SELECT distinct.a FROM t distinct', 'SELECT .a FROM t '],
	['SELECT [distinct] FROM t', 'SELECT [distinct] FROM t'],
	['SELECT `distinct` FROM t', 'SELECT `distinct` FROM t'],
	["SELECT a FROM t WHERE b = 'x;y'; DROP TABLE t", "SELECT a FROM t WHERE b = 'x;y'; "],
	['SELECT (a; SELECT 2', 'SELECT (a; SELECT 2'],
	['SELECT CASE WHEN a THEN 1 END; SELECT 2', 'SELECT CASE WHEN a THEN 1 END; '],
	['SELECT a -- distinct\nFROM t', 'SELECT a -- distinct\nFROM t'],
	['SELECT distinct_x, xdistinct FROM t', 'SELECT distinct_x, xdistinct FROM t'],
	['SELECT 1e5distinct', 'SELECT 1e5'],
	['SELECT 1.distinct', 'SELECT 1.'],
	[
		'SELECT #distinct, @distinct, :distinct, $distinct',
		'SELECT #distinct, @distinct, :distinct, $distinct'
	],
	['', null],
	['   ', null],
	['-- only comment', '-- only comment'],
	[';', ';'],
	['SELECT 1;', 'SELECT 1;'],
	['SELECT 1 ;\n\n', 'SELECT 1 ;'],
	['SELECT a FROM t WHERE x > = 3', 'SELECT a FROM t WHERE x > = 3'],
	['SELECT DISTINCT\ta FROM t', 'SELECT \ta FROM t'],
	["SELECT a FROM t WHERE b = 'it''s'; SELECT 2", "SELECT a FROM t WHERE b = 'it''s'; "],
	['BEGIN; SELECT 1; END; SELECT 2', 'BEGIN; '],
	['SELECT /* unclosed distinct', 'SELECT /* unclosed '],
	["SELECT 'unclosed distinct", "SELECT 'unclosed "],
	['SELECT distinct/*x*/a FROM t', 'SELECT /*x*/a FROM t'],
	['SELECT DiStInCt a FROM t', 'SELECT  a FROM t'],
	['SELECT a FROM t GO SELECT b', 'SELECT a FROM t GO '],
	[
		'select T1.name from singer as T1 join concert as T2 on T1.id = T2.id where T2.year = 2014 order by T1.age desc; select 1',
		'select T1.name from singer as T1 join concert as T2 on T1.id = T2.id where T2.year = 2014 order by T1.age desc; '
	],
	['SELECT ÀDISTINCT, distinctÀ FROM t', 'SELECT ÀDISTINCT, distinctÀ FROM t'],
	['SELECT a FROM t\r\n;\r\n-- x\r\nSELECT b', 'SELECT a FROM t\r\n;']
];

// Our test suite of two databases (q1.sqlite, q2.sqlite: the second has fewer and other rows),
// made by these scripts with Python's sqlite3 for the official run and by sql.js here.
const q1 = `CREATE TABLE m(id INTEGER PRIMARY KEY, name TEXT, score REAL, n INTEGER, tag TEXT, b BLOB);
INSERT INTO m VALUES (1,'ann',3.0,3,'3.5',x'00'),(2,'bob',2.5,2,'2',NULL),(3,'cid',NULL,10,'10',x'ff'),(4,'dan',3.0,3,'x',x'00'),(5,'eve',1e16,9007199254740993,CAST(x'e282' AS TEXT)||'A',NULL);`;
const q2 = `CREATE TABLE m(id INTEGER PRIMARY KEY, name TEXT, score REAL, n INTEGER, tag TEXT, b BLOB);
INSERT INTO m VALUES (1,'ann',3.0,3,'3.5',x'00'),(2,'bob',2.7,2,'2',NULL),(6,'fay',2.6,7,'7',NULL);`;

/** [gold, prediction, official verdict over q1 + q2]: perturbations and Python-value quirks. */
const suiteCases: [string, string, '0' | '1' | 'E'][] = [
	['SELECT name, score FROM m WHERE score > 2', 'SELECT name, score FROM m WHERE score > 2', '1'],
	['SELECT name, score FROM m WHERE score > 2', 'SELECT name, score FROM m WHERE score > 2.6', '0'],
	['SELECT name FROM m WHERE score > 2 AND n < 5', 'SELECT name FROM m WHERE score > 2', '0'],
	['SELECT name, score FROM m WHERE score > 2', 'SELECT score, name FROM m WHERE score > 2', '1'],
	['SELECT n FROM m', 'SELECT DISTINCT n FROM m', '1'],
	['SELECT DISTINCT n FROM m', 'SELECT n FROM m', '1'],
	['SELECT name FROM m ORDER BY n ASC, id', 'SELECT name FROM m ORDER BY n DESC, id', '0'],
	['SELECT name FROM m ORDER BY id', 'SELECT name FROM m ORDER BY id DESC', '0'],
	['SELECT name FROM m', 'SELECT name FROM m ORDER BY id DESC', '1'],
	['SELECT name FROM m WHERE id < 3', 'SELECT name FROM m WHERE id < 3; SELECT 1', '1'],
	['SELECT name FROM m WHERE id < 3', 'SELECT name FROM m WHERE id < 3;;', '1'],
	['SELECT name FROM m WHERE id < 3', 'SELECT name FROM m WHERE id < 3;\nSELECT 1', '1'],
	['SELECT n FROM m', 'SELECT CAST(n AS REAL) FROM m', '0'],
	['SELECT n, tag FROM m WHERE id = 1', 'SELECT CAST(n AS REAL), tag FROM m WHERE id = 1', '0'],
	['SELECT n, tag FROM m WHERE id = 1', 'SELECT tag, n FROM m WHERE id = 1', '1'],
	['SELECT n FROM m WHERE id = 5', 'SELECT 9007199254740992', '0'],
	['SELECT n FROM m WHERE id = 5', 'SELECT CAST(n AS REAL) FROM m WHERE id = 5', '0'],
	['SELECT n FROM m WHERE id = 5', 'SELECT 9007199254740993', '0'],
	['SELECT tag FROM m WHERE id = 5', "SELECT 'A'", '0'],
	['SELECT b FROM m WHERE id = 1', 'SELECT CAST(b AS TEXT) FROM m WHERE id = 1', '0'],
	['SELECT name FROM m WHERE 0', 'SELECT id, n FROM m WHERE 0', '1'],
	['SELECT name FROM m WHERE 0', 'DELETE FROM m WHERE 0', '1'],
	['SELECT 20', 'SELECT YEAR(CURDATE()) - 2000', '1'],
	['SELECT id, name, score, n, tag FROM m', 'SELECT tag, n, score, name, id FROM m', '1'],
	[
		'SELECT id, name, score, n, tag FROM m ORDER BY id',
		'SELECT tag, n, score, name, id FROM m ORDER BY id',
		'1'
	],
	['SELECT id, n, n, score FROM m', 'SELECT n, id, score, n FROM m', '1'],
	['SELECT count(DISTINCT n) FROM m', 'SELECT count(n) FROM m', '1'],
	['SELECT name FROM m', 'SELECT nope FROM m', '0'],
	['SELECT nope FROM m', 'SELECT name FROM m', 'E'],
	['SELECT n FROM m WHERE n = 3', 'SELECT n FROM m WHERE n = 3 LIMIT 1', '0'],
	['SELECT score FROM m WHERE id = 1', 'SELECT 3', '1'],
	['SELECT score FROM m WHERE id IN (1, 2)', 'SELECT n FROM m WHERE id IN (1, 2)', '0'],
	['SELECT name FROM m WHERE score > = 2.6', 'SELECT name FROM m WHERE score >= 2.6', '1'],
	['SELECT id FROM m WHERE id = 3', 'SELECT id FROM m WHERE id = 3', '1'],
	['SELECT 1', 'SELECT 1 -- distinct\n', '1'],
	["SELECT '3' || ''", 'SELECT 3', '0']
];

let rt: NodeRuntime;
beforeAll(async () => {
	rt = await nodeRuntime();
	for (const [name, script] of [
		['q1.sqlite', q1],
		['q2.sqlite', q2]
	]) {
		rt.sqlEngine.open(name, new Uint8Array());
		expect(rt.sqlEngine.exec(script, { db: name }).error).toBeNull();
	}
});

describe('Spider EX pieces', () => {
	test('remove_distinct keeps the first statement sqlparse splits off, without DISTINCT', () => {
		for (const [input, expected] of removeDistinctCases) {
			expect(removeDistinct(input), JSON.stringify(input)).toBe(expected);
		}
	});

	test("Python's sqlite3 refuses a second statement (CPython 3.11 behaviour)", () => {
		// Each checked with sqlite3.connect(':memory:').execute(q) in CPython 3.11.7.
		expectPredicate(isMultiStatement, {
			yes: [
				'SELECT 1;;',
				'SELECT 1; ;',
				'SELECT 1; SELECT 2',
				'SELECT 1 -- x\n; SELECT 2',
				'SELECT 1; x'
			],
			no: [
				'SELECT 1;',
				'SELECT 1; ',
				'SELECT 1; -- x',
				'SELECT 1; /* x */',
				'SELECT 1; /* x',
				"SELECT ';'; ",
				'',
				';'
			]
		});
	});

	test("evaluate()'s reading of a prediction line and the test-suite folder", () => {
		expect(spiderPredictionFromLine('  SELECT value FROM t\tconcert_singer\n')).toBe(
			'SELECT 1 FROM t'
		);
		expect(
			testSuiteDatabases(['b.sqlite', 'a.sqlite', 'a.sqlite-journal', 'README', 'x.db'])
		).toEqual(['a.sqlite', 'a.sqlite-journal', 'b.sqlite']);
	});
});

describe('eval_exec_match on our own test suite', () => {
	test('every verdict is the official one', async () => {
		const dbs = ['q1.sqlite', 'q2.sqlite'];
		for (const [gold, pred, expected] of suiteCases) {
			let got: string;
			try {
				got = String((await evalExecMatch(rt.sql, dbs, pred, gold)).score);
			} catch (e) {
				if (!(e instanceof GoldQueryError)) throw e;
				got = 'E';
			}
			expect(got, `${gold}  vs  ${pred}`).toBe(expected);
		}
	});

	test('verdicts say why', async () => {
		const dbs = ['q1.sqlite', 'q2.sqlite'];
		expect(await evalExecMatch(rt.sql, dbs, 'SELECT nope FROM m', 'SELECT 1')).toMatchObject({
			score: 0,
			reason: 'pred-error',
			db: 'q1.sqlite',
			error: 'no such column: nope'
		});
		expect(
			await evalExecMatch(
				rt.sql,
				dbs,
				'SELECT id FROM m WHERE id < 5',
				'SELECT id FROM m WHERE id < 4'
			)
		).toMatchObject({
			score: 0,
			reason: 'mismatch',
			db: 'q1.sqlite'
		});
		expect(await evalExecMatch(rt.sql, dbs, '  ', 'SELECT 1')).toEqual({
			score: 0,
			reason: 'empty-pred'
		});
		await expect(evalExecMatch(rt.sql, dbs, 'SELECT 1', 'SELECT nope')).rejects.toThrow(
			GoldQueryError
		);
		// A DML prediction runs read-only: the suite is unchanged afterwards.
		await evalExecMatch(rt.sql, dbs, 'DELETE FROM m', 'SELECT 1 WHERE 0');
		expect(rt.sqlEngine.exec('SELECT count(*) FROM m', { db: 'q1.sqlite' }).rows).toEqual([[5]]);
	});
});
