import { beforeAll, describe, expect, test } from 'vitest';
import type { PythonEngine } from '../../workers/python-engine.ts';
import { loadNodePython } from './helpers/node-runtime.ts';

// Top-level `await` (issue 13 §4): such code compiles to a coroutine, driven to its end inside
// the same synchronous run as any other code. Interrupts are in python-interrupt.test.ts.
let engine: PythonEngine;

beforeAll(async () => {
	engine = await loadNodePython();
});

describe('top-level await in run', () => {
	test('await asyncio.sleep(0) runs, with its output', () => {
		const r = engine.run('import asyncio\nprint("a")\nawait asyncio.sleep(0)\nprint("b")');
		expect(r).toMatchObject({ ok: true, stdout: 'a\nb\n', error: null });
	});

	test('x = await coro() persists in the session; a trailing await gives its value', () => {
		const define =
			'import asyncio\nasync def coro(n):\n    await asyncio.sleep(0.01)\n    return n * 2\n';
		expect(engine.run(define + 'x = await coro(21)', { session: 'aw' }).ok).toBe(true);
		expect(engine.run('x', { session: 'aw' }).value).toBe('42');
		expect(engine.run('await coro(x)', { session: 'aw' }).value).toBe('84');
		// Tasks and gather work on the run's loop.
		const gather = engine.run('sum(await asyncio.gather(*(coro(i) for i in range(4))))', {
			session: 'aw'
		});
		expect(gather.value).toBe('12');
	});

	test('an exception after an await names the user line, in user frames', () => {
		const code =
			'import asyncio\nasync def f():\n    await asyncio.sleep(0)\n    1 / 0\n\nawait f()';
		const r = engine.run(code);
		expect(r.error).toMatchObject({ type: 'ZeroDivisionError', line: 4 });
		expect(r.error?.traceback).toContain('File "<exec>", line 6, in <module>');
		expect(r.error?.traceback).toContain('File "<exec>", line 4, in f');
		expect(r.error?.traceback).not.toContain('asyncio');
	});

	test('code without await runs as before; an un-awaited coroutine is a value', () => {
		const r = engine.run('async def g():\n    return 1\ng().close()\ntype(g()).__name__');
		expect(r).toMatchObject({ ok: true, value: "'coroutine'" });
		expect(engine.run('await 1').error?.type).toBe('TypeError');
	});

	test('waiting on what nothing completes is an error, not a hang; the next run works', () => {
		const r = engine.run('import asyncio\nawait asyncio.Event().wait()');
		expect(r.error?.type).toBe('RuntimeError');
		expect(r.error?.message).toContain('nothing will complete');
		const after = engine.run('import asyncio\nasyncio.get_event_loop().__class__.__name__');
		expect(after.value).toBe("'WebLoop'");
	});

	test('tasks left running are cancelled at the end of the run', () => {
		const code =
			'import asyncio\nlog = []\nasync def bg():\n    try:\n        await asyncio.sleep(60)\n' +
			'    except asyncio.CancelledError:\n        log.append("cancelled")\n        raise\n' +
			't = asyncio.create_task(bg())\nawait asyncio.sleep(0)';
		expect(engine.run(code, { session: 'bg' }).ok).toBe(true);
		expect(engine.run('log', { session: 'bg' }).value).toBe("['cancelled']");
	});
});

describe('top-level await in runMany', () => {
	test('samples may await; results as for any sample', () => {
		const results = engine.runMany(
			[
				{ id: 'ok', code: 'import asyncio\nawait asyncio.sleep(0)\nassert 1' },
				{ id: 'fail', code: 'import asyncio\nawait asyncio.sleep(0)\nassert False' },
				{
					id: 'tests',
					code: 'import asyncio\nasync def f():\n    return 3',
					tests: 'assert await f() == 3'
				}
			],
			{}
		);
		expect(results.map((r) => [r.id, r.status])).toEqual([
			['ok', 'passed'],
			['fail', 'failed'],
			['tests', 'passed']
		]);
		expect(results[1].error?.line).toBe(3);
	});
});
