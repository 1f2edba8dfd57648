import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import initSqlJs from 'sql.js';
import { beforeAll, expect, test } from 'vitest';
import { buildSample, sampleSpecs } from '../../scripts/make-samples.ts';
import { sqlTasks } from '../../src/data/sql-tasks.ts';
import type { SqlEngine } from '../../workers/sql-engine.ts';
import { nodeSqlEngine, sqlWasmPath } from './sql-helpers.ts';

let engine: SqlEngine;
const natives = new Map<string, Sqlite.Database>();

beforeAll(async () => {
	const SQL = await initSqlJs({ locateFile: () => sqlWasmPath });
	engine = await nodeSqlEngine();
	const dir = mkdtempSync(join(tmpdir(), 'execlab-tasks-'));
	for (const spec of sampleSpecs) {
		const { bytes } = buildSample(SQL, spec);
		engine.open(spec.name, bytes);
		writeFileSync(join(dir, `${spec.name}.sqlite`), bytes);
		natives.set(spec.name, new Sqlite(join(dir, `${spec.name}.sqlite`), { readonly: true }));
	}
	return () => natives.forEach((db) => db.close());
});

test('there are a dozen well-formed tasks over the bundled samples', () => {
	expect(sqlTasks.length).toBeGreaterThanOrEqual(12);
	expect(new Set(sqlTasks.map((t) => t.id)).size).toBe(sqlTasks.length);
	for (const t of sqlTasks) {
		expect(sampleSpecs.map((s) => s.name)).toContain(t.db);
		expect(['easy', 'medium', 'hard']).toContain(t.difficulty);
		expect(t.question).toMatch(/[?.]$/);
	}
	for (const level of ['easy', 'medium', 'hard']) {
		expect(sqlTasks.filter((t) => t.difficulty === level).length).toBeGreaterThanOrEqual(3);
	}
});

test.each(sqlTasks.map((t) => [t.id, t] as const))(
	'gold query of %s runs, answers something, and matches native SQLite',
	(_, task) => {
		const r = engine.exec(task.gold, { db: task.db, readOnly: true });
		expect(r.error).toBeNull();
		expect(r.rowCount).toBeGreaterThan(0);
		// A count question whose answer is 0 would not tell a right query from a wrong one.
		if (r.columns.length === 1 && r.rowCount === 1 && typeof r.rows[0][0] === 'number') {
			expect(r.rows[0][0]).toBeGreaterThan(0);
		}
		expect(r.rows.flat()).not.toContain(null);
		const want = natives.get(task.db)!.prepare(task.gold).raw(true).all();
		expect(r.rows).toStrictEqual(want);
	}
);

test('a few answers cross-checked by computing them another way', () => {
	const all = (db: string, sql: string) => engine.exec(sql, { db, maxRows: 1e6 }).rows;
	const task = (id: string) =>
		engine.exec(sqlTasks.find((t) => t.id === id)!.gold, { db: id.split('-')[0] }).rows;
	expect(task('school-01')[0][0]).toBe(
		all('school', 'SELECT grade_level FROM students').filter(([g]) => g === 12).length
	);
	const ordered = all('shop', 'SELECT DISTINCT customer_id FROM orders').length;
	expect(task('shop-03')[0][0]).toBe(all('shop', 'SELECT id FROM customers').length - ordered);
	const withTeacher = new Set(
		all('school', 'SELECT code FROM courses WHERE teacher_id > 0').map(([c]) => c)
	);
	const unassigned = all('school', 'SELECT code FROM courses ORDER BY code').filter(
		([c]) => !withTeacher.has(c)
	);
	expect(task('school-04').map(([code]) => code)).toEqual(unassigned.map(([c]) => c));
});
