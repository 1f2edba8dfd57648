import { expect, test } from 'vitest';
import type { PythonClient } from '../../src/runtime/python-client.ts';
import type { SqlClient } from '../../src/runtime/sql-client.ts';
import { hangMs } from '../deadline.ts';
import { usePythonPage } from './python-helpers.ts';

// Issue 13 §1 and §4 in Chromium: the heap caps (Python: growth refused past the budget; SQLite:
// its hard heap limit) and top-level await, through the app's `globalThis.execlab`.
declare const execlab: { python: PythonClient; sql?: SqlClient };

const rig = usePythonPage();

test('the memory bomb raises MemoryError in the code; the session is kept, no worker replaced', async () => {
	const r = await rig.page.evaluate(async (hangMs) => {
		const py = execlab.python;
		await py.run('survivor = "yes"', { session: 'bomb' });
		const bomb = await py.run('a = [bytearray(10**8) for _ in range(40)]', {
			session: 'bomb',
			timeoutMs: hangMs
		});
		const heap = await py.heapBytes();
		const kept = await py.run('survivor', { session: 'bomb' });
		const next = await py.run('len([bytearray(10**6) for _ in range(100)])', { session: 'bomb' });
		return { bomb, heap, kept: kept.value, next: next.value };
	}, hangMs);
	expect(r.bomb).toMatchObject({ ok: false, error: { type: 'MemoryError', line: 1 } });
	expect(r.bomb.stopped).toBeUndefined();
	// The cap holds as the heap grows: never past the 1 GiB budget.
	expect(r.bomb.heapBytes).toBeLessThanOrEqual(2 ** 30);
	expect(r.heap).toBeLessThanOrEqual(2 ** 30);
	expect(r.kept).toBe("'yes'");
	expect(r.next).toBe('100');
});

test('top-level await in run and runMany; a Stop interrupts an awaiting loop, state kept', async () => {
	const r = await rig.page.evaluate(async () => {
		const py = execlab.python;
		const session = 'await';
		const define =
			'import asyncio\nasync def coro(n):\n    await asyncio.sleep(0)\n    return n * 2\n';
		const set = await py.run(define + 'x = await coro(21)\nprint("set")', { session });
		const read = await py.run('x', { session });
		const failing = await py.run('await asyncio.sleep(0)\n1 / 0', { session });
		const controller = new AbortController();
		const spinning = py.run('while True:\n    await asyncio.sleep(0)', {
			session,
			signal: controller.signal
		});
		await new Promise((ok) => setTimeout(ok, 300));
		controller.abort();
		const stopped = await spinning;
		const after = await py.run('await coro(x)', { session });
		const batch = await py.runMany([
			{ id: 'a', code: 'import asyncio\nawait asyncio.sleep(0)\nassert 1' },
			{ id: 'b', code: 'import asyncio\nawait asyncio.sleep(0)\nassert 0' }
		]);
		return { set, read: read.value, failing: failing.error, stopped, after, batch };
	});
	expect(r.set).toMatchObject({ ok: true, stdout: 'set\n' });
	expect(r.read).toBe('42');
	expect(r.failing).toMatchObject({ type: 'ZeroDivisionError', line: 2 });
	expect(r.stopped).toMatchObject({
		ok: false,
		error: { type: 'KeyboardInterrupt' },
		stopped: { kind: 'interrupt', reason: 'user' }
	});
	expect(r.after.value).toBe('84');
	expect(r.batch.map((s) => s.status)).toEqual(['passed', 'failed']);
});

test('an over-large SQL query fails with SQLite out of memory as data; the database is intact', async () => {
	await rig.page.waitForFunction(() => execlab.sql !== undefined, null, { timeout: 60_000 });
	const r = await rig.page.evaluate(async (hangMs) => {
		const sql = execlab.sql!;
		await sql.open('limits', new Uint8Array());
		await sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1), ('two')", { db: 'limits' });
		const big = await sql.exec(
			'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000) ' +
				'SELECT count(DISTINCT randomblob(1000000) || x) FROM c',
			{ db: 'limits', timeoutMs: hangMs }
		);
		const rows = await sql.exec('SELECT a FROM t ORDER BY rowid', { db: 'limits' });
		return { big, rows: rows.rows };
	}, hangMs);
	expect(r.big).toMatchObject({
		ok: false,
		error: { type: 'SqliteError', message: 'out of memory' }
	});
	expect(r.big.stopped).toBeUndefined();
	expect(r.rows).toEqual([[1], ['two']]);
});
