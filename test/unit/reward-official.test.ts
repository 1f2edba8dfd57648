// The rewards and presets against values computed by the official code, run with python3 3.11
// (scipy 1.17.1) on the same rows and databases:
// - taoyds/test-suite-sql-eval exec_eval.py `result_eq` (imported with its other imports stubbed);
// - princeton-nlp/intercode intercode/envs/sql/sql_env.py `SqlEnv.get_reward` and
//   `get_intersect_items` (taken from the file, run on an sqlite3 cursor with the rows below);
// - NovaSky-AI/SkyRL skyrl-gym/skyrl_gym/tools/sql.py `SQLCodeExecutorToolGroup.sql` and
//   envs/sql/utils.py `calculate_reward_single` on a database at
//   /tmp/…/sql_data/spider/database/tiny/tiny.sqlite (the prefix is SkyRL's db_path setting; the
//   default, /home/ray/default/sql_data, is what ExecLab names);
// - experiments/eval_n_turn.py (max over turns) and python_env.py `get_reward_mbpp` (first `def`).
import { beforeAll, describe, expect, test } from 'vitest';
import initSqlJs from 'sql.js';
import { getPreset } from '../../src/core/presets/index.ts';
import { birdEx } from '../../src/core/rewards/bird-ex.ts';
import {
	intercodeMbppReward,
	firstFunctionName,
	submittedFunctionName
} from '../../src/core/rewards/intercode-mbpp.ts';
import {
	intercodeObservationStr,
	intercodeSqlReward
} from '../../src/core/rewards/intercode-sql.ts';
import { kendallTauB } from '../../src/core/rewards/kendall-tau.ts';
import { skyrlDbFile, skyrlReward } from '../../src/core/rewards/skyrl.ts';
import { resultEq, stripDistinct } from '../../src/core/rewards/spider-ex.ts';
import type { SqlTask } from '../../src/core/trace/events.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';
import { ScriptedProvider } from './helpers/recorded-provider.ts';
import { collect, ofType } from './helpers/run-events.ts';

let ex: NodeRuntime;
const rows = async (db: string, sql: string) => {
	const r = await ex.sql.exec(sql, { db, readOnly: true, maxRows: 1_000_000 });
	if (!r.ok) throw new Error(r.error?.message);
	return { rows: r.rows, types: r.types };
};

// The same scripts the Python side ran.
const icSetup =
	"CREATE TABLE t(x REAL, i INTEGER, s TEXT); INSERT INTO t VALUES (0.0001, 1, 'a'), (0.00002, 2, 'b'), (0.5, 3, 'c'), (1e16, 4, 'it''s'), (-0.0, 5, 'x' || char(0) || 'y');";
const tinySetup =
	'CREATE TABLE t(a INTEGER, b REAL); INSERT INTO t VALUES (1, 2.0), (1, 2.0), (3, 4.5);';

beforeAll(async () => {
	ex = await nodeRuntime({ python: true });
	const SQL = await initSqlJs();
	for (const [name, setup] of [
		['ic', icSetup],
		['tiny', tinySetup]
	]) {
		const db = new SQL.Database();
		db.exec(setup);
		ex.sqlEngine.open(name, db.export());
		db.close();
	}
});

describe('Spider and BIRD rewards delegate to the metrics', () => {
	test('result_eq sees int and float apart where Python does', () => {
		// exec_eval.result_eq([(1, 1.5)], [(1.0, 1.5)], order_matters=False) → False: unorder_row
		// sorts by str(x) + str(type(x)), and '1<class…' sorts after '1.5…' while '1.0…' sorts before.
		expect(
			resultEq({ rows: [[1, 1.5]], types: ['ir'] }, { rows: [[1, 1.5]], types: ['rr'] }, false)
		).toBe(false);
		// … = True for identical rows, and for (2,) vs (2.0,).
		expect(resultEq([[1, 1.5]], [[1, 1.5]], false)).toBe(true);
		expect(resultEq({ rows: [[2]], types: ['i'] }, { rows: [[2]], types: ['r'] }, false)).toBe(
			true
		);
		// parse.py remove_distinct drops the token (keeping its spaces) and the second statement.
		expect(stripDistinct("SELECT DISTINCT name FROM t WHERE x = 'distinct'; DROP TABLE t")).toBe(
			"SELECT  name FROM t WHERE x = 'distinct'; "
		);
	});

	test("BIRD's set equality: bytes never equal str, 1 equals 1.0", () => {
		// set([(b'a',)]) == set([('a',)]) → False; set([(1,)]) == set([(1.0,)]) → True.
		const bytes = new Uint8Array([97]);
		expect(birdEx({ rows: [[bytes]], types: ['b'] }, { rows: [['a']], types: ['t'] })).toBe(false);
		expect(birdEx({ rows: [[1]], types: ['i'] }, { rows: [[1]], types: ['r'] })).toBe(true);
	});
});

describe('InterCode SQL reward: str(row) as Python prints it', () => {
	// Each: agent rows (what the agent's query gave), gold query; expected get_reward value and repr,
	// and info["agent_obs"] (str of the agent's rows).
	const cases: [string, string, string, number, string, string][] = [
		[
			'τ over Python float order (2e-05 sorts after 0.0001)',
			'SELECT x FROM t WHERE i <= 3 ORDER BY i DESC',
			'SELECT x FROM t WHERE i <= 3 ORDER BY i',
			0.33,
			'0.33',
			'[(0.5,), (2e-05,), (0.0001,)]'
		],
		[
			'a REAL 5.0 is not the int 5',
			'SELECT CAST(count(*) AS REAL) FROM t',
			'SELECT count(*) FROM t',
			0,
			'0.0',
			'[(5.0,)]'
		],
		[
			'reprs: 2e-05, 1e+16, quotes, \\x00',
			'SELECT x, s FROM t ORDER BY i',
			'SELECT x, s FROM t ORDER BY i',
			1,
			'1.0',
			`[(0.0001, 'a'), (2e-05, 'b'), (0.5, 'c'), (1e+16, "it's"), (0.0, 'x\\x00y')]`
		],
		[
			'strings ranked by code point',
			'SELECT s FROM t ORDER BY i DESC',
			'SELECT s FROM t ORDER BY i',
			-0.2,
			'-0.2',
			`[('x\\x00y',), ("it's",), ('c',), ('b',), ('a',)]`
		],
		['both empty: the int 1', 'SELECT x FROM t WHERE 0', 'SELECT x FROM t WHERE 0', 1, '1', '[]']
	];
	test.each(cases)('%s', async (_name, agentSql, goldSql, value, repr, agentObs) => {
		const agent = await rows('ic', agentSql);
		const r = intercodeSqlReward(agent, await rows('ic', goldSql));
		expect(r.value).toBeCloseTo(value, 12);
		expect(r.repr).toBe(repr);
		expect(intercodeObservationStr(agent)).toBe(agentObs);
	});

	test('Kendall τ-b to the last bit of scipy.stats.kendalltau (its order of operations)', () => {
		// scipy 1.17.1 kendalltau(a, b, nan_policy='omit').statistic, repr'd.
		expect(kendallTauB([...'ecabdabb'], [...'beabdbac'])).toBe(0.41666666666666674);
		expect(kendallTauB([...'aceeacdec'], [...'eacaecced'])).toBe(-0.37931034482758624);
		expect(kendallTauB([...'bdeacda'], [...'cdeaadb'])).toBe(0.7368421052631577);
	});

	test('an error text scores 0.0', async () => {
		const r = intercodeSqlReward(
			'Error executing query: no such table: u',
			await rows('ic', 'SELECT x FROM t')
		);
		expect([r.value, r.repr]).toEqual([0, '0.0']);
	});
});

describe('SkyRL-SQL', () => {
	const task: SqlTask = {
		id: 'spider/0',
		question: 'q',
		db: 'tiny',
		gold: 'SELECT DISTINCT a, b FROM t'
	};
	const think = (sql: string) => `<think>t</think><solution>${sql}</solution>`;

	test('reward: two statements 0, equal frozensets 1 (1 == 1.0), a cast that changes a value 0', async () => {
		// calculate_reward_single(completion, 'SELECT DISTINCT a, b FROM t', db) → 0.0, 1.0, 0.0, 1.0
		const got = [];
		for (const sql of [
			'SELECT a FROM t; SELECT b FROM t',
			'SELECT a, b FROM t',
			'SELECT a, CAST(b AS INTEGER) FROM t',
			'SELECT a, b FROM t;'
		])
			got.push((await skyrlReward(ex, task, think(sql))).value);
		expect(got).toEqual([0, 1, 0, 1]);
		const two = await skyrlReward(ex, task, think('SELECT a FROM t; SELECT b FROM t'));
		expect(two.components.predError).toBe('You can only execute one statement at a time.');
	});

	test('observations name the database file as SQLEnv opens it', async () => {
		expect(skyrlDbFile(task)).toBe('/home/ray/default/sql_data/spider/database/tiny/tiny.sqlite');
		expect(skyrlDbFile({ id: 'bird/3', db: 'x' })).toBe(
			'/home/ray/default/sql_data/bird/train/train_databases/x/x.sqlite'
		);
		const events = await collect({
			provider: new ScriptedProvider([
				{ text: '<think>a</think>\n<sql>SELECT 1; SELECT 2</sql>' },
				{ text: '<think>b</think>\n<sql>SELECT * FROM nope</sql>' },
				{ text: '<think>c</think>\n<solution>SELECT a, b FROM t</solution>' }
			]),
			runtime: ex,
			preset: getPreset('skyrl-sql'),
			task,
			mode: 'completion'
		});
		// SQLCodeExecutorToolGroup.sql('tiny', sql, 4) with db_path …/sql_data/spider/database.
		const db = '/home/ray/default/sql_data/spider/database/tiny/tiny.sqlite';
		expect(ofType(events, 'observation').map((o) => o.text)).toEqual([
			`\n\n<observation>Error executing SQL: You can only execute one statement at a time., db file: ${db}\n<reminder>You have 4 turns left to complete the task.</reminder></observation>\n\n`,
			`\n\n<observation>Error executing SQL: no such table: nope, db file: ${db}\n<reminder>You have 3 turns left to complete the task.</reminder></observation>\n\n`
		]);
		expect(ofType(events, 'reward').at(-1)?.value).toBe(1);
	});
});

describe('InterCode Try Again scores the max reward over its turns', () => {
	test('a better earlier turn wins over a worse last one', async () => {
		const task: SqlTask = { id: 'ic/0', question: 'All x?', db: 'ic', gold: 'SELECT x FROM t' };
		const events = await collect({
			provider: new ScriptedProvider([
				{ text: '```sql\nSELECT x FROM t WHERE i <= 4\n```' },
				{ text: 'no code here' },
				{ text: '```sql\nSELECT x FROM t WHERE i = 1\n```' }
			]),
			runtime: ex,
			preset: getPreset('intercode-try-again'),
			task,
			mode: 'chat',
			budgets: { maxTurns: 3 }
		});
		const final = ofType(events, 'reward').at(-1)!;
		// eval_n_turn.py: rewards [0.8, 0, 0.2] (IoU 4/5 and 1/5; τ 1.0 and NaN) → max_reward 0.8.
		expect(ofType(events, 'reward').map((r) => r.value)).toEqual([0.8, 0.2, 0.8]);
		expect(final).toMatchObject({ final: true, value: 0.8 });
	});
});

describe("InterCode's MBPP reward aliases the gold's first def", () => {
	test('first def, not the last', () => {
		// re.search(r'def (\w+)\(', gold).group(1); re.match(r'def (\w+)\(', action).group(1)
		expect(
			firstFunctionName('def helper(x):\n    return x\ndef main(x):\n    return helper(x)')
		).toBe('helper');
		expect(submittedFunctionName('def a(x):\n    pass\ndef b(y):\n    pass')).toBe('a');
	});

	test('a gold whose entry point is its first def scores a matching submission 1', async () => {
		const gold = 'def add(a, b):\n    return plus(a, b)\ndef plus(a, b):\n    return a + b';
		const tests = ['assert add(1, 2) == 3', 'assert add(2, 2) == 4'];
		// The submission is aliased to `add` (the first def), so the tests call it.
		expect(await intercodeMbppReward(ex, 'def mine(a, b):\n    return a + b', gold, tests)).toBe(1);
		expect(await intercodeMbppReward(ex, 'def mine(a, b):\n    return a * b', gold, tests)).toBe(
			0.5
		);
	});
});
