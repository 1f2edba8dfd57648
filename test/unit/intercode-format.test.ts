// InterCode's own evaluation logs. The expected files below are what princeton-nlp/intercode's
// experiments/eval_react.py and eval_n_turn.py `ExperimentWrapper.run_expr` write (json.dump,
// indent=2), run natively with python3 3.11 + scipy 1.17.1: each method taken from its file by
// ast, the model replaced by the same scripted replies as here, SqlEnv by an sqlite3 cursor on the
// same table with InterCode's own IntercodeEnv.step, SqlEnv.exec_action and SqlEnv.get_reward.
import { beforeAll, describe, expect, test } from 'vitest';
import initSqlJs from 'sql.js';
import { getPreset } from '../../src/core/presets/index.ts';
import { traceFromEvents } from '../../src/core/trace/trace.ts';
import { traceToV2, type TraceV2 } from '../../src/core/trace/trace-v2.ts';
import type { SqlTask } from '../../src/core/trace/events.ts';
import { intercodeLogText, toIntercodeLog } from '../../src/core/export/intercode.ts';
import { fromIntercodeLog } from '../../src/core/export/intercode-import.ts';
import { parsePyJson, pyJsonDumps, PyFloat } from '../../src/core/export/intercode-json.ts';
import { exportTraces } from '../../src/core/export/index.ts';
import { importExeclab, toExeclabJson } from '../../src/core/export/execlab.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';
import { ScriptedProvider } from './helpers/recorded-provider.ts';
import { collect } from './helpers/run-events.ts';

const setup =
	"CREATE TABLE t(x REAL, i INTEGER, s TEXT); INSERT INTO t VALUES (0.0001, 1, 'a'), (0.00002, 2, 'b'), (0.5, 3, 'c'), (1e16, 4, 'it''s'), (-0.0, 5, 'x' || char(0) || 'y');";
let ex: NodeRuntime;

beforeAll(async () => {
	ex = await nodeRuntime();
	const SQL = await initSqlJs();
	const db = new SQL.Database();
	db.exec(setup);
	ex.sqlEngine.open('ic', db.export());
	db.close();
});

/** One run of a preset with scripted replies, as a v2 trace. */
async function runTrace(
	preset: string,
	task: SqlTask,
	replies: string[],
	maxTurns: number
): Promise<TraceV2> {
	const events = await collect({
		provider: new ScriptedProvider(replies.map((text) => ({ text }))),
		runtime: ex,
		preset: getPreset(preset),
		task,
		mode: preset === 'intercode-react' ? 'completion' : 'chat',
		budgets: { maxTurns }
	});
	return traceToV2(traceFromEvents(events));
}

const allX: SqlTask = { question: 'All x?', db: 'ic', gold: 'SELECT x FROM t' };
const nothing: SqlTask = { question: 'Nothing?', db: 'ic', gold: 'SELECT x FROM t WHERE 0' };
const dataset = 'data/sql/ic_test.json';

const reactLog = [
	'{',
	'  "0": {',
	'    "environment": "ic_sql",',
	'    "dataset": "data/sql/ic_test.json",',
	'    "task_id": 0,',
	'    "query": "All x?",',
	'    "turn_history": {',
	'      "thoughts": [',
	'        "I check the small x values.",',
	'        "Maybe another column.",',
	'        "I am unsure.",',
	'        "EXCEEDED MAX TURNS: submit"',
	'      ],',
	'      "actions": [',
	'        "execute[SELECT x FROM t WHERE i <= 2]",',
	'        "execute[SELECT nope FROM t]",',
	'        "run[x]",',
	'        "submit"',
	'      ],',
	'      "observations": [',
	'        "[(0.0001,), (2e-05,)]",',
	'        "Error executing query: no such column: nope",',
	'        "Error executing query: Your last `execute` action did not contain sql code",',
	'        "Error executing query: no such column: nope"',
	'      ],',
	'      "rewards": [',
	'        0,',
	'        0,',
	'        0,',
	'        0.0',
	'      ],',
	'      "valid_action": [',
	'        true,',
	'        false,',
	'        false,',
	'        false',
	'      ]',
	'    },',
	'    "summary": {',
	'      "max_reward": 0.0,',
	'      "turns_taken": 3,',
	'      "turns_max": 3',
	'    }',
	'  },',
	'  "1": {',
	'    "environment": "ic_sql",',
	'    "dataset": "data/sql/ic_test.json",',
	'    "task_id": 1,',
	'    "query": "All x?",',
	'    "turn_history": {',
	'      "thoughts": [',
	'        "I list every x.",',
	'        "That is the answer."',
	'      ],',
	'      "actions": [',
	'        "execute[SELECT x FROM t ORDER BY i]",',
	'        "submit"',
	'      ],',
	'      "observations": [',
	'        "[(0.0001,), (2e-05,), (0.5,), (1e+16,), (0.0,)]",',
	'        "[(0.0001,), (2e-05,), (0.5,), (1e+16,), (0.0,)]"',
	'      ],',
	'      "rewards": [',
	'        0,',
	'        1.0',
	'      ],',
	'      "valid_action": [',
	'        true,',
	'        true',
	'      ]',
	'    },',
	'    "summary": {',
	'      "max_reward": 1.0,',
	'      "turns_taken": 2,',
	'      "turns_max": 3',
	'    }',
	'  }',
	'}'
].join('\n');

const nTurnLog = [
	'{',
	'  "0": {',
	'    "environment": "ic_sql",',
	'    "dataset": "data/sql/ic_test.json",',
	'    "task_id": 0,',
	'    "query": "All x?",',
	'    "turn_history": {',
	'      "actions": [',
	'        "SELECT x FROM t WHERE i <= 4",',
	'        "I don\'t know.",',
	'        "SELECT x FROM t WHERE i = 1",',
	'        "SELECT s FROM t WHERE 0"',
	'      ],',
	'      "observations": [',
	'        "[(0.0001,), (2e-05,), (0.5,), (1e+16,)]",',
	'        "No SQL code was found in your last response.\\n\\nYour response should be a SQL command. Format your SQL command as follows:\\n\\n```SQL\\nYour SQL code here\\n```\\n",',
	'        "[(0.0001,)]",',
	'        "[]"',
	'      ],',
	'      "rewards": [',
	'        0.8,',
	'        0,',
	'        0.2,',
	'        0.0',
	'      ],',
	'      "valid_action": [',
	'        true,',
	'        false,',
	'        true,',
	'        true',
	'      ]',
	'    },',
	'    "summary": {',
	'      "max_reward": 0.8,',
	'      "max_reward_idx": 0,',
	'      "turns_taken": 4,',
	'      "turns_max": 4',
	'    }',
	'  },',
	'  "1": {',
	'    "environment": "ic_sql",',
	'    "dataset": "data/sql/ic_test.json",',
	'    "task_id": 1,',
	'    "query": "Nothing?",',
	'    "turn_history": {',
	'      "actions": [',
	'        "SELECT s FROM t WHERE 0"',
	'      ],',
	'      "observations": [',
	'        "[]"',
	'      ],',
	'      "rewards": [',
	'        1',
	'      ],',
	'      "valid_action": [',
	'        true',
	'      ]',
	'    },',
	'    "summary": {',
	'      "max_reward": 1,',
	'      "max_reward_idx": 0,',
	'      "turns_taken": 1,',
	'      "turns_max": 4',
	'    }',
	'  }',
	'}'
].join('\n');

describe('InterCode ReAct: eval_react.py log', () => {
	let traces: TraceV2[];
	beforeAll(async () => {
		traces = [
			// An answer found, an SQL error, no `execute[…]`, then the turn limit's submit.
			await runTrace(
				'intercode-react',
				allX,
				[
					' I check the small x values.\nAction 1: execute[SELECT x FROM t WHERE i <= 2]',
					' Maybe another column.\nAction 2: execute[SELECT nope FROM t]',
					' I am unsure.\nAction 3: run[x]'
				],
				3
			),
			await runTrace(
				'intercode-react',
				allX,
				[
					' I list every x.\nAction 1: execute[SELECT x FROM t ORDER BY i]',
					' That is the answer.\nAction 2: submit'
				],
				3
			)
		];
	});

	test('the file is byte for byte what eval_react.py writes', () => {
		expect(intercodeLogText(traces, dataset)).toBe(reactLog);
		expect(toIntercodeLog(traces[1], { taskId: 1, dataset })).toEqual(JSON.parse(reactLog)['1']);
	});

	test('import reads it back as traces that export unchanged', () => {
		const back = fromIntercodeLog(reactLog, 'ic');
		expect(back.map((t) => t.header.presetId)).toEqual(['intercode-react', 'intercode-react']);
		expect(back[1].outcome).toMatchObject({ reason: 'answer', reward: 1 });
		expect(back[0].outcome).toMatchObject({ reason: 'max-turns', reward: 0 });
		expect(back[1].events.filter((e) => e.type === 'action').map((e) => e.code)).toEqual([
			'SELECT x FROM t ORDER BY i'
		]);
		expect(intercodeLogText(back)).toBe(reactLog);
		// And survives ExecLab's own JSON.
		expect(intercodeLogText(back.map((t) => importExeclab(toExeclabJson(t))[0]))).toBe(reactLog);
	});
});

describe('InterCode Try Again: eval_n_turn.py log', () => {
	let traces: TraceV2[];
	beforeAll(async () => {
		traces = [
			await runTrace(
				'intercode-try-again',
				allX,
				[
					'```sql\nSELECT x FROM t WHERE i <= 4\n```',
					"I don't know.",
					'```sql\nSELECT x FROM t WHERE i = 1\n```',
					'```sql\nSELECT s FROM t WHERE 0\n```'
				],
				4
			),
			await runTrace('intercode-try-again', nothing, ['```sql\nSELECT s FROM t WHERE 0\n```'], 4)
		];
	});

	test('the file is byte for byte what eval_n_turn.py writes (max reward, int 1 on two empty outputs)', () => {
		expect(intercodeLogText(traces, dataset)).toBe(nTurnLog);
		expect(traces[0].outcome.reward).toBe(0.8);
	});

	test('import reads it back as traces that export unchanged', () => {
		const back = fromIntercodeLog(nTurnLog, 'ic');
		expect(back.map((t) => t.header.presetId)).toEqual([
			'intercode-try-again',
			'intercode-try-again'
		]);
		expect(back[0].outcome).toMatchObject({ reason: 'max-turns', reward: 0.8 });
		expect(back[1].outcome).toMatchObject({ reason: 'solved', reward: 1 });
		expect(intercodeLogText(back)).toBe(nTurnLog);
	});

	test('exportTraces(…, "intercode") gives the file', () => {
		expect(exportTraces(traces, 'intercode')).toBe(intercodeLogText(traces));
	});
});

describe('strict import', () => {
	const good = JSON.parse(nTurnLog) as Record<string, Record<string, unknown>>;
	const bad = (mutate: (ep: Record<string, unknown>) => void) => {
		const copy = structuredClone(good);
		mutate(copy['1']);
		return JSON.stringify(copy);
	};

	test('names the episode, the field and why', () => {
		expect(() => fromIntercodeLog(bad((ep) => (ep.summary = { max_reward: 'one' })))).toThrow(
			/^record 2: 1\.summary\.max_reward: /
		);
		expect(() =>
			fromIntercodeLog(bad((ep) => ((ep.turn_history as { rewards: unknown[] }).rewards = [])))
		).toThrow(/^record 2: 1\.turn_history\.rewards: has 0 items but actions has 1/);
		expect(() => fromIntercodeLog(bad((ep) => (ep.task_id = 1.5)))).toThrow(
			/^record 2: 1\.task_id: /
		);
	});

	test('truncated text, junk, other logs and huge files are refused', () => {
		expect(() => fromIntercodeLog(nTurnLog.slice(0, 200))).toThrow(/^record 1: .*not JSON/);
		expect(() => fromIntercodeLog('[1, 2]')).toThrow(/expected an object/);
		expect(() => fromIntercodeLog('{"meta": {}, "logs": {}}')).toThrow(/eval_plan_solve/);
		expect(() => fromIntercodeLog('['.repeat(200_000))).toThrow(/not JSON/);
		expect(() => fromIntercodeLog(' '.repeat(33 * 1024 * 1024))).toThrow(/too large/);
	});
});

describe("Python's json", () => {
	test('dumps ints and floats apart, escapes as ensure_ascii does', () => {
		// python3: json.dumps({"a": [0, 1.0, 2e-05, None, True], "é": "\x7f", "e": {}, "l": []}, indent=2)
		expect(
			pyJsonDumps({
				a: [0, new PyFloat(1), new PyFloat(2e-5), null, true],
				é: '\x7f',
				e: {},
				l: []
			})
		).toBe(
			'{\n  "a": [\n    0,\n    1.0,\n    2e-05,\n    null,\n    true\n  ],\n  "\\u00e9": "\\u007f",\n  "e": {},\n  "l": []\n}'
		);
	});

	test('parses keeping where the floats were', () => {
		const { value, floats } = parsePyJson('{"r": [0, 1.0, NaN, -1e3]}');
		expect(value).toEqual({ r: [0, 1, NaN, -1000] });
		expect([...floats].sort()).toEqual(['["r","1"]', '["r","2"]', '["r","3"]']);
	});
});
