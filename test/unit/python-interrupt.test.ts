import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PythonEngine } from '../../workers/python-engine.ts';
import { batchBufferBytes, sharedBatchControl } from '../../workers/python-shared-memory.ts';
import { hangMs } from '../deadline.ts';

// Pyodide runs on this thread, so the stops come from a second thread writing shared memory, as
// the page does for the browser worker: once after a delay, or by watching runMany's progress.
const stopperSource = `
const { workerData, parentPort } = require('node:worker_threads');
const flag = new Int32Array(workerData.interrupt);
const slots = new Int32Array(workerData.batch);
const nap = new Int32Array(new SharedArrayBuffer(4));
const now = () => performance.timeOrigin + performance.now();
parentPort.on('message', (m) => {
	if (m.storm !== undefined) {
		// Many stops at varied moments; a stop not acted on within 10 s (a slow, loaded machine
		// acts within that) is counted as lost and sent again (so a lost one shows up as a count,
		// not as a hang).
		const done = new Int32Array(workerData.done);
		let lost = 0;
		for (let i = 0; i < m.storm; i++) {
			while (Atomics.load(done, 0) !== 1) Atomics.wait(done, 0, 0, 50);
			Atomics.store(done, 0, 0);
			Atomics.wait(nap, 0, 0, (i % 7) * 0.3);
			Atomics.store(flag, 0, 2);
			while (Atomics.wait(done, 0, 0, 10000) === 'timed-out' && Atomics.load(done, 0) === 0) {
				lost++;
				Atomics.store(flag, 0, 2);
			}
		}
		parentPort.postMessage(lost);
		return;
	}
	if (m.after !== undefined) {
		Atomics.wait(nap, 0, 0, m.after);
		Atomics.store(flag, 0, 2);
		parentPort.postMessage('stopped');
		return;
	}
	// Watch a batch like the client does: interrupt a sample that runs past its budget.
	let seen = -1, since = now(), done = 0;
	while (Atomics.load(slots, 3) === 0) {
		Atomics.wait(nap, 0, 0, 2);
		const started = Atomics.load(slots, 1);
		if (started !== seen) { seen = started; since = now(); continue; }
		if (now() - since > m.budget) {
			Atomics.store(slots, 2, Atomics.load(slots, 0));
			Atomics.store(flag, 0, 2);
			since = Infinity;
			done++;
		}
	}
	parentPort.postMessage(done);
});`;

const indexURL = fileURLToPath(new URL('../../node_modules/pyodide/', import.meta.url));
const interrupt = new Int32Array(new SharedArrayBuffer(4));
const batch = new SharedArrayBuffer(batchBufferBytes);
const done = new Int32Array(new SharedArrayBuffer(4));
let engine: PythonEngine;
let stopper: Worker;

function stopAfter(ms: number): Promise<unknown> {
	Atomics.store(interrupt, 0, 0);
	const done = new Promise((resolve) => stopper.once('message', resolve));
	stopper.postMessage({ after: ms });
	return done;
}

beforeAll(async () => {
	// As the first page load does: a plain load that also makes the memory snapshot.
	engine = await PythonEngine.load({ indexURL, interruptBuffer: interrupt, makeSnapshot: true });
	stopper = new Worker(stopperSource, {
		eval: true,
		workerData: { interrupt: interrupt.buffer, batch, done: done.buffer }
	});
});
afterAll(async () => {
	await stopper?.terminate();
});

describe('interrupts', () => {
	// How quickly (interrupt → result) is the bench's python.interruptMedian.
	test('while True: pass is interrupted and the session keeps its state', async () => {
		engine.run('kept = 41', { session: 'int' });
		for (let i = 0; i < 5; i++) {
			const stopped = stopAfter(100);
			const r = engine.run('while True: pass', { session: 'int' });
			await stopped;
			expect(r).toMatchObject({ ok: false, error: { type: 'KeyboardInterrupt', line: 1 } });
		}
		expect(engine.run('kept + 1', { session: 'int' }).value).toBe('42');
	});

	test('no stop is lost, whenever it lands (500 stops of a tight loop)', async () => {
		// Pyodide's own check reads the flag and then writes 0: a stop written between the two was
		// lost (seen as a rare hang); the engine makes that read-and-clear one atomic step.
		const storms = 500;
		Atomics.store(interrupt, 0, 0);
		Atomics.store(done, 0, 1);
		const lost = new Promise((resolve) => stopper.once('message', resolve));
		stopper.postMessage({ storm: storms });
		let interrupted = 0;
		for (let i = 0; i < storms; i++) {
			// The stopper waits for `done` before it stops the next run.
			const r = engine.run('while True: pass');
			if (r.error?.type === 'KeyboardInterrupt') interrupted++;
			Atomics.store(done, 0, 1);
			Atomics.notify(done, 0);
		}
		expect(await lost).toBe(0);
		expect(interrupted).toBe(storms);
	});

	test('a stop landing anywhere in a short run (in the helper as well) comes back as data', () => {
		// The signal check runs every few dozen bytecode jumps, so with a stop already set, loops of
		// different lengths put it at different points: before, inside and after the user's code.
		const kinds = new Set<string>();
		for (let k = 0; k < 300; k++) {
			Atomics.store(interrupt, 0, 2);
			const r = engine.run(`for _ in range(${k}): pass\nprint('done')`, { session: 'stray' });
			kinds.add(r.ok ? 'ok' : (r.error?.type ?? '?'));
		}
		Atomics.store(interrupt, 0, 0);
		expect([...kinds].sort()).toEqual(['KeyboardInterrupt']);
		// The streams were put back each time: output is captured again, nothing is left redirected.
		// _saved holds what sys.stdout was between runs: it must not be a leftover redirect.
		const after = engine.run('import _execlab\nprint(41 + 1)\ntype(_execlab._saved[0]).__name__', {
			session: 'stray'
		});
		expect(after).toMatchObject({ ok: true, stdout: '42\n' });
		expect(after.value).not.toBe("'Writer'");
		const batch = engine.runMany(
			[
				{ id: 'a', code: 'assert 1' },
				{ id: 'b', code: 'assert 2' }
			],
			{}
		);
		expect(batch.map((r) => r.status)).toEqual(['passed', 'passed']);
	});

	test('time.sleep waits on the interrupt flag, so a stop ends it, not the sleep', async () => {
		const stopped = stopAfter(100);
		const started = performance.now();
		// A sleep that ignored the flag would run its 300 s and only then raise KeyboardInterrupt.
		const r = engine.run('import time\ntime.sleep(300)');
		await stopped;
		expect(r.error?.type).toBe('KeyboardInterrupt');
		expect(performance.now() - started).toBeLessThan(hangMs);
	});

	test('a run with top-level await is interrupted alike and keeps its state', async () => {
		engine.run('import asyncio\nkept = await asyncio.sleep(0, 41)', { session: 'aw' });
		const spin = stopAfter(100);
		const r = engine.run('while True:\n    await asyncio.sleep(0)', { session: 'aw' });
		await spin;
		expect(r).toMatchObject({ ok: false, error: { type: 'KeyboardInterrupt' } });
		expect([1, 2]).toContain(r.error?.line);
		// A long asyncio.sleep waits through time.sleep, which a stop ends (hang guard only).
		const nap = stopAfter(100);
		const started = performance.now();
		const slept = engine.run('await asyncio.sleep(300)', { session: 'aw' });
		await nap;
		expect(slept.error?.type).toBe('KeyboardInterrupt');
		expect(performance.now() - started).toBeLessThan(hangMs);
		expect(engine.run('kept + 1', { session: 'aw' }).value).toBe('42');
		expect(engine.run('await asyncio.sleep(0, kept)', { session: 'aw' }).value).toBe('41');
	});

	test('a stop that arrives before the run starts is not lost', () => {
		Atomics.store(interrupt, 0, 2);
		const r = engine.run('while True: pass');
		expect(r.error?.type).toBe('KeyboardInterrupt');
		expect(Atomics.load(interrupt, 0)).toBe(0);
	});
});

describe('runMany per-sample budgets', () => {
	test('an overrunning sample times out, the ones around it pass', async () => {
		new Int32Array(batch).fill(0);
		Atomics.store(interrupt, 0, 0);
		const watched = new Promise((resolve) => stopper.once('message', resolve));
		// Far above what the passing samples need even on a loaded machine.
		stopper.postMessage({ budget: 1000 });
		const results = engine.runMany(
			[
				{ id: 'ok-1', code: 'assert 1 + 1 == 2' },
				{ id: 'loop', code: 'while True: pass' },
				{ id: 'ok-2', code: 'import math\nassert math.sqrt(4) == 2' },
				{ id: 'self', code: 'raise KeyboardInterrupt' },
				{ id: 'sleep', code: 'import time\ntime.sleep(30)' },
				{ id: 'ok-3', code: 'assert len("abc") == 3' }
			],
			{},
			sharedBatchControl(batch)
		);
		Atomics.store(new Int32Array(batch), 3, 1);
		expect(await watched).toBe(2);
		expect(results.map((r) => `${r.id}:${r.status}`)).toEqual([
			'ok-1:passed',
			'loop:timeout',
			'ok-2:passed',
			'self:error',
			'sleep:timeout',
			'ok-3:passed'
		]);
		expect(results[1].error?.type).toBe('KeyboardInterrupt');
	});
});
