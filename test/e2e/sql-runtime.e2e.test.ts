import { beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { SqlClient } from '../../src/runtime/sql-client.ts';
import { hangMs } from '../deadline.ts';
import { openPage } from './rig.ts';
import { useRig } from './use-rig.ts';

// In the page, `execlab.sql` is the app's SqlClient (src/main.ts exposes it).
declare const execlab: { sql?: SqlClient };

// A worker that dies during a call: the real SQL worker behind a guard that throws instead of
// answering a call mentioning __die__ (as sql.js does when it aborts). Served by the test server,
// since the page's CSP lets workers start only from its own origin (no blob: workers).
const dieGuard = `
	self.addEventListener('message', (e) => {
		if (!JSON.stringify(e.data ?? null).includes('__die__')) return;
		e.stopImmediatePropagation();
		setTimeout(() => { throw new Error('simulated abort'); });
	});`;
const js = (body: string) => ({ type: 'text/javascript', body });
const rig = useRig({
	server: {
		isolated: true,
		routes: {
			'/__test/die-guard.js': () => js(dieGuard),
			// The guard is imported first, so its listener comes before Comlink's.
			'/__test/dying-sql-worker.js': (url) =>
				js(
					`import '/__test/die-guard.js';\nimport ${JSON.stringify(url.searchParams.get('real'))};`
				)
		}
	}
});
let page: Page;

beforeAll(async () => {
	const navigated = Date.now();
	page = await openPage(rig.browser, rig.server.url);
	await page.waitForFunction(
		() => typeof execlab !== 'undefined' && execlab.sql !== undefined,
		null,
		{
			timeout: 60_000
		}
	);
	const info = await page.evaluate(() => execlab.sql!.ready);
	const timeline = await page.evaluate(() =>
		performance
			.getEntriesByType('resource')
			.map((e) => e as PerformanceResourceTiming)
			.filter((e) => /sql|runtime|index-|connect/.test(e.name))
			.map(
				(e) => `${e.name.split('/').pop()} ${e.startTime.toFixed(0)}→${e.responseEnd.toFixed(0)}`
			)
			.join(', ')
	);
	console.log(`resource timeline (ms since navigation): ${timeline}`);
	console.log(
		`sql ready: ${info.readyMs.toFixed(0)} ms after the client started (wasm compiled at ${info.compiledMs.toFixed(0)} ms), ` +
			`${Date.now() - navigated} ms after navigation (SQLite ${info.sqliteVersion})`
	);
});

test('opens a bundled sample, runs queries and reads its schema', async () => {
	const out = await page.evaluate(async () => {
		const sql = execlab.sql!;
		const samples = await sql.samples();
		const schema = await sql.openSample('school', 'e2e-school');
		const r = await sql.exec(
			`SELECT d.name, count(*) AS teachers FROM teachers t JOIN departments d ON d.id = t.department_id
			 GROUP BY d.id ORDER BY d.id LIMIT 3`,
			{ db: 'e2e-school' }
		);
		const err = await sql.exec('SELECT nope FROM students', { db: 'e2e-school' });
		return { samples, schema, r, err, list: sql.list() };
	});
	expect(out.samples.map((s) => s.name)).toEqual(['school', 'shop']);
	const students = out.schema.tables.find((t) => t.name === 'students')!;
	expect(students.rowCount).toBe(out.samples[0].tables.find((t) => t.name === 'students')!.rows);
	expect(students.columns.find((c) => c.name === 'id')?.primaryKey).toBe(true);
	expect(students.foreignKeys).toEqual([{ from: 'advisor_id', table: 'teachers', to: 'id' }]);
	expect(out.schema.tables.find((t) => t.name === 'course_averages')?.kind).toBe('view');
	expect(out.r.ok).toBe(true);
	expect(out.r.columns).toEqual(['name', 'teachers']);
	expect(out.r.rows).toEqual([
		['Mathematics', 8],
		['Science', 8],
		['Languages', 8]
	]);
	expect(out.err).toMatchObject({
		ok: false,
		error: { type: 'SqliteError', message: 'no such column: nope' }
	});
	expect(out.list).toContain('e2e-school');
});

test('a cartesian product is stopped by its time limit; the database comes back with earlier writes', async () => {
	const out = await page.evaluate(async () => {
		const sql = execlab.sql!;
		await sql.openSample('shop', 'e2e-shop');
		const write = await sql.exec(
			"INSERT INTO suppliers (name, country) VALUES ('Kept Supply', 'Estoria')",
			{
				db: 'e2e-shop'
			}
		);
		const restartsBefore = sql.restarts;
		const started = performance.now();
		const runaway = await sql.exec(
			'SELECT count(*) FROM order_items a, order_items b, order_items c',
			{
				db: 'e2e-shop',
				timeoutMs: 1500
			}
		);
		const stoppedAfter = performance.now() - started;
		const kept = await sql.exec("SELECT count(*) FROM suppliers WHERE name = 'Kept Supply'", {
			db: 'e2e-shop'
		});
		const other = await sql.exec('SELECT count(*) FROM students', { db: 'e2e-school' });
		return { write, runaway, stoppedAfter, kept, other, restarts: sql.restarts - restartsBefore };
	});
	expect(out.write).toMatchObject({ ok: true, changed: true, rowsAffected: 1 });
	expect(out.runaway.ok).toBe(false);
	expect(out.runaway.error?.type).toBe('Timeout');
	expect(out.runaway.stopped).toMatchObject({ reason: 'timeout', restored: true, lostDbs: [] });
	expect(out.runaway.stopped?.restoredDbs).toEqual(
		expect.arrayContaining(['e2e-shop', 'e2e-school'])
	);
	expect(out.restarts).toBe(1);
	expect(out.kept.rows).toEqual([[1]]);
	expect(out.other.ok).toBe(true);
	console.log(
		`timeout 1500 ms → result after ${out.stoppedAfter.toFixed(0)} ms (respawn + reopen included)`
	);
	// Ended by its limit (the Timeout above), not left running: a hang guard, not a speed claim.
	expect(out.stoppedAfter).toBeLessThan(hangMs);
});

test('execMany: a batch in one message; a call past its own limit times out, a batch past the largest limit rejects and the worker is restored', async () => {
	const out = await page.evaluate(async () => {
		const sql = execlab.sql!;
		await sql.openSample('shop', 'e2e-batch');
		// ~0.5 s or more of work, well past a 20 ms limit but well within the batch's 30 s.
		const slow =
			'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT count(*) FROM c';
		const one = (q: string, timeoutMs?: number) => ({
			sql: q,
			options: { db: 'e2e-batch', ...(timeoutMs === undefined ? {} : { timeoutMs }) }
		});
		const batch = await sql.execMany([
			one('SELECT count(*) FROM suppliers'),
			one(slow, 20),
			one('SELECT nope FROM suppliers', 30_000),
			one('DELETE FROM suppliers; SELECT count(*) FROM suppliers', 30_000)
		]);
		const restartsBefore = sql.restarts;
		let rejected = '';
		await sql
			.execMany([one('SELECT 1', 300), one(slow.replace('3000000', '300000000'), 300)])
			.catch((e: Error) => (rejected = e.message));
		const after = await sql.exec('SELECT count(*) FROM suppliers', { db: 'e2e-batch' });
		return { batch, rejected, restarts: sql.restarts - restartsBefore, after };
	});
	const [count, slow, error, write] = out.batch;
	expect(count).toMatchObject({ ok: true });
	const suppliers = count.rows[0][0];
	expect(slow.ok).toBe(false);
	expect(slow.error).toMatchObject({
		type: 'Timeout',
		message: 'SQL stopped after the 20 ms time limit'
	});
	expect(error.error?.message).toMatch(/no such column: nope/);
	// Read-only: the DELETE ran inside the rolled-back savepoint.
	expect(write).toMatchObject({ ok: true, rows: [[0]], changed: false });
	expect(out.rejected).toMatch(/SQL batch of 2 calls past its 300 ms limit/);
	expect(out.restarts).toBe(1);
	expect(out.after.rows).toEqual([[suppliers]]);
});

test('a user stop (stop() or an AbortSignal) ends a runaway recursive CTE and the worker serves again', async () => {
	const out = await page.evaluate(async () => {
		const sql = execlab.sql!;
		const endless =
			'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';
		const pending = sql.exec(endless, { db: 'e2e-shop', timeoutMs: 60_000 });
		await new Promise((r) => setTimeout(r, 400));
		sql.stop();
		const byStop = await pending;
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 400);
		const bySignal = await sql.exec(endless, {
			db: 'e2e-shop',
			timeoutMs: 60_000,
			signal: controller.signal
		});
		const after = await sql.exec('SELECT count(*) FROM orders', { db: 'e2e-shop' });
		const restarts = sql.restarts;
		const early = new AbortController();
		early.abort();
		const notRun = await sql.exec('SELECT 1', { db: 'e2e-shop', signal: early.signal });
		return { byStop, bySignal, after, notRun, restartsAfterNotRun: sql.restarts - restarts };
	});
	for (const r of [out.byStop, out.bySignal]) {
		expect(r.error?.type).toBe('Stopped');
		expect(r.stopped).toMatchObject({ reason: 'user', restored: true });
		expect(r.stopped?.lost).toMatch(/stopped call's own changes/);
	}
	expect(out.after.rows).toEqual([[4000]]);
	expect(out.notRun).toMatchObject({ ok: false, error: { type: 'Stopped' } });
	expect(out.notRun.stopped).toBeUndefined();
	expect(out.restartsAfterNotRun).toBe(0);
});

test('changes in a transaction left open cannot be saved, and a stop says they are lost', async () => {
	const out = await page.evaluate(async () => {
		const sql = execlab.sql!;
		await sql.exec('BEGIN; DELETE FROM reviews WHERE rating = 1', { db: 'e2e-shop' });
		const runaway = await sql.exec('SELECT count(*) FROM orders a, orders b, orders c', {
			db: 'e2e-shop',
			timeoutMs: 800
		});
		const ones = await sql.exec('SELECT count(*) FROM reviews WHERE rating = 1', {
			db: 'e2e-shop'
		});
		return { runaway, ones };
	});
	expect(out.runaway.stopped?.lost).toMatch(
		/"e2e-shop" also lost changes since its last recovery snapshot/
	);
	expect(Number(out.ones.rows[0][0])).toBeGreaterThan(0);
});

test('malformed .sqlite bytes are refused clearly and the worker keeps serving', async () => {
	const out = await page.evaluate(async () => {
		const sql = execlab.sql!;
		const junk = new TextEncoder().encode('definitely not SQLite '.repeat(300));
		const error = await sql.open('junk', junk).then(
			() => 'opened?!',
			(e: unknown) => (e instanceof Error ? e.message : String(e))
		);
		const after = await sql.exec('SELECT 41 + 1 AS answer', { db: 'e2e-shop' });
		return { error, after, list: sql.list() };
	});
	expect(out.error).toMatch(/file is not a database/);
	expect(out.after.rows).toEqual([[42]]);
	expect(out.list).not.toContain('junk');
});

test('first calls go out while the worker starts; a start that fails (wasm or worker script) ends them with its error', async () => {
	const out = await page.evaluate(async () => {
		type Ctor = new (o?: { wasmURL?: string }) => SqlClient;
		const Client = execlab.sql!.constructor as Ctor;
		// The message a call fails with (or what it answered, which these calls must not).
		const failure = (call: Promise<unknown>) =>
			call.then(
				(v) => `answered?! ${JSON.stringify(v)}`,
				(e: unknown) => (e instanceof Error ? e.message : String(e))
			);
		const fresh = new Client();
		// open is sent before the worker has answered init: it must wait for it, in order.
		const opened = fresh.open('early', new Uint8Array());
		const startedBefore = fresh.started;
		await opened;
		const one = await fresh.exec('SELECT 1 AS one', { db: 'early' });
		fresh.dispose();
		const broken = new Client({ wasmURL: new URL('missing.wasm', location.href).href });
		const t = performance.now();
		const error = await failure(broken.open('never', new Uint8Array()));
		const schemaError = await failure(broken.schema('never'));
		broken.dispose();
		const noWorker = new Client({
			createWorker: () =>
				new Worker(new URL('missing-worker.js', location.href), { type: 'module' })
		} as never);
		const workerError = await failure(noWorker.open('never', new Uint8Array()));
		const readyError = await failure(noWorker.ready);
		noWorker.dispose();
		return {
			startedBefore,
			one,
			error,
			schemaError,
			workerError,
			readyError,
			failMs: performance.now() - t
		};
	});
	expect(out.startedBefore).toBe(true);
	expect(out.one.rows).toEqual([[1]]);
	expect(out.error).toMatch(/Cannot load sql\.js: 404/);
	expect(out.schemaError).toMatch(/Cannot load sql\.js: 404/);
	expect(out.workerError).toMatch(/The SQL worker could not start/);
	expect(out.readyError).toMatch(/The SQL worker could not start/);
	// The messages say the load failed (not that a call timed out); this only guards against a hang.
	expect(out.failMs).toBeLessThan(hangMs);
});

test('a worker that dies during a call: the call fails saying so, a new worker has the databases back', async () => {
	const out = await page.evaluate(async () => {
		type Ctor = new (o?: { createWorker?: () => Worker }) => SqlClient;
		const Client = execlab.sql!.constructor as Ctor;
		const real = performance
			.getEntriesByType('resource')
			.map((e) => e.name)
			.find((name) => /\/assets\/sql\.worker-[^/]+\.js$/.test(name));
		if (!real) throw new Error('the SQL worker script was not loaded by the page');
		const url = `/__test/dying-sql-worker.js?real=${encodeURIComponent(real)}`;
		const client = new Client({ createWorker: () => new Worker(url, { type: 'module' }) });
		await client.open('kept', new Uint8Array());
		const wrote = await client.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1), (2);', {
			db: 'kept'
		});
		const t = performance.now();
		const crash = await client.exec("SELECT '__die__'", { db: 'kept' }).then(
			(r) => `answered?! ${JSON.stringify(r)}`,
			(e: unknown) => (e instanceof Error ? e.message : String(e))
		);
		const crashMs = performance.now() - t;
		const after = await client.exec('SELECT sum(x) FROM t', { db: 'kept' });
		const restarts = client.restarts;
		client.dispose();
		return { wrote: wrote.ok, crash, crashMs, after, restarts };
	});
	expect(out.wrote).toBe(true);
	expect(out.crash).toMatch(/The SQL worker crashed \(.*simulated abort.*\); it was restarted/);
	// Reported from the worker's error event (the message says it crashed, not that the call
	// timed out); the bound only guards against a hang.
	expect(out.crashMs).toBeLessThan(hangMs);
	expect(out.after.ok).toBe(true);
	expect(out.after.rows).toEqual([[3]]);
	expect(out.restarts).toBe(1);
});

test('a 10^6-row result is counted in full and capped', async () => {
	const out = await page.evaluate(async () => {
		const sql = execlab.sql!;
		await sql.open('scratch', new Uint8Array());
		const t = performance.now();
		const r = await sql.exec(
			'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<1000000) SELECT x FROM c',
			{ db: 'scratch' }
		);
		return {
			rowCount: r.rowCount,
			kept: r.rows.length,
			last: r.rows.at(-1),
			truncated: r.truncated,
			ms: performance.now() - t
		};
	});
	expect(out).toMatchObject({ rowCount: 1_000_000, kept: 10_000, last: [10_000], truncated: true });
	console.log(`10^6-row result round trip: ${out.ms.toFixed(0)} ms`);
});

// How long a round trip takes is the bench's sql.roundTripMedian.
test('SELECT round trips: 300 in a row each answer with their own value', async () => {
	const values = await page.evaluate(async () => {
		const sql = execlab.sql!;
		const out: unknown[] = [];
		for (let i = 0; i < 300; i++)
			out.push((await sql.exec(`SELECT ${i}`, { db: 'scratch' })).rows[0][0]);
		return out;
	});
	expect(values).toEqual(Array.from({ length: 300 }, (_, i) => i));
});

test('openFile reads a user file; download saves the current database as a .sqlite file', async () => {
	const opened = await page.evaluate(async () => {
		const sql = execlab.sql!;
		await sql.openSample('shop', 'dl-shop');
		const bytes = await sql.exportBytes('dl-shop');
		const schema = await sql.openFile(new File([bytes as BlobPart], 'my-shop.sqlite'));
		await sql.exec("CREATE TABLE notes (txt TEXT); INSERT INTO notes VALUES ('größer')", {
			db: 'my-shop'
		});
		return { db: schema.db, tables: schema.tables.length };
	});
	expect(opened).toEqual({ db: 'my-shop', tables: 8 });
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.evaluate(() => execlab.sql!.download('my-shop'))
	]);
	expect(download.suggestedFilename()).toBe('my-shop.sqlite');
	const { readFileSync } = await import('node:fs');
	const file = readFileSync((await download.path())!);
	expect(file.subarray(0, 15).toString()).toBe('SQLite format 3');
	const reopened = await page.evaluate(async (base64) => {
		const sql = execlab.sql!;
		await sql.open(
			'downloaded',
			Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
		);
		return (await sql.exec('SELECT txt FROM notes', { db: 'downloaded' })).rows;
	}, file.toString('base64'));
	expect(reopened).toEqual([['größer']]);
});
