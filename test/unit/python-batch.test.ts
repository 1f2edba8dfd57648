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

describe('runMany throughput', () => {
	test('bench samples (function + 3 asserts) run at thousands per second', () => {
		const batch = sampleBatch(2000);
		engine.runMany(batch.slice(0, 100), {});
		let best = Infinity;
		let passed = 0;
		for (let round = 0; round < 3; round++) {
			const started = performance.now();
			const results = engine.runMany(batch, {});
			best = Math.min(best, performance.now() - started);
			passed = results.filter((r) => r.status === 'passed').length;
		}
		expect(passed).toBe(1800);
		const perSec = (batch.length / best) * 1000;
		console.log(`runMany bench batch: ${perSec.toFixed(0)} samples/s (best of 3)`);
		// Generous: the shared machine is often loaded several-fold.
		expect(perSec).toBeGreaterThan(500);
	});
});
