import { beforeAll, describe, expect, test } from 'vitest';
import { humanEvalPassAtK, numpyPairwiseSum } from '../../src/core/eval/pass-at-k.ts';
import {
	humanEvalProgram,
	humanEvalResult,
	humanEvalSample
} from '../../src/core/eval/humaneval.ts';
import { birdEx, birdPredictionFromJson } from '../../src/core/eval/bird-ex.ts';
import { letiMbppProgram, mbppProgram } from '../../src/core/eval/mbpp.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';

// Expected values computed by the OFFICIAL code run natively here (CPython 3.11.7, numpy 2.4.6):
// openai/human-eval human_eval/evaluation.py `estimate_pass_at_k(...).mean()` and
// human_eval/execution.py `check_correctness(problem, completion, 3.0)['result']` (a runner in /tmp,
// `python3 he.py`; the exec line uncommented, as its README asks); BIRD's
// bird/llm/src/evaluation.py `execute_model(pred, gold, db, i, 30.0)['res']` (func_timeout stubbed
// to call through) on our q1 database below (`python3 birdrun.py cases.json`).

const passAtKOfficial: [number[], number[], Record<string, number>][] = [
	[
		[10, 10, 10],
		[0, 3, 10],
		{
			'pass@1': 0.43333333333333335,
			'pass@2': 0.5111111111111111,
			'pass@5': 0.6388888888888888,
			'pass@10': 0.6666666666666666
		}
	],
	[
		[200, 200, 200, 200, 200, 200, 200],
		[0, 1, 13, 100, 150, 199, 200],
		{
			'pass@1': 0.4735714285714285,
			'pass@2': 0.5465398420674802,
			'pass@5': 0.6117713743561958,
			'pass@10': 0.6495399473036935,
			'pass@100': 0.785702785314115
		}
	],
	[
		[5, 7, 20, 200, 9, 9, 9, 9, 9, 13],
		[1, 2, 3, 57, 0, 4, 8, 9, 1, 6],
		{ 'pass@1': 0.38266971916971915, 'pass@2': 0.5373032720313863, 'pass@5': 0.7901448613288974 }
	],
	[
		Array(150).fill(200),
		[
			189, 125, 137, 180, 116, 155, 167, 45, 11, 60, 57, 175, 183, 1, 100, 165, 26, 160, 23, 94,
			164, 60, 68, 55, 144, 51, 199, 89, 96, 101, 117, 111, 102, 200, 162, 159, 140, 125, 68, 198,
			93, 43, 169, 32, 172, 123, 23, 8, 89, 7, 28, 103, 195, 93, 162, 184, 165, 126, 88, 103, 53,
			99, 76, 49, 199, 2, 19, 38, 194, 139, 177, 40, 144, 74, 98, 0, 124, 166, 133, 31, 107, 53,
			193, 176, 37, 102, 188, 170, 142, 128, 8, 149, 95, 18, 49, 108, 146, 102, 123, 175, 137, 72,
			129, 120, 21, 11, 132, 77, 120, 64, 45, 30, 76, 164, 80, 76, 115, 196, 78, 118, 88, 121, 89,
			128, 109, 135, 192, 30, 112, 88, 71, 48, 10, 80, 166, 19, 81, 194, 191, 43, 1, 135, 2, 60, 99,
			175, 18, 133, 107, 26
		],
		{ 'pass@1': 0.5106666666666666, 'pass@10': 0.9101603993228992, 'pass@100': 0.983248283629052 }
	]
];

const problem = {
	task_id: 'own/0',
	prompt: 'def add(a, b):\n    """Adds."""\n',
	entry_point: 'add',
	test: 'def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(-1, 1) == 0\n'
};

/** [completion, human-eval's result string]. */
const humanEvalOfficial: [string, string][] = [
	['    return a + b\n', 'passed'],
	['    return a - b\n', 'failed: '],
	['    return a / 0\n', 'failed: division by zero'],
	['    return {}["k"]\n', "failed: 'k'"],
	['    print("hi", a, b)\n    return a + b\n', 'passed'],
	['    while True:\n        pass\n', 'timed out'],
	['    return a +\n', 'failed: invalid syntax (<string>, line 3)'],
	['return a + b\n', "failed: 'return' outside function (<string>, line 3)"],
	['    if __name__ == "__main__":\n        return 0\n    return a + b\n', 'passed'],
	['    assert __name__ == "builtins", __name__\n    return a + b\n', 'passed'],
	['    assert a > 5, f"a was {a}"\n    return a + b\n', 'failed: a was 1'],
	['    raise SystemExit(3)\n', 'failed: 3']
];

/**
 * [completion, human-eval's result] for what swallow_io and reliability_guard change, in this order
 * (the file written by one sample must not be seen by the next): computed with the official
 * check_correctness at openai/human-eval 6d43fb9 (exec line as published there), CPython 3.11.7, on
 * guardProblem below (`python3 probe.py` in /tmp/he).
 */
const humanEvalGuardOfficial: [string, string][] = [
	['    input()\n    return x\n', 'failed: '],
	["    input('name? ')\n    return x\n", 'failed: '],
	['    import sys\n    sys.stdin.read()\n    return x\n', 'failed: '],
	['    import sys\n    assert sys.stdin.readable()\n    return x\n', 'failed: '],
	['    import sys\n    sys.stdout.read()\n    return x\n', 'failed: '],
	['    exit(0)\n', "failed: 'NoneType' object is not callable"],
	['    quit()\n', "failed: 'NoneType' object is not callable"],
	['    import sys\n    sys.exit(0)\n', 'failed: 0'],
	['    help(len)\n    return x\n', "failed: 'NoneType' object is not callable"],
	['    import os\n    os.getcwd()\n    return x\n', "failed: 'NoneType' object is not callable"],
	[
		"    import os\n    os.remove('nope')\n    return x\n",
		"failed: 'NoneType' object is not callable"
	],
	['    import resource\n    return x\n', 'failed: import of resource halted; None in sys.modules'],
	['    import psutil\n    return x\n', 'failed: import of psutil halted; None in sys.modules'],
	[
		"    import subprocess\n    subprocess.Popen(['ls'])\n    return x\n",
		"failed: 'NoneType' object is not callable"
	],
	[
		"    import subprocess\n    subprocess.run(['ls'])\n    return x\n",
		"failed: 'NoneType' object is not callable"
	],
	[
		"    import os\n    os.system('ls')\n    return x\n",
		"failed: 'NoneType' object is not callable"
	],
	[
		"    import shutil\n    shutil.rmtree('x')\n    return x\n",
		"failed: 'NoneType' object is not callable"
	],
	["    import os\n    assert os.environ['OMP_NUM_THREADS'] == '1'\n    return x\n", 'passed'],
	[
		"    open('a.txt','w').write('hi')\n    assert open('a.txt').read() == 'hi'\n    return x\n",
		'passed'
	],
	["    import os\n    assert os.listdir('.') == [], os.listdir('.')\n    return x\n", 'passed'],
	["    print('hello'); import sys; print('err', file=sys.stderr)\n    return x\n", 'passed'],
	[
		"    import sys\n    print('hi')\n    assert sys.stdout.getvalue() == 'hi\\n', repr(sys.stdout.getvalue())\n    return x\n",
		'passed'
	],
	[
		'    import sys\n    assert sys.stdout is sys.stderr and sys.stdin is sys.stdout\n    return x\n',
		'passed'
	],
	['    import sys, io\n    assert isinstance(sys.stdout, io.StringIO)\n    return x\n', 'passed'],
	['    import sys\n    sys.stdout.fileno()\n    return x\n', 'failed: fileno'],
	['    import os\n    os.kill(1, 0)\n    return x\n', "failed: 'NoneType' object is not callable"],
	[
		"    import os\n    os.rename('a','b')\n    return x\n",
		"failed: 'NoneType' object is not callable"
	],
	["    assert __name__ == 'builtins', __name__\n    return x\n", 'passed'],
	['    import builtins\n    assert builtins.exit is None\n    return x\n', 'passed'],
	["    import os\n    os.chdir('/')\n    return x\n", "failed: 'NoneType' object is not callable"],
	[
		"    import os\n    os.unlink('zz')\n    return x\n",
		"failed: 'NoneType' object is not callable"
	],
	["    import os\n    os.mkdir('d')\n    assert os.path.isdir('d')\n    return x\n", 'passed'],
	["    import sys\n    n = sys.stdout.write('abc')\n    assert n == 3\n    return x\n", 'passed'],
	['    import sys\n    assert sys.__stdout__ is not sys.stdout\n    return x\n', 'passed'],
	['    import tkinter\n    return x\n', 'failed: import of tkinter halted; None in sys.modules'],
	['    import joblib\n    return x\n', 'failed: import of joblib halted; None in sys.modules'],
	[
		"    import os\n    os.putenv('A','1')\n    return x\n",
		"failed: 'NoneType' object is not callable"
	],
	[
		"    import os\n    os.environ['A'] = '1'\n    return x\n",
		"failed: 'NoneType' object is not callable"
	],
	['    import sys\n    for line in sys.stdin: pass\n    return x\n', 'failed: '],
	['    import sys\n    sys.stdin.readlines()\n    return x\n', 'failed: ']
];

const guardProblem = {
	task_id: 'own/guard',
	prompt: 'def f(x):\n',
	entry_point: 'f',
	test: 'def check(c):\n    assert c(1) == 1\n'
};

const q1 = `CREATE TABLE m(id INTEGER PRIMARY KEY, name TEXT, score REAL, n INTEGER, tag TEXT, b BLOB);
INSERT INTO m VALUES (1,'ann',3.0,3,'3.5',x'00'),(2,'bob',2.5,2,'2',NULL),(3,'cid',NULL,10,'10',x'ff'),(4,'dan',3.0,3,'x',x'00'),(5,'eve',1e16,9007199254740993,CAST(x'e282' AS TEXT)||'A',NULL);`;

/** [gold, prediction, BIRD's res]. */
const birdOfficial: [string, string, number][] = [
	['SELECT name FROM m WHERE n = 3', 'SELECT name FROM m WHERE n = 3', 1],
	['SELECT n FROM m', 'SELECT DISTINCT n FROM m', 1],
	['SELECT n, name FROM m', 'SELECT name, n FROM m', 0],
	['SELECT name FROM m ORDER BY id', 'SELECT name FROM m ORDER BY id DESC', 1],
	['SELECT score FROM m WHERE id = 1', 'SELECT 3', 1],
	['SELECT n FROM m', 'SELECT CAST(n AS REAL) FROM m', 0],
	['SELECT n FROM m WHERE id < 5', 'SELECT CAST(n AS REAL) FROM m WHERE id < 5', 1],
	['SELECT name FROM m', 'SELECT name FROM m; SELECT 1', 0],
	['SELECT name FROM m', 'SELECT name FROM m;', 1],
	['SELECT tag FROM m WHERE id = 5', "SELECT 'A'", 0],
	['SELECT tag FROM m WHERE id = 1', 'SELECT tag FROM m WHERE id = 1', 1],
	['SELECT nope FROM m', 'SELECT name FROM m', 0],
	['SELECT name FROM m WHERE 0', '', 1],
	['SELECT name FROM m WHERE 0', 'SELECT id FROM m WHERE 0', 1],
	['SELECT b FROM m', 'SELECT CAST(b AS TEXT) FROM m', 0],
	['SELECT name FROM m WHERE id < 3', 'SELECT name FROM m WHERE id < 4', 0]
];

describe('pass@k', () => {
	test('equal, to the bit, to estimate_pass_at_k(...).mean()', () => {
		for (const [n, c, expected] of passAtKOfficial) {
			const problems = n.map((ni, i) => ({ n: ni, c: c[i] }));
			// The 150-problem set was scored at k = 1, 10, 100 only; the others at 1, 2, 5, 10, 100.
			const ks = n.length === 150 ? [1, 10, 100] : [1, 2, 5, 10, 100];
			expect(humanEvalPassAtK(problems, ks)).toEqual(expected);
		}
	});

	test('numpy pairwise summation differs from a running sum where numpy differs', () => {
		const values = Array.from({ length: 300 }, (_, i) => 1 / (i + 3));
		const running = values.reduce((s, v) => s + v, 0);
		expect(numpyPairwiseSum(values)).toBeCloseTo(running, 12);
		expect(numpyPairwiseSum([0.1, 0.2, 0.3])).toBe(0.1 + 0.2 + 0.3);
	});
});

describe('HumanEval check_correctness through runMany on Pyodide', () => {
	let rt: NodeRuntime;
	beforeAll(async () => {
		rt = await nodeRuntime({ python: true });
	}, 120_000);

	test("the check program is exactly human-eval's", () => {
		expect(humanEvalProgram(problem, '    return a + b\n')).toBe(
			problem.prompt + '    return a + b\n' + '\n' + problem.test + '\n' + 'check(add)'
		);
	});

	test('every result string is the one human-eval records', async () => {
		// The Node engine runs in this thread and cannot be interrupted, so the endless loop is left
		// to the mapping below (the browser worker's timeout is an e2e matter).
		const cases = humanEvalOfficial.filter(([, r]) => r !== 'timed out');
		const samples = cases.map(([completion], i) => humanEvalSample(`s${i}`, problem, completion));
		const results = await rt.python.runMany(samples);
		expect(results.map(humanEvalResult)).toEqual(cases.map(([, r]) => r));
		expect(humanEvalOfficial.filter(([, r]) => r === 'timed out')).toHaveLength(1);
		expect(
			humanEvalResult({ id: 't', status: 'timeout', error: null, stdout: '', durationMs: 3000 })
		).toBe('timed out');
		expect(samples.every((sample) => sample.timeoutMs === 3000)).toBe(true);
	}, 60_000);

	test('swallow_io and reliability_guard: stdin unreadable, exit/help/os/shutil/subprocess gone, a fresh cwd', async () => {
		const samples = humanEvalGuardOfficial.map(([completion], i) =>
			humanEvalSample(`g${i}`, guardProblem, completion)
		);
		const results = await rt.python.runMany(samples);
		expect(results.map(humanEvalResult)).toEqual(humanEvalGuardOfficial.map(([, r]) => r));
		// Nothing the guard took away stays away: a plain sample afterwards has exit, os.getcwd and stdin.
		const [after] = await rt.python.runMany([
			{
				id: 'after',
				code: 'import os, sys, builtins, subprocess\nassert callable(exit) and callable(builtins.help)\nos.getcwd(); os.environ["A"] = "1"\nassert callable(subprocess.Popen) and "resource" not in sys.modules or sys.modules["resource"] is not None\nprint("out")'
			}
		]);
		expect(after).toMatchObject({ status: 'passed', stdout: 'out\n' });
	}, 60_000);

	test('guarded samples write only into their own directory, also after a restore changed it', async () => {
		const guarded = (id: string, body: string) => humanEvalSample(id, guardProblem, body);
		const results = await rt.python.runMany([
			// Names os.environ: the batch's restore checks the working directory after it.
			guarded(
				'env',
				"    import os\n    assert os.environ['OMP_NUM_THREADS'] == '1'\n    return x\n"
			),
			guarded('write', "    open('left.txt', 'w').write('x')\n    return x\n"),
			guarded('empty', "    import os\n    assert os.listdir('.') == []\n    return x\n"),
			// Closes the descriptor the guard watches its directory through, then writes.
			guarded(
				'close',
				"    import os\n    os.closerange(3, 256)\n    open('z', 'w')\n    return x\n"
			),
			guarded('empty', "    import os\n    assert os.listdir('.') == []\n    return x\n"),
			{
				id: 'plain',
				code: "import os\nassert not os.path.exists('left.txt') and not os.path.exists('z')\nassert 'OMP_NUM_THREADS' not in os.environ\nprint(os.getcwd())"
			}
		]);
		expect(results.map((r) => r.status)).toEqual(Array(6).fill('passed'));
		expect(results[5].stdout).toBe('/home/pyodide\n');
	}, 60_000);
});

describe('BIRD EX', () => {
	let rt: NodeRuntime;
	beforeAll(async () => {
		rt = await nodeRuntime();
		rt.sqlEngine.open('q1', new Uint8Array());
		expect(rt.sqlEngine.exec(q1, { db: 'q1' }).error).toBeNull();
	});

	test("every verdict is execute_model's", async () => {
		for (const [gold, pred, expected] of birdOfficial) {
			expect((await birdEx(rt.sql, 'q1', pred, gold)).score, `${gold} vs ${pred}`).toBe(expected);
		}
	});

	test('a failing gold scores 0 (BIRD), and predict_dev.json values read as package_sqls reads them', async () => {
		expect(await birdEx(rt.sql, 'q1', 'SELECT 1', 'SELECT nope')).toMatchObject({
			score: 0,
			reason: 'gold-error'
		});
		expect(birdPredictionFromJson('SELECT 1\t----- bird -----\tcard_games')).toEqual({
			sql: 'SELECT 1',
			db: 'card_games'
		});
		expect(birdPredictionFromJson(null)).toEqual({ sql: ' ', db: 'financial' });
		expect(birdPredictionFromJson('SELECT 1')).toBeNull();
	});
});

describe('MBPP programs', () => {
	const task = {
		task_id: 2,
		text: 'Write a function to add.',
		test_list: ['assert add(1, 2) == 3', 'assert add(0, 0) == 0'],
		test_setup_code: 'import math'
	};
	test("LeTI's composition (no test_setup_code) and the dataset's", () => {
		expect(letiMbppProgram(task, 'def add(a, b):\n    return a + b')).toBe(
			'"""\nWrite a function to add.\nassert add(1, 2) == 3\n"""def add(a, b):\n    return a + b\nassert add(1, 2) == 3\nassert add(0, 0) == 0'
		);
		expect(mbppProgram(task, 'def add(a, b):\n    return a + b')).toBe(
			'def add(a, b):\n    return a + b\nimport math\nassert add(1, 2) == 3\nassert add(0, 0) == 0'
		);
	});
});
