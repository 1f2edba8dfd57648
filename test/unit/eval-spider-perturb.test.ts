import { readFileSync, readdirSync } from 'node:fs';
import initSqlJs from 'sql.js';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildSample, sampleSpecs } from '../../scripts/make-samples.ts';
import type { TaskPack } from '../../src/core/eval/pack.ts';
import { parsePack } from '../../src/core/eval/packs/index.ts';
import { scoreOne } from '../../src/core/eval/packs/score-one.ts';
import { GoldQueryError } from '../../src/core/eval/spider-ex.ts';
import { bundledPacks } from '../../src/data/packs/index.ts';
import { describeRealData, sharedPath } from '../shared-data.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';
import { sqlWasmPath } from './sql-helpers.ts';

// Spider EX through the score path (src/core/eval/packs/score-one.ts, what the embed `score`
// request and the pack runs call) against the OFFICIAL taoyds/test-suite-sql-eval exec_eval.py
// `eval_exec_match(db, pred, gold, plug_value=False, keep_distinct=False, False)` (commit e97acc5;
// parse.py remove_distinct on sqlparse 0.6.0; CPython 3.11.7 sqlite3), run natively by a script
// in /tmp (not committed) on the same .sqlite files: the bundled samples as
// scripts/make-samples.ts builds them, and the Spider sample in ../shared/data.
// eval-spider-real.test.ts checks the metric function itself on perturbations of the Spider
// sample; this file checks the score path on the sample's golds and on perturbations of our own
// pack's golds (literal changed, condition dropped, columns reordered, DISTINCT added, ORDER BY
// flipped, a second statement, a CAST to REAL), built by the same rules as that test's.

type Perturbation =
	| 'literal'
	| 'dropCondition'
	| 'reorder'
	| 'distinct'
	| 'orderFlip'
	| 'secondStatement'
	| 'castReal';

/** [question index in the bundled Spider pack, perturbation, prediction, official verdict]. */
const officialPerturbed: [number, Perturbation, string, 0 | 1][] = [
	[0, 'literal', 'SELECT count(*) FROM students WHERE grade_level = 13', 0],
	[0, 'dropCondition', 'SELECT count(*) FROM students', 0],
	[0, 'distinct', 'SELECT DISTINCT count(*) FROM students WHERE grade_level = 12', 1],
	[0, 'secondStatement', 'SELECT count(*) FROM students WHERE grade_level = 12; SELECT 1', 1],
	[1, 'reorder', 'SELECT building, name FROM departments', 1],
	[1, 'distinct', 'SELECT DISTINCT name , building FROM departments', 1],
	[1, 'secondStatement', 'SELECT name , building FROM departments; SELECT 1', 1],
	[1, 'castReal', 'SELECT CAST(name AS REAL) , building FROM departments', 0],
	[2, 'literal', 'SELECT first_name , last_name FROM teachers ORDER BY salary DESC LIMIT 4', 0],
	[2, 'reorder', 'SELECT last_name, first_name FROM teachers ORDER BY salary DESC LIMIT 3', 1],
	[
		2,
		'distinct',
		'SELECT DISTINCT first_name , last_name FROM teachers ORDER BY salary DESC LIMIT 3',
		1
	],
	[2, 'orderFlip', 'SELECT first_name , last_name FROM teachers ORDER BY salary ASC LIMIT 3', 0],
	[
		2,
		'secondStatement',
		'SELECT first_name , last_name FROM teachers ORDER BY salary DESC LIMIT 3; SELECT 1',
		1
	],
	[
		2,
		'castReal',
		'SELECT CAST(first_name AS REAL) , last_name FROM teachers ORDER BY salary DESC LIMIT 3',
		0
	],
	[
		3,
		'distinct',
		'SELECT DISTINCT T1.name , count(*) FROM departments AS T1 JOIN teachers AS T2 ON T1.id = T2.department_id GROUP BY T1.id',
		1
	],
	[
		3,
		'secondStatement',
		'SELECT T1.name , count(*) FROM departments AS T1 JOIN teachers AS T2 ON T1.id = T2.department_id GROUP BY T1.id; SELECT 1',
		1
	],
	[
		3,
		'castReal',
		'SELECT CAST(T1.name AS REAL) , count(*) FROM departments AS T1 JOIN teachers AS T2 ON T1.id = T2.department_id GROUP BY T1.id',
		0
	],
	[4, 'literal', 'SELECT city , count(*) FROM students GROUP BY city HAVING count(*) > 120', 0],
	[
		4,
		'distinct',
		'SELECT DISTINCT city , count(*) FROM students GROUP BY city HAVING count(*) > 119',
		1
	],
	[
		4,
		'secondStatement',
		'SELECT city , count(*) FROM students GROUP BY city HAVING count(*) > 119; SELECT 1',
		1
	],
	[
		4,
		'castReal',
		'SELECT CAST(city AS REAL) , count(*) FROM students GROUP BY city HAVING count(*) > 119',
		0
	],
	[
		5,
		'literal',
		"SELECT avg(T2.salary) FROM departments AS T1 JOIN teachers AS T2 ON T1.id = T2.department_id WHERE T1.name = 'Mathematics_'",
		0
	],
	[
		5,
		'dropCondition',
		'SELECT avg(T2.salary) FROM departments AS T1 JOIN teachers AS T2 ON T1.id = T2.department_id',
		0
	],
	[
		5,
		'distinct',
		"SELECT DISTINCT avg(T2.salary) FROM departments AS T1 JOIN teachers AS T2 ON T1.id = T2.department_id WHERE T1.name = 'Mathematics'",
		1
	],
	[
		5,
		'secondStatement',
		"SELECT avg(T2.salary) FROM departments AS T1 JOIN teachers AS T2 ON T1.id = T2.department_id WHERE T1.name = 'Mathematics'; SELECT 1",
		1
	],
	[
		5,
		'castReal',
		"SELECT CAST(avg(T2.salary) AS REAL) FROM departments AS T1 JOIN teachers AS T2 ON T1.id = T2.department_id WHERE T1.name = 'Mathematics'",
		1
	],
	[6, 'literal', "SELECT code , title FROM courses WHERE credits = 5 AND room LIKE 'North%'", 0],
	[6, 'dropCondition', 'SELECT code , title FROM courses', 0],
	[6, 'reorder', "SELECT title, code FROM courses WHERE credits = 4 AND room LIKE 'North%'", 1],
	[
		6,
		'distinct',
		"SELECT DISTINCT code , title FROM courses WHERE credits = 4 AND room LIKE 'North%'",
		1
	],
	[
		6,
		'secondStatement',
		"SELECT code , title FROM courses WHERE credits = 4 AND room LIKE 'North%'; SELECT 1",
		1
	],
	[
		6,
		'castReal',
		"SELECT CAST(code AS REAL) , title FROM courses WHERE credits = 4 AND room LIKE 'North%'",
		0
	],
	[
		7,
		'literal',
		"SELECT avg(T1.score) FROM grades AS T1 JOIN enrollments AS T2 ON T1.enrollment_id = T2.id WHERE T1.assessment = 'final_' AND T2.term = '2024-fall'",
		0
	],
	[
		7,
		'dropCondition',
		'SELECT avg(T1.score) FROM grades AS T1 JOIN enrollments AS T2 ON T1.enrollment_id = T2.id',
		0
	],
	[
		7,
		'distinct',
		"SELECT DISTINCT avg(T1.score) FROM grades AS T1 JOIN enrollments AS T2 ON T1.enrollment_id = T2.id WHERE T1.assessment = 'final' AND T2.term = '2024-fall'",
		1
	],
	[
		7,
		'secondStatement',
		"SELECT avg(T1.score) FROM grades AS T1 JOIN enrollments AS T2 ON T1.enrollment_id = T2.id WHERE T1.assessment = 'final' AND T2.term = '2024-fall'; SELECT 1",
		1
	],
	[
		7,
		'castReal',
		"SELECT CAST(avg(T1.score) AS REAL) FROM grades AS T1 JOIN enrollments AS T2 ON T1.enrollment_id = T2.id WHERE T1.assessment = 'final' AND T2.term = '2024-fall'",
		1
	],
	[
		8,
		'literal',
		'SELECT first_name , last_name FROM teachers WHERE id NOT IN (SELECT teacher_id FROM courses WHERE teacher_id > 1)',
		0
	],
	[8, 'dropCondition', 'SELECT first_name , last_name FROM teachers)', 0],
	[
		8,
		'reorder',
		'SELECT last_name, first_name FROM teachers WHERE id NOT IN (SELECT teacher_id FROM courses WHERE teacher_id > 0)',
		1
	],
	[
		8,
		'distinct',
		'SELECT DISTINCT first_name , last_name FROM teachers WHERE id NOT IN (SELECT teacher_id FROM courses WHERE teacher_id > 0)',
		1
	],
	[
		8,
		'secondStatement',
		'SELECT first_name , last_name FROM teachers WHERE id NOT IN (SELECT teacher_id FROM courses WHERE teacher_id > 0); SELECT 1',
		1
	],
	[
		8,
		'castReal',
		'SELECT CAST(first_name AS REAL) , last_name FROM teachers WHERE id NOT IN (SELECT teacher_id FROM courses WHERE teacher_id > 0)',
		0
	],
	[
		9,
		'literal',
		'SELECT city FROM students WHERE grade_level = 10 INTERSECT SELECT city FROM students WHERE grade_level = 12',
		1
	],
	[
		9,
		'dropCondition',
		'SELECT city FROM students INTERSECT SELECT city FROM students WHERE grade_level = 12',
		1
	],
	[
		9,
		'distinct',
		'SELECT DISTINCT city FROM students WHERE grade_level = 9 INTERSECT SELECT city FROM students WHERE grade_level = 12',
		1
	],
	[
		9,
		'secondStatement',
		'SELECT city FROM students WHERE grade_level = 9 INTERSECT SELECT city FROM students WHERE grade_level = 12; SELECT 1',
		1
	],
	[
		9,
		'castReal',
		'SELECT CAST(city AS REAL) FROM students WHERE grade_level = 9 INTERSECT SELECT city FROM students WHERE grade_level = 12',
		0
	],
	[10, 'literal', 'SELECT count(*) FROM products WHERE discontinued = 2', 0],
	[10, 'dropCondition', 'SELECT count(*) FROM products', 0],
	[10, 'distinct', 'SELECT DISTINCT count(*) FROM products WHERE discontinued = 1', 1],
	[10, 'secondStatement', 'SELECT count(*) FROM products WHERE discontinued = 1; SELECT 1', 1],
	[11, 'literal', 'SELECT name , price FROM products ORDER BY price DESC LIMIT 6', 0],
	[11, 'reorder', 'SELECT price, name FROM products ORDER BY price DESC LIMIT 5', 1],
	[11, 'distinct', 'SELECT DISTINCT name , price FROM products ORDER BY price DESC LIMIT 5', 1],
	[11, 'orderFlip', 'SELECT name , price FROM products ORDER BY price ASC LIMIT 5', 0],
	[
		11,
		'secondStatement',
		'SELECT name , price FROM products ORDER BY price DESC LIMIT 5; SELECT 1',
		1
	],
	[
		11,
		'castReal',
		'SELECT CAST(name AS REAL) , price FROM products ORDER BY price DESC LIMIT 5',
		0
	],
	[12, 'distinct', 'SELECT DISTINCT country , count(*) FROM customers GROUP BY country', 1],
	[12, 'secondStatement', 'SELECT country , count(*) FROM customers GROUP BY country; SELECT 1', 1],
	[12, 'castReal', 'SELECT CAST(country AS REAL) , count(*) FROM customers GROUP BY country', 0],
	[
		13,
		'literal',
		'SELECT T1.name FROM suppliers AS T1 JOIN products AS T2 ON T1.id = T2.supplier_id GROUP BY T1.id ORDER BY avg(T2.price) DESC LIMIT 2',
		0
	],
	[
		13,
		'distinct',
		'SELECT DISTINCT T1.name FROM suppliers AS T1 JOIN products AS T2 ON T1.id = T2.supplier_id GROUP BY T1.id ORDER BY avg(T2.price) DESC LIMIT 1',
		1
	],
	[
		13,
		'orderFlip',
		'SELECT T1.name FROM suppliers AS T1 JOIN products AS T2 ON T1.id = T2.supplier_id GROUP BY T1.id ORDER BY avg(T2.price) ASC LIMIT 1',
		0
	],
	[
		13,
		'secondStatement',
		'SELECT T1.name FROM suppliers AS T1 JOIN products AS T2 ON T1.id = T2.supplier_id GROUP BY T1.id ORDER BY avg(T2.price) DESC LIMIT 1; SELECT 1',
		1
	],
	[
		13,
		'castReal',
		'SELECT CAST(T1.name AS REAL) FROM suppliers AS T1 JOIN products AS T2 ON T1.id = T2.supplier_id GROUP BY T1.id ORDER BY avg(T2.price) DESC LIMIT 1',
		0
	],
	[
		14,
		'literal',
		'SELECT name FROM products WHERE id NOT IN (SELECT product_id FROM reviews WHERE rating >= 5)',
		0
	],
	[14, 'dropCondition', 'SELECT name FROM products)', 0],
	[
		14,
		'distinct',
		'SELECT DISTINCT name FROM products WHERE id NOT IN (SELECT product_id FROM reviews WHERE rating >= 4)',
		1
	],
	[
		14,
		'secondStatement',
		'SELECT name FROM products WHERE id NOT IN (SELECT product_id FROM reviews WHERE rating >= 4); SELECT 1',
		1
	],
	[
		14,
		'castReal',
		'SELECT CAST(name AS REAL) FROM products WHERE id NOT IN (SELECT product_id FROM reviews WHERE rating >= 4)',
		0
	],
	[
		15,
		'literal',
		"SELECT avg(T1.rating) FROM reviews AS T1 JOIN products AS T2 ON T1.product_id = T2.id JOIN categories AS T3 ON T2.category_id = T3.id WHERE T3.name = 'Furniture_'",
		0
	],
	[
		15,
		'dropCondition',
		'SELECT avg(T1.rating) FROM reviews AS T1 JOIN products AS T2 ON T1.product_id = T2.id JOIN categories AS T3 ON T2.category_id = T3.id',
		0
	],
	[
		15,
		'distinct',
		"SELECT DISTINCT avg(T1.rating) FROM reviews AS T1 JOIN products AS T2 ON T1.product_id = T2.id JOIN categories AS T3 ON T2.category_id = T3.id WHERE T3.name = 'Furniture'",
		1
	],
	[
		15,
		'secondStatement',
		"SELECT avg(T1.rating) FROM reviews AS T1 JOIN products AS T2 ON T1.product_id = T2.id JOIN categories AS T3 ON T2.category_id = T3.id WHERE T3.name = 'Furniture'; SELECT 1",
		1
	],
	[
		15,
		'castReal',
		"SELECT CAST(avg(T1.rating) AS REAL) FROM reviews AS T1 JOIN products AS T2 ON T1.product_id = T2.id JOIN categories AS T3 ON T2.category_id = T3.id WHERE T3.name = 'Furniture'",
		1
	],
	[
		16,
		'literal',
		"SELECT T1.first_name , T1.last_name FROM customers AS T1 JOIN orders AS T2 ON T1.id = T2.customer_id WHERE T2.status = 'returned' GROUP BY T1.id HAVING count(*) >= 3",
		0
	],
	[
		16,
		'dropCondition',
		'SELECT T1.first_name , T1.last_name FROM customers AS T1 JOIN orders AS T2 ON T1.id = T2.customer_id GROUP BY T1.id HAVING count(*) >= 2',
		0
	],
	[
		16,
		'reorder',
		"SELECT T1.last_name, T1.first_name FROM customers AS T1 JOIN orders AS T2 ON T1.id = T2.customer_id WHERE T2.status = 'returned' GROUP BY T1.id HAVING count(*) >= 2",
		1
	],
	[
		16,
		'distinct',
		"SELECT DISTINCT T1.first_name , T1.last_name FROM customers AS T1 JOIN orders AS T2 ON T1.id = T2.customer_id WHERE T2.status = 'returned' GROUP BY T1.id HAVING count(*) >= 2",
		1
	],
	[
		16,
		'secondStatement',
		"SELECT T1.first_name , T1.last_name FROM customers AS T1 JOIN orders AS T2 ON T1.id = T2.customer_id WHERE T2.status = 'returned' GROUP BY T1.id HAVING count(*) >= 2; SELECT 1",
		1
	],
	[
		16,
		'castReal',
		"SELECT CAST(T1.first_name AS REAL) , T1.last_name FROM customers AS T1 JOIN orders AS T2 ON T1.id = T2.customer_id WHERE T2.status = 'returned' GROUP BY T1.id HAVING count(*) >= 2",
		0
	]
];

/** eval_exec_match of every Spider sample gold against itself ('E': the gold's assertion failed). */
const officialSelf =
	'11EEEEEEEE11EE1111111111111111E11111111111111111111EE11111111EE11EE11111111EE11111111EE1111111111111111111111111111111111111111';

const spiderPack = () =>
	bundledPacks().find((p) => p.format === 'spider') as Extract<TaskPack, { format: 'spider' }>;

describe('perturbed predictions of the bundled Spider pack get the official verdicts', () => {
	let rt: NodeRuntime;
	beforeAll(async () => {
		rt = await nodeRuntime();
		const SQL = await initSqlJs({ locateFile: () => sqlWasmPath });
		for (const spec of sampleSpecs) await rt.sql.open(spec.name, buildSample(SQL, spec).bytes);
	});

	test('every perturbation kind is covered, with both verdicts among them', () => {
		const kinds = new Set(officialPerturbed.map(([, kind]) => kind));
		expect(kinds.size).toBe(7);
		expect(new Set(officialPerturbed.map(([, , , v]) => v))).toEqual(new Set([0, 1]));
	});

	test('each verdict through the score path equals eval_exec_match', async () => {
		const { items } = spiderPack();
		const got: [number, Perturbation, string, number][] = [];
		for (const [index, kind, pred] of officialPerturbed) {
			const item = items[index];
			const { score } = await scoreOne(rt, {
				metric: 'spider-ex',
				db: item.db_id,
				gold: item.query,
				pred
			});
			got.push([index, kind, pred, score]);
		}
		expect(got).toEqual(officialPerturbed);
	});
});

describeRealData('the Spider sample through parsePack and the score path', () => {
	let rt: NodeRuntime;
	let pack: Extract<TaskPack, { format: 'spider' }>;
	beforeAll(async () => {
		rt = await nodeRuntime();
		const file = (relative: string, name = relative) => ({
			name,
			bytes: new Uint8Array(readFileSync(sharedPath(`spider/${relative}`)))
		});
		const databases = readdirSync(sharedPath('spider/database')).flatMap((id) =>
			readdirSync(sharedPath(`spider/database/${id}`)).map((f) => file(`database/${id}/${f}`))
		);
		pack = (await parsePack({
			files: [file('dev-sample.json'), file('tables-sample.json'), ...databases]
		})) as Extract<TaskPack, { format: 'spider' }>;
		for (const db of pack.databases) await rt.sql.open(db.dbId, db.files[0].bytes);
	});

	test('every gold scored against itself is 1 where it runs; a gold that fails is an error, as officially', async () => {
		let verdicts = '';
		for (const item of pack.items) {
			try {
				verdicts += (
					await scoreOne(rt, {
						metric: 'spider-ex',
						db: item.db_id,
						gold: item.query,
						pred: item.query
					})
				).score;
			} catch (e) {
				if (!(e instanceof GoldQueryError)) throw e;
				verdicts += 'E';
			}
		}
		expect(verdicts).toBe(officialSelf);
	}, 120_000);
});
