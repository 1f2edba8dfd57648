import { beforeAll, describe, expect, test } from 'vitest';
import { PythonEngine } from '../../workers/python-engine.ts';
import { pythonTracerSource } from '../../workers/python-tracer-source.ts';
import { StepperModel, steppedRun } from '../../src/core/exec-trace/stepper-model.ts';
import { StepperSession } from '../../src/state/stepper-session.svelte.ts';
import { describeStep, keyMove } from '../../src/components/stepper/step-text.ts';
import { loadNodePython, pythonRuntimeOf } from './helpers/node-runtime.ts';

// The stepper's navigation (issue 12 §2) over traces from the real tracer in Pyodide. Expected
// positions are worked out by hand from each program's trace (its steps are listed in a comment,
// as python-trace.test.ts checks them), indices 0-based.

let engine: PythonEngine;
let sessions = 0;

beforeAll(async () => {
	engine = await loadNodePython();
	engine.installTracer(pythonTracerSource);
});

function model(code: string, maxSteps?: number): StepperModel {
	const options = maxSteps
		? { session: `step-${++sessions}`, maxSteps }
		: { session: `step-${++sessions}` };
	return new StepperModel(steppedRun(engine.trace(code, options)));
}

/** `name=value` of a frame's variables at a step, changed ones starred. */
function vars(m: StepperModel, frame: number, i: number): string[] {
	return m.variables(frame, i).map((v) => `${v.changed ? '*' : ''}${v.name}=${v.value}`);
}

function stack(m: StepperModel, i: number): string[] {
	return m.stack(i).map((f) => `${f.func}:${f.line}@${f.depth}`);
}

describe('stepping a loop', () => {
	// 0 line 1 · 1 line 2 {total} · 2 line 3 {i:0} · 3 line 2 · 4 line 3 {i:1} · 5 line 2 {total:1}
	// 6 line 3 {i:2} · 7 line 2 {total:3} · 8 return 2 · 9 line 4 · 10 return 4
	const code = 'total = 0\nfor i in range(3):\n    total += i\nprint(total)\n';

	test('variables accumulate, the step that set one marks it, stdout grows', () => {
		const m = model(code);
		expect(m.length).toBe(11);
		expect(vars(m, 0, 0)).toEqual([]);
		expect(vars(m, 0, 4)).toEqual(['total=0', '*i=1']);
		expect(vars(m, 0, 5)).toEqual(['*total=1', 'i=1']);
		expect(vars(m, 0, 10)).toEqual(['total=3', 'i=2']);
		expect(m.stdoutAt(9)).toBe('');
		expect(m.stdoutAt(10)).toBe('3\n');
		expect(m.exceptionStep).toBe(-1);
		expect(m.truncated).toBe(false);
	});

	test('next and previous line walk the loop line by line', () => {
		const m = model(code);
		const forward = [0];
		while (forward.at(-1)! < m.length - 1) forward.push(m.nextLine(forward.at(-1)!));
		// 7 and 8 are both line 2 (the loop's end and the top level's first frame returning).
		expect(forward).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 9, 10]);
		expect(m.prevLine(9)).toBe(7);
		expect(m.prevLine(8)).toBe(6);
		expect(m.prevLine(0)).toBe(0);
		expect(m.nextLine(10)).toBe(10);
	});
});

describe('stepping recursion', () => {
	// 0 line 1 · 1 line 5 {fact} · 2 call fact{n:3} · 3 line 2 · 4 line 4 · 5 call fact{n:2}
	// 6 line 2 · 7 line 4 · 8 call fact{n:1} · 9 line 2 · 10 line 3 · 11 return 3 -> 1
	// 12 return 4 -> 2 · 13 return 4 -> 6 · 14 return 5 <module> {r:6}
	const code =
		'def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\nr = fact(3)\n';

	test('the stack at the deepest call, each caller at its calling line', () => {
		const m = model(code);
		expect(m.length).toBe(15);
		expect(stack(m, 9)).toEqual(['fact:2@3', 'fact:4@2', 'fact:4@1', '<module>:5@0']);
		const [inner, middle] = m.stack(9);
		expect(vars(m, inner.id, 8)).toEqual(['*n=1']);
		expect(vars(m, inner.id, 9)).toEqual(['n=1']);
		expect(vars(m, middle.id, 9)).toEqual(['n=2']);
		expect(stack(m, 12)).toEqual(['fact:4@2', 'fact:4@1', '<module>:5@0']);
		expect(stack(m, 14)).toEqual(['<module>:5@0']);
		expect(vars(m, 0, 14).slice(1)).toEqual(['*r=6']);
	});

	test('next line steps over a call; previous line from a first line returns to the caller', () => {
		const m = model(code);
		expect(m.nextLine(1)).toBe(14);
		expect(m.nextLine(2)).toBe(3);
		expect(m.nextLine(4)).toBe(14);
		expect(m.nextLine(10)).toBe(12);
		expect(m.prevLine(3)).toBe(2);
		expect(m.prevLine(2)).toBe(1);
		expect(m.prevLine(6)).toBe(5);
		expect(m.prevLine(5)).toBe(4);
	});
});

describe('exceptions, generators, a class', () => {
	test('the uncaught exception is found where it was raised', () => {
		// 0 line 1 · 1 line 3 · 2 line 4 {x} · 3 call div · 4 line 2 · 5 exception 2 div
		// 6 return 2 div · 7 exception 4 <module> · 8 return 4 <module>
		const m = model('def div(a, b):\n    return a / b\nx = 1\ny = div(x, 0)\nprint("never")\n');
		expect(m.length).toBe(9);
		expect(m.exceptionStep).toBe(5);
		expect(m.steps[5].exception).toBe('ZeroDivisionError: division by zero');
		expect(stack(m, 5)).toEqual(['div:2@1', '<module>:4@0']);
		expect(vars(m, m.frameOf(5), 5)).toEqual(['a=1', 'b=0']);
		expect(m.error?.type).toBe('ZeroDivisionError');
	});

	test('a syntax error: no steps, the error kept, every query safe', () => {
		const m = model('x = (1,\n');
		expect(m.length).toBe(0);
		expect(m.error?.type).toBe('SyntaxError');
		expect([m.nextLine(0), m.prevLine(5), m.stack(0), m.variables(0, 0)]).toEqual([0, 0, [], []]);
		expect(m.exceptionStep).toBe(-1);
	});

	test('an exception caught by the program is not the uncaught one', () => {
		const m = model('try:\n    1 / 0\nexcept ZeroDivisionError:\n    ok = True\n');
		expect(m.steps.some((s) => s.event === 'exception')).toBe(true);
		expect(m.exceptionStep).toBe(-1);
	});

	test('each resumption of a generator is a frame of its own', () => {
		// 0 line 1 · 1 line 4 · 2 call gen · 3 line 2 · 4 return 2 · 5 call gen · 6 line 3
		// 7 return 3 · 8 call gen · 9 return 3 · 10 return 4 <module> {out}
		const m = model('def gen():\n    yield 1\n    yield 2\nout = list(gen())\n');
		expect(m.length).toBe(11);
		expect(stack(m, 6)).toEqual(['gen:3@1', '<module>:4@0']);
		expect(m.frameOf(3)).not.toBe(m.frameOf(6));
		expect(m.nextLine(3)).toBe(10);
		expect(vars(m, 0, 10).at(-1)).toBe('*out=[1, 2]');
	});

	test('a class: its body and __init__ as frames, self by repr', () => {
		// 0 line 1 · 1 call P · 2 line 1 P · 3 line 2 P · 4 line 4 P · 5 return 4 P · 6 line 6 {P}
		// 7 call __init__ {self, x} · 8 line 3 · 9 return 3 {self} · 10 line 7 {p} · 11 return 7 {v}
		const code = [
			'class P:',
			'    def __init__(self, x):',
			'        self.x = x',
			'    def __repr__(self):',
			"        return f'P({self.x})'",
			'p = P(5)',
			'v = p.x + 1'
		].join('\n');
		const m = model(code);
		expect(m.length).toBe(12);
		expect(stack(m, 3)).toEqual(['P:2@1', '<module>:1@0']);
		expect(stack(m, 8)).toEqual(['__init__:3@1', '<module>:6@0']);
		expect(vars(m, m.frameOf(9), 9)).toEqual(['*self=P(5)', 'x=5']);
		expect(vars(m, 0, 11).map((v) => v.split('=')[0])).toEqual(['P', 'p', '*v']);
		expect(m.nextLine(6)).toBe(10);
	});
});

/** Variables of every frame on the stack at i, recomputed from the steps in O(i). */
function naive(m: StepperModel, i: number): string[] {
	const byFrame = new Map<number, Map<string, string>>();
	for (let j = 0; j <= i; j++) {
		const id = m.frameOf(j);
		const vs = byFrame.get(id) ?? new Map<string, string>();
		byFrame.set(id, vs);
		for (const [k, v] of Object.entries(m.steps[j].changed ?? {})) vs.set(k, v);
	}
	return m
		.stack(i)
		.flatMap((f) => [...(byFrame.get(f.id) ?? [])].map(([k, v]) => `${f.id}:${k}=${v}`));
}

describe('10 000 steps', () => {
	const code = [
		'def bump(d, k):',
		'    d[k] = d.get(k, 0) + 1',
		'    return d[k]',
		'counts = {}',
		'n = 0',
		'while True:',
		'    n += 1',
		'    last = bump(counts, n % 7)'
	].join('\n');

	test('the step cap ends the trace, marked truncated, with no uncaught exception step', () => {
		const m = model(code, 10_000);
		expect(m.length).toBe(10_000);
		expect(m.truncated).toBe(true);
		expect(m.error?.type).toBe('TraceLimit');
		expect(m.exceptionStep).toBe(-1);
	});

	test('snapshots give the same variables as replaying every step', () => {
		const m = model(code, 10_000);
		for (const i of [0, 1, 31, 32, 33, 64, 999, 5000, 7777, 9998, 9999]) {
			const fast = m
				.stack(i)
				.flatMap((f) => m.variables(f.id, i).map((v) => `${f.id}:${v.name}=${v.value}`));
			expect(fast, `step ${i}`).toEqual(naive(m, i));
		}
	});

	test('10 000 of each move walk the whole trace and back', () => {
		const m = model(code, 10_000);
		let i = 0;
		for (let k = 0; k < m.length; k++) {
			i = m.clamp(i + 1);
			for (const f of m.stack(i)) m.variables(f.id, i);
			m.stdoutAt(i);
		}
		expect(i).toBe(m.length - 1);
		for (let k = 0; k < m.length; k++) i = m.prevLine(i);
		expect(i).toBe(0);
		for (let k = 0; k < m.length; k++) i = m.nextLine(i);
		// Next line over the loop body visits lines 7 and 8 and the loop head, never bump's lines.
		const lines = new Set<number>();
		for (let j = 0, k = 0; k < 50; k++, j = m.nextLine(j)) lines.add(m.steps[j].line);
		expect([...lines].sort()).toEqual([1, 4, 5, 6, 7, 8]);
	});
});

describe('the stepper session and its words', () => {
	test('StepperSession traces in its own namespace and moves over the steps', async () => {
		const port = pythonRuntimeOf(engine);
		await port.run('leftover = 1', { session: 'stepper' });
		const session = new StepperSession(port);
		await session.start('def f(x):\n    return x + 1\n\ny = f(1)\nprint(y)\n');
		expect(session.status).toBe('ready');
		// The namespace was emptied first.
		const left = await port.run("'leftover' in globals()", { session: 'stepper' });
		expect(left.value).toBe('False');
		session.last();
		expect(session.frames[0].variables.map((v) => v.name)).toEqual(['f', 'y']);
		expect(session.stdout).toBe('2\n');
		session.first();
		session.forward();
		session.forward();
		expect(session.line).toBe(1);
		expect(session.frames.map((f) => f.func)).toEqual(['f', '<module>']);
		expect(describeStep(session.step ?? undefined)).toBe('Line 1: call f(x=1)');
		session.forward();
		session.forward();
		expect(describeStep(session.step ?? undefined)).toBe('Line 2: f returns 2');
		session.prevLine();
		expect(session.position).toBe(2);
		session.back();
		session.back();
		session.back();
		expect(session.position).toBe(0);
		session.exit();
		expect(session.status).toBe('idle');
		expect(session.model).toBeNull();
	});

	test('keys map to moves', () => {
		expect(keyMove('ArrowRight', false)).toBe('forward');
		expect(keyMove('ArrowRight', true)).toBe('nextLine');
		expect(keyMove('ArrowLeft', true)).toBe('prevLine');
		expect(keyMove('ArrowUp', false)).toBe('prevLine');
		expect(keyMove('End', false)).toBe('last');
		expect(keyMove('a', false)).toBeNull();
	});
});
