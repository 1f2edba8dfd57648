// Steady-state runtime figures, measured inside one loaded app page through globalThis.execlab:
// Python round trip, interrupt, hard stop + rebuild, SQL round trip, and runMany throughput.
import { waitForBench } from './browser.mjs';

/** Waits until the page's ready probe has its first result (the page was opened with readyProbe). */
export async function waitReady(page) {
	return waitForBench(page, 180_000);
}

/** `1+1` round trips through execlab.python: `warmup` discarded, then `n` timed; returns ms list. */
export async function pythonRoundTrips(page, n, warmup = 20) {
	return page.evaluate(
		async ([n, warmup]) => {
			const py = globalThis.execlab.python;
			const times = [];
			for (let i = 0; i < n + warmup; i++) {
				const t0 = performance.now();
				const r = await py.run('1+1', {});
				const dt = performance.now() - t0;
				if (!r.ok || r.value !== '2') throw new Error(`1+1 gave ${JSON.stringify(r)}`);
				if (i >= warmup) times.push(dt);
			}
			return times;
		},
		[n, warmup]
	);
}

/** `SELECT 1` round trips through execlab.sql on the bench's empty database; returns ms list. */
export async function sqlRoundTrips(page, n, warmup = 20) {
	return page.evaluate(
		async ([n, warmup]) => {
			const sql = globalThis.execlab.sql;
			const times = [];
			for (let i = 0; i < n + warmup; i++) {
				const t0 = performance.now();
				const r = await sql.exec('SELECT 1', { db: 'bench' });
				const dt = performance.now() - t0;
				if (!r.ok || r.rows[0][0] !== 1) throw new Error(`SELECT 1 gave ${JSON.stringify(r)}`);
				if (i >= warmup) times.push(dt);
			}
			return times;
		},
		[n, warmup]
	);
}

/**
 * Stops `while True: pass` after `runForMs` and times stop request → result, `n` times; returns
 * {times, kinds} (kinds says interrupt or hard-stop for each).
 */
export async function pythonInterrupts(page, n, runForMs = 200) {
	return page.evaluate(
		async ([n, runForMs]) => {
			const py = globalThis.execlab.python;
			const times = [];
			const kinds = [];
			for (let i = 0; i < n; i++) {
				const controller = new AbortController();
				const pending = py.run('while True: pass', { signal: controller.signal });
				await new Promise((ok) => setTimeout(ok, runForMs));
				const t0 = performance.now();
				controller.abort();
				const r = await pending;
				times.push(performance.now() - t0);
				kinds.push(r.stopped?.kind ?? 'none');
				const after = await py.run('1+1', {});
				if (after.value !== '2') throw new Error('worker did not serve after an interrupt');
			}
			return { times, kinds };
		},
		[n, runForMs]
	);
}

/**
 * Hard stop + rebuild: a session of three cells, then `time.sleep(60)` hard-stopped (the client's
 * `stop({hard: true})`) after `runForMs`;
 * times stop request → the next cell's result (which needs the rebuilt state); returns details.
 */
export async function pythonHardStops(page, n, runForMs = 300) {
	return page.evaluate(
		async ([n, runForMs]) => {
			const py = globalThis.execlab.python;
			const out = [];
			for (let i = 0; i < n; i++) {
				const session = `bench-hard-${i}`;
				for (const cell of ['import time\nx = 20', 'y = x + 1', 'def f():\n    return x + y'])
					await py.run(cell, { session });
				const pending = py.run('time.sleep(60)', { session });
				await new Promise((ok) => setTimeout(ok, runForMs));
				const t0 = performance.now();
				// A hard stop on purpose: this key measures terminate + respawn + rebuild, not an interrupt.
				py.stop({ hard: true });
				const stopped = await pending;
				const stopMs = performance.now() - t0;
				const next = await py.run('f()', { session });
				const totalMs = performance.now() - t0;
				if (next.value !== '41') throw new Error(`rebuilt session gave ${JSON.stringify(next)}`);
				out.push({ totalMs, stopMs, stopped: stopped.stopped ?? null });
			}
			return out;
		},
		[n, runForMs]
	);
}

/**
 * The memory bomb of issue 13: `a = [bytearray(10**8) for _ in range(40)]` in a fresh page's
 * worker, run → its MemoryError (the heap cap refuses growth past the 1 GiB budget). Checks that
 * the error is the user's MemoryError, that no worker was replaced and that a variable set before
 * is still there; returns {ms, heapBytes}.
 */
export async function pythonMemoryBomb(page) {
	return page.evaluate(async () => {
		const py = globalThis.execlab.python;
		const session = 'bench-memory';
		await py.run('survivor = 41', { session });
		const t0 = performance.now();
		const r = await py.run('a = [bytearray(10**8) for _ in range(40)]', {
			session,
			timeoutMs: 120_000
		});
		const ms = performance.now() - t0;
		if (r.error?.type !== 'MemoryError' || r.stopped)
			throw new Error(`the bomb gave ${JSON.stringify({ error: r.error, stopped: r.stopped })}`);
		const next = await py.run('survivor + 1', { session });
		if (next.value !== '42') throw new Error(`state after the bomb: ${JSON.stringify(next)}`);
		return { ms, heapBytes: r.heapBytes };
	});
}

/** runMany over `batch` (EvalSample[]) `repeats` times; returns [{ms, passed, statuses}]. */
export async function evalBatches(page, batch, repeats) {
	return page.evaluate(
		async ([batch, repeats]) => {
			const py = globalThis.execlab.python;
			const out = [];
			for (let i = 0; i < repeats; i++) {
				const t0 = performance.now();
				const results = await py.runMany(batch, { timeoutMs: 10_000 });
				const ms = performance.now() - t0;
				const statuses = {};
				for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
				out.push({ ms, passed: statuses.passed ?? 0, statuses });
			}
			return out;
		},
		[batch, repeats]
	);
}
