import { beforeAll, describe, expect, test } from 'vitest';
import type { SqlEngine } from '../../workers/sql-engine.ts';
import { nodeSqlEngine } from './sql-helpers.ts';

let engine: SqlEngine;
const empty = new Uint8Array();

beforeAll(async () => {
	engine = await nodeSqlEngine();
});

function fresh(name: string, setup: string): void {
	engine.open(name, empty);
	const r = engine.exec(setup, { db: name });
	expect(r.error).toBeNull();
}

describe('exec', () => {
	test('returns columns, rows and counts', () => {
		fresh('t1', "CREATE TABLE t(a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, NULL);");
		const r = engine.exec('SELECT a, b, a * 1.5 AS c FROM t ORDER BY a', { db: 't1' });
		expect(r).toMatchObject({
			ok: true,
			columns: ['a', 'b', 'c'],
			rows: [
				[1, 'x', 1.5],
				[2, null, 3]
			],
			rowCount: 2,
			truncated: false,
			changed: false,
			error: null
		});
		expect(r.durationMs).toBeGreaterThanOrEqual(0);
	});

	test('reports rows affected and that the call changed the database', () => {
		fresh('t2', 'CREATE TABLE t(a)');
		const r = engine.exec('INSERT INTO t VALUES (1), (2), (3)', { db: 't2' });
		expect(r).toMatchObject({ ok: true, rowsAffected: 3, changed: true, columns: [], rows: [] });
		const u = engine.exec('UPDATE t SET a = a + 1 WHERE a > 1', { db: 't2' });
		expect(u.rowsAffected).toBe(2);
		expect(engine.exec('SELECT 1', { db: 't2' }).changed).toBe(false);
		expect(engine.exec('CREATE INDEX i ON t(a)', { db: 't2' }).changed).toBe(true);
		expect(engine.exec('/* c */ DROP INDEX i', { db: 't2' }).changed).toBe(true);
		expect(engine.exec('PRAGMA user_version = 7', { db: 't2' }).changed).toBe(true);
		expect(engine.exec("PRAGMA table_info('t')", { db: 't2' }).changed).toBe(false);
		expect(engine.exec('SELECT * FROM t WHERE a = 2', { db: 't2' }).changed).toBe(false);
	});

	test('a SQL error is data, with the failing statement', () => {
		fresh('t3', 'CREATE TABLE t(a)');
		const r = engine.exec('SELECT 1; SELEC 2', { db: 't3' });
		expect(r.ok).toBe(false);
		expect(r.error).toEqual({
			type: 'SqliteError',
			message: 'near "SELEC": syntax error',
			statement: 2
		});
		expect(r.sets).toHaveLength(1);
		const missing = engine.exec('SELECT nope FROM t', { db: 't3' });
		expect(missing.error?.message).toBe('no such column: nope');
		expect(engine.exec('SELECT 1', { db: 'nowhere' }).error?.type).toBe('UnknownDatabase');
	});

	test('several statements: last result set on top, all sets kept', () => {
		fresh('t4', 'CREATE TABLE t(a)');
		const r = engine.exec(
			"INSERT INTO t VALUES (1); SELECT 'first' AS f; INSERT INTO t VALUES (2); SELECT count(*) AS n FROM t;",
			{ db: 't4' }
		);
		expect(r.ok).toBe(true);
		expect(r.statements).toBe(4);
		expect(r.columns).toEqual(['n']);
		expect(r.rows).toEqual([[2]]);
		expect(r.sets.map((s) => s.columns)).toEqual([['f'], ['n']]);
		expect(r.rowsAffected).toBe(2);
	});

	test('maxRows caps the rows kept but the true count is reported', () => {
		engine.open('t5', empty);
		const sql =
			'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<2500) SELECT x FROM c';
		const r = engine.exec(sql, { db: 't5', maxRows: 100 });
		expect(r.rows).toHaveLength(100);
		expect(r.rows[99]).toEqual([100]);
		expect(r.rowCount).toBe(2500);
		expect(r.truncated).toBe(true);
		const d = engine.exec(sql, { db: 't5' });
		expect(d.rows).toHaveLength(2500);
		expect(d.truncated).toBe(false);
	});

	test('a 10^6-row result is counted in full and capped at the default 10 000 rows', () => {
		engine.open('big', empty);
		const r = engine.exec(
			'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<1000000) SELECT x FROM c',
			{ db: 'big' }
		);
		expect(r.ok).toBe(true);
		expect(r.rowCount).toBe(1_000_000);
		expect(r.rows).toHaveLength(10_000);
		expect(r.rows.at(-1)).toEqual([10_000]);
		expect(r.truncated).toBe(true);
		console.log(`10^6-row result in ${r.durationMs.toFixed(0)} ms`);
	});

	test('blobs come back as bytes', () => {
		engine.open('t6', empty);
		const r = engine.exec("SELECT x'00ff10' AS b", { db: 't6' });
		expect(r.rows[0][0]).toEqual(new Uint8Array([0, 255, 16]));
	});
});

describe('read-only mode', () => {
	test('an INSERT, UPDATE or CREATE leaves no trace', () => {
		fresh('ro', "CREATE TABLE t(a); INSERT INTO t VALUES ('keep');");
		const r = engine.exec(
			"INSERT INTO t VALUES ('gone'); UPDATE t SET a = 'changed'; CREATE TABLE u(b); SELECT count(*) FROM t",
			{ db: 'ro', readOnly: true }
		);
		expect(r.ok).toBe(true);
		expect(r.rows).toEqual([[2]]);
		expect(r.changed).toBe(false);
		expect(r.rowsAffected).toBe(3);
		const after = engine.exec('SELECT a FROM t', { db: 'ro' });
		expect(after.rows).toEqual([['keep']]);
		expect(engine.schema('ro').tables.map((t) => t.name)).toEqual(['t']);
	});

	test('a failing statement still rolls back what came before it', () => {
		fresh('ro2', 'CREATE TABLE t(a UNIQUE); INSERT INTO t VALUES (1);');
		const r = engine.exec('DELETE FROM t; INSERT INTO t VALUES (2), (2)', {
			db: 'ro2',
			readOnly: true
		});
		expect(r.error?.message).toMatch(/UNIQUE constraint failed/);
		expect(engine.exec('SELECT a FROM t', { db: 'ro2' }).rows).toEqual([[1]]);
	});

	test('transaction control that would escape the rollback is refused', () => {
		fresh('ro3', 'CREATE TABLE t(a)');
		for (const escape of [
			'COMMIT',
			'END',
			'/* hi */ release execlab_read_only',
			'BEGIN',
			'VACUUM'
		]) {
			const r = engine.exec(`INSERT INTO t VALUES (1); ${escape}`, { db: 'ro3', readOnly: true });
			expect(r.error?.type, escape).toBe('ReadOnlyViolation');
		}
		expect(engine.exec('SELECT count(*) FROM t', { db: 'ro3' }).rows).toEqual([[0]]);
		// Still usable in write mode afterwards: no transaction was left open.
		expect(engine.exec('BEGIN; INSERT INTO t VALUES (5); COMMIT', { db: 'ro3' }).ok).toBe(true);
	});
	test('PRAGMA settings (which a rollback would not undo) are refused; PRAGMA queries run', () => {
		fresh('ro4', 'CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)');
		const before = engine.exec('PRAGMA foreign_keys', { db: 'ro4' }).rows;
		for (const setting of [
			'PRAGMA foreign_keys = ON',
			'pragma  main.case_sensitive_like=1',
			'PRAGMA "foreign_keys"(1)',
			'/* x */ PRAGMA user_version = 7'
		]) {
			const r = engine.exec(setting, { db: 'ro4', readOnly: true });
			expect(r.error?.type, setting).toBe('ReadOnlyViolation');
			expect(r.error?.message, setting).toMatch(/PRAGMA \w+ with a value is not allowed/);
		}
		expect(engine.exec('PRAGMA foreign_keys', { db: 'ro4' }).rows).toEqual(before);
		const info = engine.exec('PRAGMA table_info(t); PRAGMA foreign_keys', {
			db: 'ro4',
			readOnly: true
		});
		expect(info.ok).toBe(true);
		expect(info.sets[0].rows.map((r) => r[1])).toEqual(['a', 'b']);
		expect(engine.exec('PRAGMA integrity_check(1)', { db: 'ro4', readOnly: true }).rows).toEqual([
			['ok']
		]);
	});

	// A lone SELECT runs without the savepoint (it cannot write); whatever follows it must still be
	// prepared inside one, because SQLite applies flag PRAGMAs such as foreign_keys while preparing.
	test('a SELECT first does not let a later statement escape', () => {
		fresh('ro5', "CREATE TABLE t(a); INSERT INTO t VALUES ('keep');");
		const setting = engine.exec('SELECT 1; PRAGMA foreign_keys = ON', {
			db: 'ro5',
			readOnly: true
		});
		expect(setting.error?.type).toBe('ReadOnlyViolation');
		expect(engine.exec('PRAGMA foreign_keys', { db: 'ro5' }).rows).toEqual([[0]]);
		const write = engine.exec('SELECT 1 -- first\n; DELETE FROM t; SELECT count(*) FROM t', {
			db: 'ro5',
			readOnly: true
		});
		expect(write.ok).toBe(true);
		expect(write.rows).toEqual([[0]]);
		expect(write.rowsAffected).toBe(1);
		const lone = engine.exec('/* c */ SELECT count(*) FROM t; -- done', {
			db: 'ro5',
			readOnly: true
		});
		expect(lone).toMatchObject({ ok: true, rows: [[1]], rowsAffected: 0, statements: 1 });
		expect(engine.exec('SELECT a FROM t', { db: 'ro5' }).rows).toEqual([['keep']]);
		// No savepoint was left open: a transaction in write mode still works.
		expect(engine.exec('BEGIN; INSERT INTO t VALUES (2); COMMIT', { db: 'ro5' }).ok).toBe(true);
	});
});

describe('schema', () => {
	test('tables, views, column types, primary and foreign keys, row counts', () => {
		fresh(
			's',
			`CREATE TABLE parent(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
			 CREATE TABLE child(a INTEGER, b INTEGER, pid INTEGER REFERENCES parent(id), PRIMARY KEY (a, b));
			 CREATE VIEW v AS SELECT name FROM parent;
			 INSERT INTO parent VALUES (1, 'p'), (2, 'q'); INSERT INTO child VALUES (1, 1, 1);`
		);
		const schema = engine.schema('s');
		expect(schema.db).toBe('s');
		const byName = Object.fromEntries(schema.tables.map((t) => [t.name, t]));
		expect(Object.keys(byName).sort()).toEqual(['child', 'parent', 'v']);
		expect(byName.parent).toMatchObject({ kind: 'table', rowCount: 2, foreignKeys: [] });
		expect(byName.parent.columns).toEqual([
			{ name: 'id', type: 'INTEGER', notNull: false, primaryKey: true },
			{ name: 'name', type: 'TEXT', notNull: true, primaryKey: false }
		]);
		expect(byName.child.columns.filter((c) => c.primaryKey).map((c) => c.name)).toEqual(['a', 'b']);
		expect(byName.child.foreignKeys).toEqual([{ from: 'pid', table: 'parent', to: 'id' }]);
		expect(byName.child.rowCount).toBe(1);
		expect(byName.v).toMatchObject({ kind: 'view', rowCount: null });
		expect(byName.v.columns.map((c) => c.name)).toEqual(['name']);
		expect(byName.v.sql).toMatch(/^CREATE VIEW v/);
	});

	test('non-ASCII and quoted identifiers work everywhere', () => {
		fresh(
			'u',
			`CREATE TABLE "sänger" ("größe" REAL, "na""me" TEXT, jahr_der_veröffentlichung INTEGER);
			 INSERT INTO sänger VALUES (1.8, 'Zoë', 1999);`
		);
		const r = engine.exec('SELECT "na""me", größe, jahr_der_veröffentlichung FROM sänger', {
			db: 'u'
		});
		expect(r.columns).toEqual(['na"me', 'größe', 'jahr_der_veröffentlichung']);
		expect(r.rows).toEqual([['Zoë', 1.8, 1999]]);
		const [table] = engine.schema('u').tables;
		expect(table.name).toBe('sänger');
		expect(table.rowCount).toBe(1);
		expect(table.columns.map((c) => c.name)).toEqual([
			'größe',
			'na"me',
			'jahr_der_veröffentlichung'
		]);
	});
});

describe('snapshot, restore, export, open', () => {
	test('restore goes back to the snapshot; export reopens to the same content', () => {
		fresh('snap', "CREATE TABLE t(a); INSERT INTO t VALUES ('one');");
		const bytes = engine.snapshot('snap');
		expect(new TextDecoder().decode(bytes.subarray(0, 15))).toBe('SQLite format 3');
		engine.exec("INSERT INTO t VALUES ('two'); DROP TABLE t; CREATE TABLE other(x)", {
			db: 'snap'
		});
		const schema = engine.restore('snap');
		expect(schema.tables.map((t) => t.name)).toEqual(['t']);
		expect(engine.exec('SELECT a FROM t', { db: 'snap' }).rows).toEqual([['one']]);
		// The snapshot survives a restore, so undo can be repeated.
		engine.exec('DELETE FROM t', { db: 'snap' });
		engine.restore('snap');
		expect(engine.exec('SELECT count(*) FROM t', { db: 'snap' }).rows).toEqual([[1]]);

		engine.exec("INSERT INTO t VALUES ('three')", { db: 'snap' });
		engine.open('copy', engine.exportBytes('snap'));
		expect(engine.exec('SELECT a FROM t ORDER BY a', { db: 'copy' }).rows).toEqual([
			['one'],
			['three']
		]);
		expect(engine.list()).toContain('copy');
		engine.close('copy');
		expect(engine.list()).not.toContain('copy');
		expect(() => engine.restore('t1')).toThrow(/no snapshot/);
	});

	test('exportAfter change returns the bytes after a write and nothing after a read', () => {
		fresh('exp', 'CREATE TABLE t(a)');
		const w = engine.exec('INSERT INTO t VALUES (42)', { db: 'exp', exportAfter: 'change' });
		expect(w.snapshot).toBeInstanceOf(Uint8Array);
		engine.open('exp-copy', w.snapshot!);
		expect(engine.exec('SELECT a FROM t', { db: 'exp-copy' }).rows).toEqual([[42]]);
		expect(
			engine.exec('SELECT * FROM t', { db: 'exp', exportAfter: 'change' }).snapshot
		).toBeUndefined();
		// A transaction left open cannot be exported; after COMMIT (which changes no row) "always" can.
		const open = engine.exec('BEGIN; INSERT INTO t VALUES (43)', {
			db: 'exp',
			exportAfter: 'change'
		});
		expect(open.changed).toBe(true);
		expect(open.snapshot).toBeUndefined();
		expect(open.snapshotError).toMatch(/busy or locked/);
		const commit = engine.exec('COMMIT', { db: 'exp', exportAfter: 'always' });
		expect(commit.changed).toBe(false);
		engine.open('exp-copy', commit.snapshot!);
		expect(engine.exec('SELECT count(*) FROM t', { db: 'exp-copy' }).rows).toEqual([[2]]);
	});

	test('the connection keeps its lock between transactions; writes, rollbacks and exports are unchanged', () => {
		fresh('lock', 'CREATE TABLE t(a)');
		// The engine's speed setting (one connection per file): visible to a user who asks for it.
		expect(engine.exec('PRAGMA locking_mode', { db: 'lock' }).rows).toEqual([['exclusive']]);
		expect(engine.exec('PRAGMA journal_size_limit', { db: 'lock' }).rows).toEqual([[0]]);
		const fill =
			'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) INSERT INTO t SELECT x FROM c';
		expect(engine.exec(fill, { db: 'lock' }).rowsAffected).toBe(5000);
		engine.exec('BEGIN; UPDATE t SET a = -a; DELETE FROM t WHERE a < -10; ROLLBACK', {
			db: 'lock'
		});
		expect(engine.exec('SELECT count(*), sum(a) FROM t', { db: 'lock' }).rows).toEqual([
			[5000, 12502500]
		]);
		// A read-only call's write still runs inside the savepoint and is rolled back.
		expect(engine.exec('DELETE FROM t', { db: 'lock', readOnly: true }).changed).toBe(false);
		expect(engine.exec('SELECT count(*) FROM t', { db: 'lock' }).rows).toEqual([[5000]]);
		engine.exec('UPDATE t SET a = a * 2 WHERE a <= 10', { db: 'lock' });
		engine.open('lock-copy', engine.exportBytes('lock'));
		expect(engine.exec('SELECT sum(a) FROM t', { db: 'lock-copy' }).rows).toEqual([[12502555]]);
		engine.close('lock-copy');
	});

	test('malformed bytes are refused with "file is not a database" and the engine keeps serving', () => {
		fresh('keep', "CREATE TABLE t(a); INSERT INTO t VALUES ('safe');");
		const junk = new TextEncoder().encode('this is not a database, just text. '.repeat(200));
		expect(() => engine.open('keep', junk)).toThrow(/file is not a database/);
		// A failed open under an existing name leaves the old database in place.
		expect(engine.exec('SELECT a FROM t', { db: 'keep' }).rows).toEqual([['safe']]);
		const truncated = engine.exportBytes('keep').subarray(0, 50);
		expect(() => engine.open('half', truncated)).toThrow(/Cannot open database "half"/);
		expect(engine.list()).not.toContain('half');
	});
});
