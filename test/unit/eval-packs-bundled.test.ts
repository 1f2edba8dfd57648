import initSqlJs from 'sql.js';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildSample, sampleSpecs } from '../../scripts/make-samples.ts';
import { humanEvalResult, humanEvalSample } from '../../src/core/eval/humaneval.ts';
import { mbppSample } from '../../src/core/eval/mbpp.ts';
import type { TaskPack } from '../../src/core/eval/pack.ts';
import { evalExecMatch } from '../../src/core/eval/spider-ex.ts';
import { spiderHardness, type SpiderSql } from '../../src/core/eval/spider-hardness.ts';
import { bundledPacks, isBundledSampleDb } from '../../src/data/packs/index.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';
import { sqlWasmPath } from './sql-helpers.ts';

// The bundled starter packs' reference answers pass on the real engines (Pyodide, sql.js), and a
// wrong answer fails, so the tests can tell them apart.

const pack = <F extends TaskPack['format']>(format: F) =>
	bundledPacks().find((p) => p.format === format) as Extract<TaskPack, { format: F }>;

describe('Python packs on Pyodide', () => {
	let rt: NodeRuntime;
	beforeAll(async () => {
		rt = await nodeRuntime({ python: true });
	});

	test('HumanEval-format pack: every canonical solution passes as check_correctness runs it', async () => {
		const { problems } = pack('humaneval');
		const right = problems.map((p, i) => humanEvalSample(`ok${i}`, p, p.canonical_solution));
		const wrong = problems.map((p, i) => humanEvalSample(`bad${i}`, p, '    return None\n'));
		const results = await rt.python.runMany([...right, ...wrong]);
		const words = results.map(humanEvalResult);
		expect(words.slice(0, problems.length)).toEqual(problems.map(() => 'passed'));
		for (const word of words.slice(problems.length)) expect(word).toMatch(/^failed: /);
	});

	test('MBPP-format pack: every reference code passes its tests (with its setup code)', async () => {
		const { tasks } = pack('mbpp');
		const right = tasks.map((t, i) => mbppSample(`ok${i}`, t, t.code));
		const wrong = tasks.map((t, i) => mbppSample(`bad${i}`, t, 'pass'));
		const results = await rt.python.runMany([...right, ...wrong]);
		expect(results.slice(0, tasks.length).map((r) => r.status)).toEqual(tasks.map(() => 'passed'));
		for (const r of results.slice(tasks.length)) expect(r.status).not.toBe('passed');
	});
});

describe('the Spider-format pack on the bundled samples', () => {
	let rt: NodeRuntime;
	beforeAll(async () => {
		rt = await nodeRuntime();
		const SQL = await initSqlJs({ locateFile: () => sqlWasmPath });
		for (const spec of sampleSpecs) await rt.sql.open(spec.name, buildSample(SQL, spec).bytes);
	});

	test('its databases are the bundled samples', () => {
		const { databases } = pack('spider');
		expect(databases.map((d) => d.dbId)).toEqual(['school', 'shop']);
		expect(databases.every(isBundledSampleDb)).toBe(true);
	});

	test('every gold scored against itself is 1, and against another question’s gold 0', async () => {
		const { items } = pack('spider');
		for (const [i, item] of items.entries()) {
			expect(
				(await evalExecMatch(rt.sql, [item.db_id], item.query, item.query)).score,
				item.query
			).toBe(1);
			const other = items.find((o, j) => j !== i && o.db_id === item.db_id)!;
			expect((await evalExecMatch(rt.sql, [item.db_id], other.query, item.query)).score).toBe(0);
		}
	});

	test('hardness of each question as the official eval_hardness gives it', () => {
		// taoyds/test-suite-sql-eval evaluation.py Evaluator.eval_hardness on the `sql` trees, which
		// process_sql.py get_sql built from our queries and the sample files (run with python3 3.11).
		const official = [
			'easy',
			'medium',
			'medium',
			'medium',
			'medium',
			'medium',
			'extra',
			'medium',
			'extra',
			'hard',
			'easy',
			'medium',
			'medium',
			'extra',
			'hard',
			'hard',
			'hard'
		];
		expect(pack('spider').items.map((i) => spiderHardness(i.sql as SpiderSql))).toEqual(official);
	});

	test('tables.json describes each sample: every table and column, in order', async () => {
		for (const t of pack('spider').tables) {
			const schema = await rt.sql.schema(t.db_id);
			const tables = schema.tables.filter((x) => x.kind === 'table');
			expect([...t.table_names_original].sort()).toEqual(tables.map((x) => x.name).sort());
			for (const [ti, name] of t.table_names_original.entries()) {
				const columns = t.column_names_original.filter(([i]) => i === ti).map(([, c]) => c);
				expect(columns, name).toEqual(
					tables.find((x) => x.name === name)!.columns.map((c) => c.name)
				);
			}
		}
	});
});
