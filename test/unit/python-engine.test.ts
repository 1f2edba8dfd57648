import { beforeAll, describe, expect, test } from 'vitest';
import type { PythonEngine } from '../../workers/python-engine.ts';
import { loadNodePython } from './helpers/node-runtime.ts';
import type { EvalSample } from '../../workers/protocol.ts';
import { mbppSamples, mbppStyleText } from '../fixtures/mbpp-style.ts';
import { readShared, testRealData } from '../shared-data.ts';

let engine: PythonEngine;

beforeAll(async () => {
	engine = await loadNodePython();
});

describe('run', () => {
	test('returns the repr of a trailing expression and streams output', () => {
		const chunks: string[] = [];
		const result = engine.run('print("hi")\nx = 41\nx + 1', {}, (stream, text) =>
			chunks.push(`${stream}:${text}`)
		);
		expect(result).toMatchObject({ ok: true, stdout: 'hi\n', value: '42', error: null });
		expect(chunks.join('')).toBe('stdout:hi\n');
		expect(result.durationMs).toBeGreaterThanOrEqual(0);
		expect(result.heapBytes).toBeGreaterThan(1_000_000);
	});

	test('a trailing None, an assignment or a statement gives no value', () => {
		expect(engine.run('None').value).toBeNull();
		expect(engine.run('y = 3').value).toBeNull();
		expect(engine.run('for i in range(2): pass').value).toBeNull();
		expect(engine.run("'é' * 2").value).toBe("'éé'");
	});

	test('stderr is captured separately', () => {
		const r = engine.run('import sys\nprint("a")\nprint("b", file=sys.stderr)');
		expect(r.stdout).toBe('a\n');
		expect(r.stderr).toBe('b\n');
	});

	test('a user error is data with user-relative line numbers and only user frames', () => {
		const code = 'def f(x):\n    return 1 / x\n\nprint("before")\nf(0)';
		const r = engine.run(code);
		expect(r.ok).toBe(false);
		expect(r.stdout).toBe('before\n');
		expect(r.error).toMatchObject({
			type: 'ZeroDivisionError',
			message: 'division by zero',
			line: 2
		});
		expect(r.error!.traceback).toBe(
			'Traceback (most recent call last):\n' +
				'  File "<exec>", line 5, in <module>\n' +
				'  File "<exec>", line 2, in f\n' +
				'ZeroDivisionError: division by zero\n'
		);
		expect(r.error!.traceback).not.toContain('_execlab');
		expect(r.error!.traceback).not.toContain('pyodide');
	});

	test('errors raised inside the stdlib keep only user frames', () => {
		const r = engine.run('import json\n\njson.loads("{")');
		expect(r.error?.type).toBe('JSONDecodeError');
		expect(r.error?.line).toBe(3);
		expect(r.error?.traceback).not.toContain('json/decoder.py');
	});

	test('a syntax error reports its line', () => {
		const r = engine.run('x = 1\ny = (\nprint(x)');
		expect(r.error?.type).toBe('SyntaxError');
		expect(r.error?.line).toBe(2);
		expect(r.error?.traceback).toContain('SyntaxError');
		const indent = engine.run('if True:\nprint(1)');
		expect(indent.error?.type).toBe('IndentationError');
		expect(indent.error?.line).toBe(2);
	});

	test('SystemExit and KeyboardInterrupt raised by the code are data', () => {
		expect(engine.run('import sys\nsys.exit(3)').error?.type).toBe('SystemExit');
		expect(engine.run('raise KeyboardInterrupt').error?.type).toBe('KeyboardInterrupt');
		expect(engine.run('1 + 1').value).toBe('2');
	});
});

describe('sessions', () => {
	test('each session keeps its own namespace until reset', () => {
		engine.run('a = 1', { session: 's1' });
		engine.run('a = 2', { session: 's2' });
		expect(engine.run('a', { session: 's1' }).value).toBe('1');
		expect(engine.run('a', { session: 's2' }).value).toBe('2');
		engine.reset('s1');
		expect(engine.run('a', { session: 's1' }).error?.type).toBe('NameError');
		expect(engine.run('a', { session: 's2' }).value).toBe('2');
		expect(engine.run('__name__', { session: 's3' }).value).toBe("'__main__'");
	});
});

describe('output budget', () => {
	test('100 MB of prints are cut at the budget with a marker, without growing the heap', () => {
		const before = engine.heapBytes();
		let streamed = 0;
		let chunks = 0;
		const r = engine.run("for i in range(10**6):\n    print('x' * 99)", {}, (_s, text) => {
			streamed += text.length;
			chunks++;
		});
		expect(r.ok).toBe(true);
		expect(r.truncated).toEqual({ stdout: true, stderr: false });
		expect(r.stdout.length).toBeLessThan(1_000_100);
		expect(r.stdout.length).toBeGreaterThan(999_000);
		expect(r.stdout).toMatch(/\[output truncated: more than 1000000 bytes\]\n$/);
		expect(streamed).toBe(r.stdout.length);
		// Batched: ~1 MB in ≥4 KB pieces, not one message per print.
		expect(chunks).toBeLessThan(400);
		expect(engine.heapBytes() - before).toBeLessThan(64 * 2 ** 20);
	});

	test('the budget is shared by stdout and stderr and is configurable', () => {
		const r = engine.run('import sys\nprint("a" * 60)\nprint("b" * 60, file=sys.stderr)', {
			maxOutputBytes: 100
		});
		expect(r.stdout).toBe('a'.repeat(60) + '\n');
		expect(r.stderr.startsWith('b'.repeat(39) + '\n[output truncated')).toBe(true);
		expect(r.truncated).toEqual({ stdout: false, stderr: true });
	});

	test('non-ASCII output is counted in UTF-8 bytes', () => {
		const r = engine.run('print("é" * 100)', { maxOutputBytes: 50 });
		expect(r.stdout.startsWith('é'.repeat(25) + '\n[output truncated')).toBe(true);
	});
});

describe('memory budget', () => {
	test('growth past maxHeapBytes is a MemoryError in the code; runs that need none are unaffected', () => {
		const heap = engine.heapBytes();
		const r = engine.run('z = bytearray(2**28)', { maxHeapBytes: 1024 });
		expect(r).toMatchObject({ ok: false, error: { type: 'MemoryError', line: 1 } });
		expect(r.stopped).toBeUndefined();
		expect(engine.heapBytes()).toBe(heap);
		expect(engine.run('z = 1\nz + 1', { maxHeapBytes: 1024 }).value).toBe('2');
	});

	test('memory bombs give clear errors and the engine keeps serving', () => {
		// Past wasm32's address space: Python refuses before allocating.
		const huge = engine.run("x = 'a' * 10**10");
		expect(huge.error).toMatchObject({ type: 'OverflowError', line: 1 });
		const list = engine.run('x = [0] * 10**9');
		expect(list.error?.type).toBe('MemoryError');
		// Allocations that would push the heap past the budget are refused as the heap grows.
		const grown = engine.run('x = bytearray(200 * 2**20)', { maxHeapBytes: 128 * 2 ** 20 });
		expect(grown.error).toMatchObject({ type: 'MemoryError', line: 1 });
		expect(grown.heapBytes).toBeLessThanOrEqual(128 * 2 ** 20);
		engine.run('del x');
		expect(engine.run('2 * 21').value).toBe('42');
	});
});

describe('confinement', () => {
	test('the network is unreachable by default, from the js module and pyodide', () => {
		const probes: Record<string, string> = {
			jsFetch: 'import js\njs.fetch',
			fromJs: 'from js import fetch',
			jsEval: 'import js\njs.eval("1")',
			websocket: 'import js\njs.WebSocket',
			pyfetch: 'from pyodide.http import pyfetch',
			openUrl: 'import pyodide.http',
			pyodideJs: 'import pyodide_js',
			attribute: 'import pyodide\npyodide.http.pyfetch',
			runJs: 'from pyodide.code import run_js\nrun_js("fetch")'
		};
		for (const [name, code] of Object.entries(probes)) {
			const r = engine.run(code, { session: 'confined' });
			expect(r.ok, `${name} should be blocked`).toBe(false);
		}
		expect(engine.run('from pyodide.http import pyfetch').error?.message).toContain(
			'network access is disabled'
		);
		expect(typeof (globalThis as { fetch?: unknown }).fetch).toBe('undefined');
	});

	test('allowNetwork opens it for that run only', () => {
		const open = engine.run(
			'import js\nfrom pyodide.http import pyfetch\ntype(js.fetch).__name__',
			{
				session: 'net',
				allowNetwork: true
			}
		);
		expect(open.error).toBeNull();
		expect(open.value).toContain('JsProxy');
		expect(engine.run('import js\njs.fetch', { session: 'net' }).error?.type).toBe(
			'AttributeError'
		);
		expect(engine.run('import pyodide\npyodide.http', { session: 'net' }).ok).toBe(false);
	});
});

describe('input()', () => {
	test('without a reader input() explains that cross-origin isolation is needed', () => {
		const r = engine.run('name = input("Name? ")');
		expect(r.error?.type).toBe('RuntimeError');
		expect(r.error?.message).toContain('cross-origin isolation');
		expect(r.stdout).toBe('Name? ');
	});
});

describe('runMany', () => {
	/** Every reference solution passes its own asserts in one batch. */
	function expectAllPass(samples: EvalSample[]): void {
		const results = engine.runMany(samples, {});
		expect(results).toHaveLength(samples.length);
		const failed = results.filter((r) => r.status !== 'passed');
		expect(failed.map((r) => `${r.id}:${r.error?.type}`)).toEqual([]);
	}

	// How fast runMany is lives in `npm run bench` (bench/eval), not here.
	test('reference solutions of our MBPP-style problems pass', () => {
		expectAllPass(mbppSamples(mbppStyleText));
	});

	testRealData('MBPP reference solutions pass', () => {
		expectAllPass(mbppSamples(readShared('mbpp/mbpp-dev.jsonl')));
	});

	test('statuses: passed, failed assertion, error, syntax error', () => {
		const results = engine.runMany(
			[
				{ id: 'ok', code: 'def f(x): return x * 2\nassert f(2) == 4' },
				{ id: 'bad', code: 'def f(x): return x * 3\nassert f(2) == 4' },
				{ id: 'err', code: 'print("out")\nundefined_name' },
				{ id: 'syn', code: 'def (' }
			],
			{}
		);
		expect(results.map((r) => r.status)).toEqual(['passed', 'failed', 'error', 'error']);
		expect(results[1].error?.line).toBe(2);
		expect(results[2]).toMatchObject({ stdout: 'out\n', error: { type: 'NameError', line: 2 } });
		expect(results[3].error?.type).toBe('SyntaxError');
	});

	test('hostile samples cannot poison the ones after them', () => {
		const probe = {
			code: [
				'import math, sys, os, collections',
				'assert math.sqrt(16) == 4.0 and math.pi > 3.14',
				'assert len([1, 2]) == 2 and print is not None and AssertionError is not None',
				'assert isinstance(sys.modules["math"], type(sys))',
				'assert sys.getrecursionlimit() >= 1000',
				'assert "/evil" not in sys.path and os.getcwd() != "/tmp"',
				'assert os.environ.get("POISON") is None',
				'assert collections.Counter("aab")["a"] == 2',
				'print("clean")'
			].join('\n')
		};
		const hostile = [
			'import builtins\ndel builtins.len\ndel builtins.print\nbuiltins.AssertionError = None',
			'import builtins\nbuiltins.isinstance = lambda *a: False\nbuiltins.__dict__.clear()',
			'import sys\nsys.modules["math"] = None',
			'import math\nmath.sqrt = lambda x: 0\nmath.pi = 3',
			'import sys\nsys.setrecursionlimit(50)\nsys.path.insert(0, "/evil")',
			'import os\nos.chdir("/tmp")\nos.environ["POISON"] = "1"',
			'import sys\nclass W:\n    def write(self, s): raise RuntimeError\nsys.stdout = W()\nsys.stderr = W()',
			'import sys\nsys.exit(0)',
			'raise SystemExit(1)',
			'raise KeyboardInterrupt',
			'raise BaseException("boom")',
			'import collections\ncollections.Counter = dict',
			'import sys\nsys.settrace(lambda *a: None)',
			'import sys\nsys.modules.clear()',
			'def f(): f()\nf()'
		];
		const samples: EvalSample[] = [];
		hostile.forEach((code, i) => {
			samples.push({ id: `hostile-${i}`, code });
			samples.push({ id: `probe-${i}`, code: probe.code });
		});
		const results = engine.runMany(samples, {});
		const probes = results.filter((r) => r.id.startsWith('probe'));
		for (const p of probes) expect(p, p.id).toMatchObject({ status: 'passed', stdout: 'clean\n' });
		const byId = Object.fromEntries(results.map((r) => [r.id, r]));
		expect(byId['hostile-7'].error?.type).toBe('SystemExit');
		expect(byId['hostile-9']).toMatchObject({
			status: 'error',
			error: { type: 'KeyboardInterrupt' }
		});
		expect(byId['hostile-10'].error?.type).toBe('BaseException');
		expect(byId['hostile-14'].error?.type).toBe('RecursionError');
		// Interactive sessions still work afterwards.
		expect(engine.run('import math\nlen([math.sqrt(9)])').value).toBe('1');
	});
});
