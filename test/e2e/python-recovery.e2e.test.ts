import { expect, test } from 'vitest';
import {
	firstResult,
	usePythonPage,
	waitForStoredSnapshot,
	type PageGlobals
} from './python-helpers.ts';
import { snapshotDatabase, snapshotKey } from '../../workers/python-snapshot-db.ts';

const rig = usePythonPage();

/** Overwrites the stored snapshot of this build with `bytes`. */
async function storeSnapshotBytes(bytes: number[]): Promise<void> {
	await rig.page.evaluate(
		({ db, store, key, bytes }) =>
			new Promise<void>((resolve, reject) => {
				const open = indexedDB.open(db);
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const tx = open.result.transaction(store, 'readwrite');
					tx.objectStore(store).put(new Uint8Array(bytes), key);
					tx.oncomplete = () => resolve();
					tx.onerror = () => reject(tx.error);
				};
			}),
		{ ...snapshotDatabase, key: snapshotKey, bytes }
	);
}

test('a corrupted stored snapshot falls back to a plain load, and a good one is stored again', async () => {
	await waitForStoredSnapshot(rig.page);
	await storeSnapshotBytes(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
	await rig.page.reload();
	await firstResult(rig.page);
	const info = await rig.page.evaluate(() => (globalThis as PageGlobals).execlab.python.info);
	expect(info).toMatchObject({ fromSnapshot: false, snapshotMade: true });
	expect(info?.snapshotError).toMatch(/snapshot unusable, plain load instead/);
	const r = await rig.page.evaluate(() =>
		(globalThis as PageGlobals).execlab.python.run('import math\nmath.factorial(5)')
	);
	expect(r.value).toBe('120');
	// The fresh load made a new snapshot; the next load uses it.
	await waitForStoredSnapshot(rig.page);
	await rig.page.waitForTimeout(500);
	await rig.page.reload();
	await firstResult(rig.page);
	const again = await rig.page.evaluate(() => (globalThis as PageGlobals).execlab.python.info);
	expect(again).toMatchObject({ fromSnapshot: true });
});

test('hard stop of time.sleep(60): a warm spare takes over and the 3-cell session is rebuilt', async () => {
	const r = await rig.page.evaluate(async () => {
		const py = (globalThis as PageGlobals).execlab.python;
		const out: { stopped: unknown }[] = [];
		for (let i = 0; i < 5; i++) {
			const session = `hard-${i}`;
			for (const cell of ['import time\nx = 20', 'y = x + 1', 'def f():\n    return x + y'])
				await py.run(cell, { session });
			const pending = py.run('time.sleep(60)', { session });
			await new Promise((ok) => setTimeout(ok, 300));
			py.stop({ hard: true });
			const stopped = await pending;
			const next = await py.run('f()', { session });
			if (next.value !== '41') throw new Error(`rebuilt session gave ${JSON.stringify(next)}`);
			out.push({ stopped: stopped.stopped });
		}
		return out;
	});
	// Each rebuilt session answered f() with 41 (checked in the page). How long the rebuild takes
	// is the bench's python.hardStopRecovery.
	expect(r).toHaveLength(5);
	for (const { stopped } of r) {
		expect(stopped).toEqual({ kind: 'hard-stop', reason: 'user', rebuilt: true });
	}
});

test('Stop also ends runs still waiting in the queue: they never run', async () => {
	const r = await rig.page.evaluate(async () => {
		const py = (globalThis as PageGlobals).execlab.python;
		const first = py.run('while True: pass', { timeoutMs: 60_000 });
		const queued = py.run('print("never")');
		const aborted = new AbortController();
		const third = py.run('print("never either")', { signal: aborted.signal });
		await new Promise((ok) => setTimeout(ok, 150));
		aborted.abort();
		const thirdResult = await third;
		py.stop();
		const queuedResult = await queued;
		const firstResult = await first;
		const after = await py.run('1 + 1');
		return { firstResult, queuedResult, thirdResult, after: after.value };
	});
	expect(r.thirdResult).toMatchObject({
		stdout: '',
		stopped: { kind: 'interrupt', reason: 'user' }
	});
	expect(r.queuedResult).toMatchObject({
		ok: false,
		stdout: '',
		error: { type: 'KeyboardInterrupt' },
		stopped: { kind: 'interrupt', reason: 'user' }
	});
	expect(r.firstResult.error?.type).toBe('KeyboardInterrupt');
	expect(r.after).toBe('2');
});

test('output streams before the result, and a hard-stopped run keeps what it printed', async () => {
	const r = await rig.page.evaluate(async () => {
		const py = (globalThis as PageGlobals).execlab.python;
		const chunks: string[] = [];
		const printed = await py.run('for i in range(3000):\n    print(i)', {
			onOutput: (_stream, text) => chunks.push(text)
		});
		const streamedBeforeResult = chunks.join('');
		const live: string[] = [];
		const stuck = py.run('print("before")\nsum(range(10**12))', {
			onOutput: (_stream, text) => live.push(text)
		});
		await new Promise((ok) => setTimeout(ok, 300));
		const seenWhileRunning = live.join('');
		py.stop({ hard: true });
		const hard = await stuck;
		return {
			printed: printed.stdout,
			streamedBeforeResult,
			chunks: chunks.length,
			seenWhileRunning,
			hard
		};
	});
	expect(r.streamedBeforeResult).toBe(r.printed);
	expect(r.chunks).toBeGreaterThan(1);
	expect(r.seenWhileRunning).toBe('before\n');
	expect(r.hard).toMatchObject({
		stdout: 'before\n',
		stopped: { kind: 'hard-stop', rebuilt: true }
	});
});

test('runMany on two workers keeps sample order, runs shared tests, and survives a sample that must be hard-stopped', async () => {
	const r = await rig.page.evaluate(async () => {
		const py = (globalThis as PageGlobals).execlab.python;
		// Even samples give their (shared) tests apart; every seventh answer is wrong.
		const answer = (i: number) =>
			`K = ${i}\ndef f(x):\n    return x * K${i % 7 === 3 ? ' + 1' : ''}\n# ${i}`;
		const tests = 'assert f(2) == 2 * K\n';
		const samples = Array.from({ length: 400 }, (_, i) =>
			i === 130
				? { id: `s${i}`, code: 'sum(range(10**12))' }
				: i === 330
					? { id: `s${i}`, code: 'while True: pass' }
					: i % 2
						? { id: `s${i}`, code: `${answer(i)}\n${tests}` }
						: { id: `s${i}`, code: answer(i), tests }
		);
		// A budget far above what a passing sample needs on a loaded machine.
		const results = await py.runMany(samples, { timeoutMs: 2000, parallel: true });
		const after = await py.run('1 + 1');
		return {
			ids: results.map((x) => x.id),
			statuses: results.map((x) => x.status),
			after: after.value
		};
	});
	expect(r.ids).toEqual(Array.from({ length: 400 }, (_, i) => `s${i}`));
	const expected = Array.from({ length: 400 }, (_, i) =>
		i === 130 || i === 330 ? 'timeout' : i % 7 === 3 ? 'failed' : 'passed'
	);
	expect(r.statuses).toEqual(expected);
	expect(r.after).toBe('2');
});
