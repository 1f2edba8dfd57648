import { beforeAll, describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { PythonEngine } from '../../workers/python-engine.ts';
import type { EvalSample, EvalSampleResult } from '../../workers/protocol.ts';
import { sampleBatch } from '../../bench/samples.mjs';

const indexURL = fileURLToPath(new URL('../../node_modules/pyodide/', import.meta.url));
let engine: PythonEngine;

beforeAll(async () => {
	engine = await PythonEngine.load({ indexURL });
});

/** Runs each hostile sample followed by the probe; returns the results by id. */
function runInterleaved(hostile: string[], probe: string): Record<string, EvalSampleResult> {
	const samples: EvalSample[] = [];
	hostile.forEach((code, i) => {
		samples.push({ id: `hostile-${i}`, code });
		samples.push({ id: `probe-${i}`, code: probe });
	});
	return Object.fromEntries(engine.runMany(samples, {}).map((r) => [r.id, r]));
}

function expectProbesClean(byId: Record<string, EvalSampleResult>, stdout = 'clean\n'): void {
	for (const [id, r] of Object.entries(byId)) {
		if (id.startsWith('probe')) expect(r, id).toMatchObject({ status: 'passed', stdout });
	}
}

describe('runMany isolation', () => {
	test('patched builtins, module attributes and __builtins__ do not reach the next sample', () => {
		const probe = [
			'import math, json, fractions',
			'assert len([1, 2]) == 2 and sorted([2, 1]) == [1, 2]',
			'assert math.pi > 3.14 and math.sqrt(16) == 4.0 and not hasattr(math, "extra")',
			'assert "pi" in vars(math)',
			'assert json.loads(json.dumps({"a": [1]})) == {"a": [1]}',
			'assert fractions.Fraction(1, 2) == 0.5',
			'print("clean")'
		].join('\n');
		const byId = runInterleaved(
			[
				'import math\nmath.pi = 3',
				'import math\nmath.extra = 1',
				'import builtins\nbuiltins.print = lambda *a, **k: None\nbuiltins.len = lambda x: 0',
				'__builtins__.sorted = None',
				'__builtins__ = {}\nx = 1',
				'from reprlib import builtins as b\nb.len = None',
				'import json\njson.decoder.scanstring = None\njson.loads = None',
				'import math\nvars(math).pop("pi")',
				'import fractions\nfractions.Fraction = int',
				'import math\nsetattr(math, "sqrt", None)',
				'import operator\noperator.attrgetter("__dict__")(__import__("math"))["pi"] = 0'
			],
			probe
		);
		expectProbesClean(byId);
		const hostile = Object.values(byId).filter((r) => r.id.startsWith('hostile'));
		for (const r of hostile) expect(r.status, `${r.id}: ${r.error?.message}`).toBe('passed');
	});

	test('sys, os and random state are put back; a warm import stays imported', () => {
		const probe = [
			'import sys, os, random',
			'assert sys.getrecursionlimit() >= 1000 and "/evil" not in sys.path',
			'assert os.environ.get("POISON") is None and os.getcwd() != "/tmp"',
			'assert random.random() != random.Random(42).random()',
			'print("clean")'
		].join('\n');
		const byId = runInterleaved(
			[
				'import random\nrandom.seed(42)',
				'import sys\nsys.setrecursionlimit(60)\nsys.path.append("/evil")',
				'import os\nos.environ["POISON"] = "1"\nos.chdir("/tmp")',
				'import sys\nsys.path = ["/evil"]',
				'import sys\nsys.modules["random"] = None',
				'import sys\ndel sys.modules["os"]'
			],
			probe
		);
		expectProbesClean(byId);
		const warm = engine.runMany(
			[
				{ id: 'import', code: 'import decimal' },
				{ id: 'check', code: 'import sys\nassert "decimal" in sys.modules' }
			],
			{}
		);
		expect(warm.map((r) => r.status)).toEqual(['passed', 'passed']);
	});

	test('a warnings filter set by one sample does not make warnings of the next ones errors', () => {
		const results = engine.runMany(
			[
				{ id: 'hostile', code: 'import warnings\nwarnings.simplefilter("error")' },
				{ id: 'runtime', code: 'import warnings\nwarnings.warn("careful")\nprint("ok")' },
				{ id: 'compiler', code: 'x = "\\d"\nprint("ok")' }
			],
			{}
		);
		expect(results.map((r) => `${r.id}:${r.status}:${r.stdout}`)).toEqual([
			'hostile:passed:',
			'runtime:passed:ok\n',
			'compiler:passed:ok\n'
		]);
	});

	test('a compiled sample is reused, and its syntax error and warnings stay its own', () => {
		const results = engine.runMany(
			[
				{ id: 'a', code: 'def (' },
				{ id: 'b', code: 'def (' },
				{ id: 'c', code: 'x = "\\d"\nassert x' }
			],
			{}
		);
		expect(results.map((r) => r.status)).toEqual(['error', 'error', 'passed']);
		expect(results[1].error).toEqual(results[0].error);
		expect(results[1].error?.type).toBe('SyntaxError');
	});

	test('a recursion error keeps a short, collapsed traceback', () => {
		const [r] = engine.runMany([{ id: 'r', code: 'def f(n):\n    return f(n + 1)\nf(0)' }], {});
		expect(r.error?.type).toBe('RecursionError');
		expect(r.error?.traceback).toMatch(/\[Previous line repeated \d+ more times\]/);
		expect(r.error?.traceback.split('\n').length).toBeLessThan(12);
		expect(r.error?.line).toBe(2);
	});
});

// How many samples a second runMany runs is the bench's eval.samplesPerSec.
describe('runMany on a large batch', () => {
	test('2000 bench samples (function + 3 asserts): every result in order, the same each round', () => {
		const batch = sampleBatch(2000);
		const rounds = [0, 1, 2].map(() =>
			engine.runMany(batch, {}).map((r) => `${r.id}:${r.status}:${r.error?.type ?? ''}`)
		);
		expect(rounds[0].map((r) => r.split(':')[0])).toEqual(batch.map((s) => s.id));
		expect(rounds[0].filter((r) => r.includes(':passed:'))).toHaveLength(1800);
		expect(rounds[1]).toEqual(rounds[0]);
		expect(rounds[2]).toEqual(rounds[0]);
	});
});

describe('runMany shared tests', () => {
	// [code, tests]: each gives what `code + '\n' + tests` gives as one program, split or not.
	const cases: [string, string][] = [
		['def f(x):\n    return x + 1', 'assert f(1) == 2\nassert f(2) == 4'],
		['def f(x):\n    return x + 1\n', 'assert f(1) == 2\n\ndef g():\n    return f(0) / 0\ng()'],
		['x = 1', 'print(x)\nraise ValueError("v")'],
		['import sys\nsys.stdout.write("hi\\n")', 'assert [y for y in (lambda: [1, 2])()] == [1, 3]'],
		['', 'assert 1 == 1'],
		// Not separable: the tests continue the code's function, bracket or if statement.
		['def f():\n    return 1', '    return 2\nassert f() == 2'],
		['x = (1,', '2)\nassert x == (1, 2)'],
		['if True:\n    y = 1', 'else:\n    y = 2\nassert y == 1'],
		// The code's __future__ import changes how the tests compile.
		[
			'from __future__ import annotations\nx = 1',
			'def g(a: Nope): pass\nassert g.__annotations__ == {"a": "Nope"}'
		],
		// Module annotations in both parts: the joined module's __annotate__ has both.
		['x: int = 1', 'y: str = "a"\nassert __annotate__(1) == {"x": int, "y": str}'],
		// A __future__ import is legal at the start of the tests alone, not after the code.
		['x = 1', 'from __future__ import annotations\nassert True'],
		// A lone \r ends a line too, so the tests start on line 3.
		['x = 1\ry = 2', 'assert x == 2'],
		// A trailing \r and the joining \n make one line end (MBPP task 593 ends so).
		['x = 1\r', 'assert x == 2'],
		// Alone, the tests would start with a docstring and set __doc__.
		['"""doc"""\nx = 1', '"""other"""\nassert __doc__ == "doc"'],
		// Errors in either part name the whole program's line.
		['x = 1', 'assert x ==\n'],
		['def f(', 'assert True']
	];
	const strip = ({ durationMs: _, ...rest }: EvalSampleResult) => rest;

	test('a sample with tests gives what its joined program gives, also from the tests cache', () => {
		for (const prefix of ['', '# moved down\n\n']) {
			const split = engine.runMany(
				cases.map(([code, tests], i) => ({ id: `c${i}`, code: prefix + code, tests })),
				{}
			);
			const joined = engine.runMany(
				cases.map(([code, tests], i) => ({ id: `c${i}`, code: `${prefix}${code}\n${tests}` })),
				{}
			);
			expect(split.map(strip)).toEqual(joined.map(strip));
		}
		const [failing] = engine.runMany(
			[{ id: 'g', code: '# moved\n' + cases[1][0], tests: cases[1][1] }],
			{}
		);
		expect(failing.error?.traceback).toContain('line 9, in <module>');
		expect(failing.error?.traceback).toContain('line 8, in g');
	});

	test('the tests text is compiled once for all samples, the answers each time', () => {
		// An audit hook (it stays for the rest of this file) counts the compiles of each text.
		engine.run(
			[
				'import sys, builtins',
				'builtins.__dict__.setdefault("_compiles", [])',
				// compile() reports its source as UTF-8 bytes.
				'sys.addaudithook(lambda e, a: e == "compile" and isinstance(a[0], bytes) and builtins._compiles.append(a[0].decode()))'
			].join('\n'),
			{}
		);
		const tests = 'assert twice(2) == 4\nassert twice(0) == 0\n';
		const answers = [
			'def twice(x):\n    return 2 * x',
			'def twice(x):\n    return x + x',
			'def twice(x):\n    return x ** 3'
		];
		const results = engine.runMany(
			answers.map((code, i) => ({ id: `a${i}`, code: `${'\n'.repeat(i)}${code}`, tests })),
			{}
		);
		expect(results.map((r) => r.status)).toEqual(['passed', 'passed', 'failed']);
		expect(results[2].error?.line).toBe(5);
		const compiled = engine.run(
			'import builtins\n[s for s in builtins._compiles if "twice" in s]',
			{}
		);
		expect(compiled.value?.match(/assert twice\(2\)/g)).toHaveLength(1);
		expect(compiled.value?.match(/def twice/g)).toHaveLength(3);
		// Tests whose compile warns are compiled with each answer, so each sample's output has it.
		const warns = 'assert (twice(1), "a tuple is always true")\n';
		engine.runMany(
			answers.map((code, i) => ({ id: `w${i}`, code, tests: warns })),
			{}
		);
		const again = engine.run(
			'import builtins\n[s for s in builtins._compiles if "tuple" in s]',
			{}
		);
		expect(again.value?.match(/def twice/g)).toHaveLength(3);
	});
});
