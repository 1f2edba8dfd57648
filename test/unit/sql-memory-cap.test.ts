import initSqlJs from 'sql.js';
import { beforeAll, expect, test } from 'vitest';
import { loadSqlEngine, type SqlEngine } from '../../workers/sql-engine.ts';
import { sqlWasmPath } from './sql-helpers.ts';

// SQLite's hard heap limit is per sql.js instance and can only be lowered: this file (its own
// process) loads the one engine with a small cap, as a worker started with maxHeapBytes would.
const MiB = 2 ** 20;
let engine: SqlEngine;
const blobs = (rows: number) =>
	'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ' +
	rows +
	') SELECT count(DISTINCT randomblob(1000000) || x) FROM c';

beforeAll(async () => {
	engine = await loadSqlEngine(initSqlJs, { wasmURL: sqlWasmPath, maxHeapBytes: 64 * MiB });
	engine.open('main', new Uint8Array());
	expect(engine.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1), ('two')", { db: 'main' }).ok);
});

test('an over-large query fails with SQLite out of memory as data; the database is intact', () => {
	const big = engine.exec(blobs(2000), { db: 'main' });
	expect(big).toMatchObject({
		ok: false,
		error: { type: 'SqliteError', message: 'out of memory' }
	});
	const rows = engine.exec('SELECT a FROM t ORDER BY rowid', { db: 'main' });
	expect(rows).toMatchObject({ ok: true, rows: [[1], ['two']] });
	expect(engine.exec(blobs(10), { db: 'main' }).rows).toEqual([[10]]);
	// A temporary table that outgrows the cap fails alike, and the main database is untouched.
	const temp = engine.exec(
		'CREATE TEMP TABLE big AS SELECT randomblob(1000000) || x AS b FROM ' +
			'(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500) SELECT x FROM c)',
		{ db: 'main' }
	);
	expect(temp).toMatchObject({ ok: false, error: { message: 'out of memory' } });
	expect(engine.exec('SELECT count(*) FROM t', { db: 'main' }).rows).toEqual([[2]]);
});

test('the limit is the one asked for and a statement cannot raise it', () => {
	const read = () => engine.exec('PRAGMA hard_heap_limit', { db: 'main' }).rows[0][0];
	expect(read()).toBe(64 * MiB);
	engine.exec(`PRAGMA hard_heap_limit=${1024 * MiB}`, { db: 'main' });
	expect(read()).toBe(64 * MiB);
	expect(engine.exec('PRAGMA temp_store', { db: 'main' }).rows[0][0]).toBe(2);
});
