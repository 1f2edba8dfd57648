import { beforeAll, describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { PythonEngine } from '../../workers/python-engine.ts';
import { pythonTracerSource } from '../../workers/python-tracer-source.ts';
import type { TraceStep } from '../../workers/protocol.ts';
import { coconutLines } from '../../src/core/exec-trace/coconut.ts';
import { pysnooperLog, semcoderTrace } from '../../src/core/exec-trace/semcoder.ts';
import {
	checkValueEquality,
	execSemanticsItem,
	execSemanticsReward,
	finalLocals
} from '../../src/core/exec-trace/coderl-plus.ts';
import { pyJsonLoads } from '../../src/core/exec-trace/py-json.ts';

// Trace formats for training (issue 12 §3). Our programs are traced by the real tracer (Pyodide);
// every expected value below was computed by the official code, run natively with CPython 3.11 by
// scripts/exec-trace-official.py (which takes the official functions out of their files unchanged):
// - CoCoNUT: seal-research/structural-code-understanding-dataset@0b964d7
//   Dataset/Tracing/PythonTracer/HumanEval_Tracer.py run_code_and_trace(entry, *args) on the
//   program's functions (its own sys.settrace hook, so these also check our line events).
// - SemCoder: ARiSE-Lab/SemCoder@edc4ad3 experiments/construct_trace.py attach_trace_to_code(...,
//   state_order_flag=True, ignore_intermediate_flag=True), then build_self_refine_input.py
//   attach_execution_exception, on the pysnooper-layout log pysnooperLog writes from our trace
//   (pysnooper itself is not installed here: the log layout is checked by hand below).
// - CodeRL+: jiangxxxue/CODERLPLUS@c574a90 recipe/code_extractor.py
//   create_exec_semantics_align_task_record (np.array and radon's complexity stubbed: 2) and
//   recipe/reward/reward_function_coderlplus.py compute_exec_semantics_align_score and
//   check_value_equality (arguments json.loads'ed from the texts given).

const indexURL = fileURLToPath(new URL('../../node_modules/pyodide/', import.meta.url));
let engine: PythonEngine;
const traces: Record<string, TraceStep[]> = {};

const programs: Record<string, { source: string; entry: string }> = {
	evens: {
		source:
			'def count_evens(nums):\n    count = 0\n    for n in nums:\n        if n % 2 == 0:\n            count += 1\n    return count\nr = count_evens([1, 2, 4, 5, 6])',
		entry: 'count_evens'
	},
	nested: {
		source:
			'def helper(x):\n    return x * 2\ndef total(xs):\n    s = 0\n    for x in xs:\n        s += helper(x)\n    return s\ntotal([1, 2, 3])',
		entry: 'total'
	},
	raises: {
		source: 'def ratio(a, b):\n    d = a - b\n    return a / d\nratio(3, 3)',
		entry: 'ratio'
	},
	words: {
		source:
			"def build(words):\n    out = []\n    seen = {}\n    for w in words:\n        out.append(w.upper())\n        seen[w] = len(w)\n    return ' '.join(out)\nbuild(['ab', 'c', 'def', 'g', 'hi'])",
		entry: 'build'
	},
	fact: {
		source: 'def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\nfact(4)',
		entry: 'fact'
	}
};

beforeAll(async () => {
	engine = await PythonEngine.load({ indexURL });
	engine.installTracer(pythonTracerSource);
	for (const [name, { source }] of Object.entries(programs)) {
		traces[name] = engine.trace(source, { session: `formats-${name}` }).steps;
	}
});

// run_code_and_trace, on each program's entry call (the raising one is left out: the official
// function returns nothing when the call raises).
const officialCoconut: Record<string, number[]> = {
	evens: [2, 3, 4, 3, 4, 5, 3, 4, 5, 3, 4, 3, 4, 5, 3, 6],
	nested: [4, 5, 6, 2, 5, 6, 2, 5, 6, 2, 5, 7],
	words: [2, 3, 4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 7],
	fact: [2, 4, 2, 4, 2, 4, 2, 3]
};

const officialSemcoder: Record<string, string> = {
	evens:
		'def count_evens(nums): # [INPUT] {"nums": [1, 2, 4, 5, 6]} [/INPUT]\n    count = 0 # [STATE-0] {"count": 0} [/STATE-0]\n    for n in nums: # [STATE-1] {"n": 1} [/STATE-1][STATE-2] {"n": 2} [/STATE-2] ... [STATE-7] {"n": 6} [/STATE-7]\n        if n % 2 == 0:\n            count += 1 # [STATE-3] {"count": 1} [/STATE-3][STATE-5] {"count": 2} [/STATE-5][STATE-8] {"count": 3} [/STATE-8]\n    return count # [OUTPUT] 3 [/OUTPUT]\nr = count_evens([1, 2, 4, 5, 6])',
	nested:
		'def helper(x):\n    return x * 2\ndef total(xs): # [INPUT] {"xs": [1, 2, 3]} [/INPUT]\n    s = 0 # [STATE-0] {"s": 0} [/STATE-0]\n    for x in xs: # [STATE-1] {"x": 1} [/STATE-1][STATE-3] {"x": 2} [/STATE-3][STATE-5] {"x": 3} [/STATE-5]\n        s += helper(x) # [STATE-2] {"s": 2} [/STATE-2][STATE-4] {"s": 6} [/STATE-4][STATE-6] {"s": 12} [/STATE-6]\n    return s # [OUTPUT] 12 [/OUTPUT]\ntotal([1, 2, 3])',
	raises:
		'def ratio(a, b): # [INPUT] {"a": 3, "b": 3} [/INPUT]\n    d = a - b # [STATE-0] {"d": 0} [/STATE-0]\n    return a / d # [EXCEPTION] ZeroDivisionError: division by zero [/EXCEPTION]\nratio(3, 3)',
	words:
		'def build(words): # [INPUT] {"words": ["ab", "c", "def", "g", "hi"]} [/INPUT]\n    out = [] # [STATE-0] {"out": []} [/STATE-0]\n    seen = {} # [STATE-1] {"seen": {}} [/STATE-1]\n    for w in words: # [STATE-2] {"w": "ab"} [/STATE-2][STATE-5] {"w": "c"} [/STATE-5] ... [STATE-14] {"w": "hi"} [/STATE-14]\n        out.append(w.upper()) # [STATE-3] {"out": ["AB"]} [/STATE-3][STATE-6] {"out": ["AB", "C"]} [/STATE-6] ... [STATE-15] {"out": ["AB", "C", "DEF", "G", "HI"]} [/STATE-15]\n        seen[w] = len(w) # [STATE-4] {"seen": "{\'ab\': 2}"} [/STATE-4][STATE-7] {"seen": "{\'ab\': 2, \'c\': 1}"} [/STATE-7] ... [STATE-16] {"seen": "{\'ab\': 2, \'c\': 1, \'def\': 3, \'g\': 1, \'hi\': 2}"} [/STATE-16]\n    return \' \'.join(out) # [OUTPUT] "AB C DEF G HI" [/OUTPUT]\nbuild([\'ab\', \'c\', \'def\', \'g\', \'hi\'])',
	fact: 'def fact(n): # [INPUT] {"n": 4} [/INPUT]\n    if n <= 1:\n        return 1\n    return n * fact(n - 1) # [OUTPUT] 24 [/OUTPUT]\nfact(4)'
};

describe('CoCoNUT', () => {
	test('the executed line sequence equals run_code_and_trace', () => {
		for (const [name, lines] of Object.entries(officialCoconut)) {
			expect(coconutLines(traces[name], programs[name].entry), name).toEqual(lines);
		}
	});
});

describe('SemCoder', () => {
	test('the annotated source equals attach_trace_to_code + attach_execution_exception', () => {
		for (const [name, text] of Object.entries(officialSemcoder)) {
			expect(semcoderTrace(programs[name].source, traces[name], programs[name].entry), name).toBe(
				text
			);
		}
	});

	test('the pysnooper log of a call that raises (layout hand-checked against pysnooper 1.x)', () => {
		// Hand-derived from pysnooper's Tracer.trace: changes before each event line, "Starting var"
		// at the call, "Exception:....." after the exception line, "Call ended by exception" instead
		// of the return line and value when the frame is left by an exception.
		expect(pysnooperLog(programs.raises.source, traces.raises, 'ratio')).toBe(
			[
				'Starting var:.. a = 3',
				'Starting var:.. b = 3',
				'00:00:00.000000 call         1 def ratio(a, b):',
				'00:00:00.000000 line         2     d = a - b',
				'New var:....... d = 0',
				'00:00:00.000000 line         3     return a / d',
				'00:00:00.000000 exception    3     return a / d',
				'Exception:..... ZeroDivisionError: division by zero',
				'Call ended by exception'
			].join('\n')
		);
	});
});

const officialPrompt =
	'Given the following Python Code and Input, predict:\n1) The code\'s output value (final_output)\n2) The final values of the listed local variables at the moment the code outputs\n\nPython code: ```pythondef f(xs):\n    cnt = 0\n    for x in xs:\n        cnt += x\n    print(cnt)```\nInput: [1, 2, 3]\nTarget local variables: [\'cnt\', \'x\', \'name\']\n\nInstructions:\n1. First, write a reasoning section explaining step-by-step how the code executes with the given Input\n2. Do not include any JSON in the reasoning section\n3. On the LAST line only, output a strict JSON object with the required format\n\nExample of final answer (LAST line only):\n{"final_output": 3\n6, "variables": {"cnt": 2, "buf": [1, 2]}}\n';
const officialGroundTruth =
	'{"input": "[1, 2, 3]", "expected_output": "6\\n", "expected_local_variable": {"cnt": 6, "x": 3, "name": "it\'s"}, "code": "def f(xs):\\n    cnt = 0\\n    for x in xs:\\n        cnt += x\\n    print(cnt)", "problem_id": "unknown_0_0", "cyclomatic_complexity": 2}';

// [answer, compute_exec_semantics_align_score(answer, officialGroundTruth)]
const officialScores: [string, number][] = [
	[
		'Reasoning: the loop adds 1, 2, 3.\n{"final_output": 6, "variables": {"cnt": 6, "x": 3, "name": "it\'s"}}',
		1.0
	],
	['r\n{"final_output": "6", "variables": {"cnt": 6.0, "x": "3", "name": "its"}}', 0.775],
	['no json here', 0.0],
	['{"final_output": 6}', 0.0],
	['{"final_output": 6, "variables": ["cnt"]}', 0.0],
	['{"final_output": 7, "variables": {}}', 0.1],
	[
		'  \n{"final_output": "6\\n", "variables": {"cnt": "6", "x": 3.0000000001, "name": "it\'s"}}\n\n',
		1.0
	],
	['["final_output", "variables"]', 0.0],
	['{"final_output": NaN, "variables": {"cnt": 6.0000000001}}', 0.325],
	['{"final_output": 6, "variables": {"x": true, "cnt": null}}', 0.325],
	['', 0.0],
	['{"variables": {}, "final_output": [6]}', 0.1]
];

// [predicted JSON, expected JSON, check_value_equality(json.loads(p), json.loads(e))]
const officialPairs: [string, string, boolean][] = [
	['true', '1', true],
	['"true"', 'true', true],
	['null', '"None"', true],
	['"none"', '"NULL"', true],
	['1.0', '1', true],
	['"1e3"', '1000', true],
	['" 5 "', '5', true],
	['[1, "2"]', '[1.0, 2]', true],
	['{"a": [true]}', '{"a": [1]}', true],
	['{"a": 1}', '{"b": 1}', false],
	['"abc"', '"ABC"', false],
	['false', '0', true],
	['"0"', 'false', true],
	['"[1, 2]"', '[1, 2]', true],
	['"1_000"', '1000', true],
	['NaN', 'NaN', true],
	['2', '"2.0000000001"', true],
	['"inf"', 'Infinity', true],
	['[1, 2]', '[1]', false],
	['1e400', '"x"', false],
	['12345678901234567890123', '1.2345678901234568e22', true],
	['"5."', '5', true],
	['"5.e1"', '50', true],
	['{"a": null}', '{"a": "null"}', true],
	['"é"', '"é "', true],
	['"True"', '1.0', false]
];

describe('CodeRL+', () => {
	const code = 'def f(xs):\n    cnt = 0\n    for x in xs:\n        cnt += x\n    print(cnt)';

	test('the task item (prompt, ground truth) equals create_exec_semantics_align_task_record', () => {
		const item = execSemanticsItem({
			code,
			testInput: '[1, 2, 3]',
			actualOutput: '6\n',
			localVariable: new Map([
				['xs', pyJsonLoads('[1, 2, 3]')],
				['cnt', pyJsonLoads('6')],
				['x', pyJsonLoads('3')],
				['name', "it's"]
			]),
			cyclomaticComplexity: 2
		});
		expect(item.prompt).toBe(officialPrompt);
		expect(item.groundTruth).toBe(officialGroundTruth);
		expect(item.variables).toEqual(['cnt', 'x', 'name']);
	});

	test('the final locals of a traced run feed the item', () => {
		const r = engine.trace(`${code}\nf([1, 2, 3])`, { session: 'formats-coderl' });
		const locals = finalLocals(r.steps, 'f');
		expect([...locals.keys()]).toEqual(['xs', 'cnt', 'x']);
		const item = execSemanticsItem({
			code,
			testInput: '[1, 2, 3]',
			actualOutput: r.stdout,
			localVariable: locals
		});
		expect(JSON.parse(item.groundTruth)).toMatchObject({
			expected_output: '6\n',
			expected_local_variable: { xs: [1, 2, 3], cnt: 6, x: 3 }
		});
		const top = finalLocals(engine.trace("s = 'a'\nn = [1, (2, 3)]\nz = {1, 2}", {}).steps);
		expect([...top]).toEqual([
			['s', 'a'],
			['n', [{ int: 1n }, [{ int: 2n }, { int: 3n }]]],
			['z', '{1, 2}']
		]);
	});

	test('the reward equals compute_exec_semantics_align_score', () => {
		for (const [answer, score] of officialScores) {
			expect(execSemanticsReward(answer, officialGroundTruth), answer).toBe(score);
		}
	});

	test('the lenient equality equals check_value_equality', () => {
		for (const [p, e, equal] of officialPairs) {
			expect(checkValueEquality(pyJsonLoads(p), pyJsonLoads(e)), `${p} vs ${e}`).toBe(equal);
		}
	});
});
