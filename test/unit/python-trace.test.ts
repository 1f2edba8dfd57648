import { beforeAll, describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PythonEngine } from '../../workers/python-engine.ts';
import { pythonTracerSource } from '../../workers/python-tracer-source.ts';
import type { TraceStep } from '../../workers/protocol.ts';

// The line tracer (issue 12 §1) on the real Pyodide engine. Expected traces are computed by hand
// from the programs (each line as CPython 3.12+ reports it: PEP 626 line events).

const indexURL = fileURLToPath(new URL('../../node_modules/pyodide/', import.meta.url));
const interrupt = new Int32Array(new SharedArrayBuffer(4));
let engine: PythonEngine;

beforeAll(async () => {
	engine = await PythonEngine.load({ indexURL, interruptBuffer: interrupt });
	engine.installTracer(pythonTracerSource);
});

/** Steps without `out`, as `event line func {changed} value/exception`. */
function brief(steps: TraceStep[]): string[] {
	return steps.map((s) => {
		const parts = [s.event, String(s.line), s.func];
		if (s.changed) parts.push(JSON.stringify(s.changed));
		if (s.value !== undefined) parts.push(`-> ${s.value}`);
		if (s.exception !== undefined) parts.push(`! ${s.exception}`);
		return parts.join(' ');
	});
}

let sessions = 0;
function fresh(): string {
	return `trace-${++sessions}`;
}

describe('steps', () => {
	test('a loop: each line, the locals that changed, stdout so far', () => {
		const code = 'total = 0\nfor i in range(3):\n    total += i\nprint(total)\n';
		const r = engine.trace(code, { session: fresh() });
		expect(r).toMatchObject({ ok: true, stdout: '3\n', error: null });
		expect(r.truncated.steps).toBe(false);
		expect(brief(r.steps)).toEqual([
			'line 1 <module>',
			'line 2 <module> {"total":"0"}',
			'line 3 <module> {"i":"0"}',
			'line 2 <module>',
			'line 3 <module> {"i":"1"}',
			'line 2 <module> {"total":"1"}',
			'line 3 <module> {"i":"2"}',
			'line 2 <module> {"total":"3"}',
			// The trailing expression runs as a frame of its own (it gives the run's value).
			'return 2 <module>',
			'line 4 <module>',
			'return 4 <module>'
		]);
		expect(r.steps.map((s) => s.out)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
	});

	test('recursion: calls with their arguments, returns with their values', () => {
		const code =
			'def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\nr = fact(3)\n';
		const r = engine.trace(code, { session: fresh() });
		expect(brief(r.steps)).toEqual([
			'line 1 <module>',
			'line 5 <module> {"fact":"' + r.steps[1].changed!.fact + '"}',
			'call 1 fact {"n":"3"}',
			'line 2 fact',
			'line 4 fact',
			'call 1 fact {"n":"2"}',
			'line 2 fact',
			'line 4 fact',
			'call 1 fact {"n":"1"}',
			'line 2 fact',
			'line 3 fact',
			'return 3 fact -> 1',
			'return 4 fact -> 2',
			'return 4 fact -> 6',
			'return 5 <module> {"r":"6"}'
		]);
		expect(r.steps[1].changed!.fact).toMatch(/^<function fact at 0x[0-9a-f]+>$/);
	});

	test('an exception: the step where it is raised, steps up to it kept, ok false', () => {
		const code = 'def div(a, b):\n    return a / b\nx = 1\ny = div(x, 0)\nprint("never")\n';
		const r = engine.trace(code, { session: fresh() });
		expect(r).toMatchObject({ ok: false, error: { type: 'ZeroDivisionError', line: 2 } });
		expect(brief(r.steps).slice(2)).toEqual([
			'line 4 <module> {"x":"1"}',
			'call 1 div {"a":"1","b":"0"}',
			'line 2 div',
			'exception 2 div ! ZeroDivisionError: division by zero',
			'return 2 div -> None',
			'exception 4 <module> ! ZeroDivisionError: division by zero',
			'return 4 <module>'
		]);
	});

	test('a generator: each resumption is a call, each yield a return', () => {
		const code = 'def gen():\n    yield 1\n    yield 2\nout = list(gen())\n';
		const r = engine.trace(code, { session: fresh() });
		expect(brief(r.steps).slice(2)).toEqual([
			'call 1 gen',
			'line 2 gen',
			'return 2 gen -> 1',
			'call 2 gen',
			'line 3 gen',
			'return 3 gen -> 2',
			'call 3 gen',
			'return 3 gen -> None',
			'return 4 <module> {"out":"[1, 2]"}'
		]);
	});

	test('a class: its body, __init__ and a method, self by repr', () => {
		const code = [
			'class P:',
			'    def __init__(self, x):',
			'        self.x = x',
			'    def __repr__(self):',
			"        return f'P({self.x})'",
			'p = P(5)',
			'v = p.x + 1'
		].join('\n');
		const r = engine.trace(code, { session: fresh() });
		expect(brief(r.steps)).toEqual([
			'line 1 <module>',
			'call 1 P',
			'line 1 P',
			'line 2 P',
			'line 4 P',
			'return 4 P -> None',
			'line 6 <module> {"P":"<class \'__main__.P\'>"}',
			// self has no x yet, so its __repr__ fails: the step says so instead of raising.
			'call 2 __init__ {"self":"<P object (repr failed: AttributeError)>","x":"5"}',
			'line 3 __init__',
			'return 3 __init__ {"self":"P(5)"} -> None',
			'line 7 <module> {"p":"P(5)"}',
			'return 7 <module> {"v":"6"}'
		]);
	});

	test('reprs are capped and large containers summarised', () => {
		const code = "s = 'x' * 1000\nbig = list(range(100))\n";
		const r = engine.trace(code, { session: fresh(), maxReprChars: 50 });
		const last = r.steps.at(-1)!.changed!;
		expect(last.big).toBe('[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, ...');
		expect(last.big).toHaveLength(50);
		expect(r.steps[1].changed!.s).toBe("'" + 'x'.repeat(46) + '...');
		expect(r.steps[1].changed!.s).toHaveLength(50);
		const wide = engine.trace('big = list(range(100))', { session: fresh() });
		expect(wide.steps.at(-1)!.changed!.big).toBe(
			'[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, ...] (100 items)'
		);
	});

	test('stdlib and helper frames are not reported; the lines are the code sent', () => {
		const code = 'import json\nd = json.dumps([1])\nsorted([3, 1], key=lambda v: -v)\n';
		const r = engine.trace(code, { session: fresh() });
		expect(new Set(r.steps.map((s) => s.func))).toEqual(new Set(['<module>', '<lambda>']));
		expect(Math.max(...r.steps.map((s) => s.line))).toBe(3);
		expect(r.value).toBe('[3, 1]');
	});
});

describe('budgets and leftovers', () => {
	test('while True stops at the step cap, marked truncated; the next run is normal', () => {
		const session = fresh();
		const r = engine.trace('n = 0\nwhile True:\n    n += 1\n', { session, maxSteps: 100 });
		expect(r.steps).toHaveLength(100);
		expect(r.truncated.steps).toBe(true);
		expect(r).toMatchObject({ ok: false, error: { type: 'TraceLimit' } });
		expect(r.error!.message).toBe('trace stopped: more than 100 steps');
		// Nothing else is lost: the session holds the state the program reached.
		const next = engine.run('import sys\nprint(sys.gettrace())\nn', { session });
		expect(next).toMatchObject({ ok: true, stdout: 'None\n', value: '49' });
	});

	test('the default cap is 10 000 steps; deep recursion ends cleanly', () => {
		const r = engine.trace('while True:\n    pass\n', { session: fresh() });
		expect(r.steps).toHaveLength(10_000);
		expect(r.truncated.steps).toBe(true);
		const deep = engine.trace('def f(n):\n    return f(n + 1)\nf(0)\n', { session: fresh() });
		expect(deep).toMatchObject({ ok: false, error: { type: 'RecursionError' } });
		expect(deep.truncated.steps).toBe(false);
		expect(deep.steps.filter((s) => s.event === 'call').length).toBeGreaterThan(500);
		const capped = engine.trace('def f(n):\n    return f(n + 1)\nf(0)\n', {
			session: fresh(),
			maxSteps: 300
		});
		expect(capped).toMatchObject({ ok: false, error: { type: 'TraceLimit' } });
		expect(capped.steps).toHaveLength(300);
		expect(engine.run('1 + 1').value).toBe('2');
	});

	test('no hook and no extra globals are left behind', () => {
		const session = fresh();
		engine.trace('a = 1\ndef g():\n    return 2\nb = g()\n', { session });
		const after = engine.run('import sys\nsorted(k for k in globals() if not k.startswith("__"))', {
			session
		});
		expect(after.value).toBe("['a', 'b', 'g', 'sys']");
		expect(engine.run('import sys\nsys.gettrace() is None').value).toBe('True');
	});

	test('output budget and top-level await work under the tracer', () => {
		const r = engine.trace('for i in range(100):\n    print(i)\n', {
			session: fresh(),
			maxOutputBytes: 20
		});
		expect(r.truncated.stdout).toBe(true);
		expect(r.steps.at(-1)!.out).toBe(r.stdout.length);
		const awaited = engine.trace('import asyncio\nawait asyncio.sleep(0)\nx = 3\nx', {
			session: fresh()
		});
		expect(awaited).toMatchObject({ ok: true, value: '3' });
		expect(awaited.steps.some((s) => s.exception !== undefined)).toBe(false);
	});

	test('an interrupt (the time budget) ends a traced loop; the next run sees no hook', async () => {
		const stopper = new Worker(
			`const { workerData } = require('node:worker_threads');
			const nap = new Int32Array(new SharedArrayBuffer(4));
			Atomics.wait(nap, 0, 0, 300);
			Atomics.store(new Int32Array(workerData), 0, 2);`,
			{ eval: true, workerData: interrupt.buffer }
		);
		Atomics.store(interrupt, 0, 0);
		const r = engine.trace('while True:\n    pass\n', { session: fresh(), maxSteps: 10 ** 9 });
		await stopper.terminate();
		expect(r).toMatchObject({ ok: false, error: { type: 'KeyboardInterrupt' } });
		expect(r.steps.length).toBeGreaterThan(100);
		expect(engine.run('import sys\nsys.gettrace() is None').value).toBe('True');
	});
});
